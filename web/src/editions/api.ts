/**
 * The editions routes (docs/editions.md), through the page's one API client
 * (../api.ts). Every answer that carries an edition carries its ETag, kept for the next If-Match.
 */

import { type Credential, request } from "../api";
import type { ViewState } from "../view-state";
import type { Edition, EditionChanges, ProvinceEditions, Tagged } from "./model";

type UnitView = ViewState & { unit: string };

/** The period of a view as the editions routes take it (`?period=quarter&quarter=2`). */
export function periodQuery(view: ViewState): URLSearchParams {
  const params = new URLSearchParams({ period: view.period });
  if (view.period === "quarter") params.set("quarter", String(view.quarter ?? 1));
  if (view.period === "month") params.set("month", String(view.month ?? 1));
  return params;
}

/** What identifies an edition's drafts in the tab: unit, year, period. */
export function editionScope(view: UnitView): string {
  return `${view.unit}/${view.year}/${periodQuery(view)}`;
}

const editionPath = (view: UnitView, tail = "") =>
  `/v1/editions/${view.unit}/${view.year}${tail}?${periodQuery(view)}`;

/** An edition's ETag: the answer's header, else `"<revision>"` (docs/editions.md#routes). */
export const etagOf = (edition: Edition, headers?: Headers): string =>
  headers?.get("etag") ?? `"${edition.revision}"`;

async function tagged(path: string, token: Credential, init: RequestInit = {}): Promise<Tagged> {
  const { body, headers } = await request<Edition>(path, token, init);
  return { edition: body, etag: etagOf(body, headers) };
}

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json", ...headers },
});

export const editionsApi = {
  get: (token: Credential, view: UnitView) => tagged(editionPath(view), token),
  start: (token: Credential, view: UnitView) => tagged(editionPath(view), token, { method: "POST" }),
  save: (token: Credential, view: UnitView, changes: EditionChanges, ifMatch: string) =>
    tagged(editionPath(view), token, json("PUT", changes, { "if-match": ifMatch })),
  preview: async (token: Credential, view: UnitView) =>
    (await request<{ url: string }>(editionPath(view, "/preview"), token, { method: "POST" })).body,
  issue: (token: Credential, view: UnitView, ifMatch: string) =>
    tagged(editionPath(view, "/issue"), token, { method: "POST", headers: { "if-match": ifMatch } }),
  correction: (token: Credential, view: UnitView) =>
    tagged(editionPath(view, "/correction"), token, { method: "POST" }),
  province: async (token: Credential, view: UnitView) => {
    const query = periodQuery(view);
    query.set("provinceCode", view.unit);
    query.set("year", String(view.year));
    return (await request<ProvinceEditions>(`/v1/editions?${query}`, token)).body;
  },
  /** The status list as an Excel workbook (`&format=xlsx`): `{url}`, presigned. */
  provinceWorkbook: async (token: Credential, view: UnitView) => {
    const query = periodQuery(view);
    query.set("provinceCode", view.unit);
    query.set("year", String(view.year));
    query.set("format", "xlsx");
    return (await request<{ url: string }>(`/v1/editions?${query}`, token)).body;
  },
  bundle: async (token: Credential, view: UnitView) => {
    const query = periodQuery(view);
    query.set("provinceCode", view.unit);
    query.set("year", String(view.year));
    return (await request<{ url: string }>(`/v1/editions/bundle?${query}`, token)).body;
  },
};
