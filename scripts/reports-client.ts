/**
 * A small HTTP client of the report API (docs/api.md#reports), shared by `npm run report` and `npm run demo`:
 * it talks to the API like any reader does (bearer token, presigned links), so it works against the
 * local stack and a deployed stack alike.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export interface ReportLink {
  format: "json" | "xlsx" | "docx";
  url: string;
  expiresAt: string;
}

export interface ReportQuery {
  communeCode?: string;
  provinceCode?: string;
  year: number;
  period?: string;
  quarter?: number;
  month?: number;
  expiresIn?: number;
}

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body}`);
  }
}

/** POST /v1/reports (build now) or GET /v1/reports (links to the last build). */
export async function reportLinks(
  baseUrl: string,
  token: string,
  query: ReportQuery,
  build: boolean,
): Promise<ReportLink[]> {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const defined = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  const response = build
    ? await fetch(`${baseUrl}/v1/reports`, { method: "POST", headers, body: JSON.stringify(defined) })
    : await fetch(
        `${baseUrl}/v1/reports?${new URLSearchParams(Object.entries(defined).map(([k, v]) => [k, String(v)] as [string, string]))}`,
        {
          headers,
        },
      );
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, text);
  return (JSON.parse(text) as { reports: ReportLink[] }).reports;
}

/** Downloads every link into `dir` (with a plain GET: the URLs are presigned); returns the paths. */
export async function downloadAll(links: ReportLink[], dir: string, stem: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const link of links) {
    const response = await fetch(link.url);
    if (!response.ok) throw new ApiError(response.status, await response.text());
    const file = path.join(dir, `${stem}.${link.format}`);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    written.push(file);
  }
  return written;
}

export function printLinks(links: ReportLink[], log: (line: string) => void = console.log): void {
  for (const link of links) {
    log(`  ${link.format.padEnd(4)}  ${link.url}`);
    log(`        valid until ${link.expiresAt}`);
  }
}
