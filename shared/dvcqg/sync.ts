import type { z } from "zod";
import { localDateOf } from "../domain/calendar";
import { contentHash } from "../domain/canonical-json";
import { type Event, eventSchema } from "../domain/events";
import { type DossierState, effectiveDetails } from "../domain/subject-state";
import { COMMUNE_CODE_PATTERN } from "../domain/unit-codes";
import type { StoredEvent, SubjectStore, UnitLookup } from "../intake/ports";
import { type DvcqgConfig, isInScope, type Source } from "../intake/sources";
import { progressFacts, type RawFact, SnapshotError, snapshotFacts } from "./facts";
import {
  type DossierSnapshot,
  dossierCodeOf,
  dossierSnapshotSchema,
  formatDvcqgDate,
  type ProgressEntry,
  progressEntrySchema,
} from "./payload";

/**
 * The DVCQG sync (docs/dvcqg.md) on top of the exactly-once core: each item is read,
 * placed in its commune, turned into facts (./facts.ts), and every item's facts go to the same
 * `SubjectStore.applyAll` as the `/events` intake. An item is checked whole before anything of it
 * is stored, so a rejected item leaves nothing behind, and one bad item never stops the others.
 */

export type ItemStatus = "applied" | "unchanged" | "rejected";
export const ITEM_ERROR_CODES = [
  "invalid_dossier",
  "unknown_agency",
  "unknown_unit",
  "out_of_scope",
  "id_conflict",
] as const;
export type ItemErrorCode = (typeof ITEM_ERROR_CODES)[number];

export interface ItemResult {
  MaHoSo: string;
  status: ItemStatus;
  error?: { code: ItemErrorCode; message: string; path?: string };
}

export type DvcqgSource = Pick<Source, "id" | "allowedProvinces" | "allowedCommunes"> & {
  dvcqg: DvcqgConfig;
};

export interface SyncDeps {
  store: SubjectStore;
  units: UnitLookup;
}

/** The agency code a dossier is filed under: the text of `MaHoSo` before its first `-`. */
export function agencyPrefix(dossierCode: string): string | undefined {
  const dash = dossierCode.indexOf("-");
  return dash > 0 ? dossierCode.slice(0, dash) : undefined;
}

function communeOfAgency(config: DvcqgConfig, agency: string | undefined): string | undefined {
  if (agency === undefined) return undefined;
  const mapped = config.agencies[agency];
  if (mapped !== undefined) return mapped;
  return config.communeCodesAsAgencies && COMMUNE_CODE_PATTERN.test(agency) ? agency : undefined;
}

/** The dossier's commune: the `MaHoSo` prefix's agency, else `madonvi`'s, through the source's map. */
export function communeOfDossier(
  config: DvcqgConfig,
  dossierCode: string,
  madonvi: string | undefined,
): string | undefined {
  return communeOfAgency(config, agencyPrefix(dossierCode)) ?? communeOfAgency(config, madonvi);
}

type Prepared = { index: number; code: string; facts: RawFact[] } | { index: number; result: ItemResult };

const rejected = (MaHoSo: string, code: ItemErrorCode, message: string, path?: string): ItemResult => ({
  MaHoSo,
  status: "rejected",
  error: { code, message, ...(path === undefined ? {} : { path }) },
});

function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** The unit and scope checks of the events intake, on the local date the dossier was received. */
function checkCommune(
  source: DvcqgSource,
  units: UnitLookup,
  code: string,
  communeCode: string,
  at: number,
): ItemResult | undefined {
  const onDate = localDateOf(at);
  if (!units.communeExists(communeCode, onDate)) {
    return rejected(code, "unknown_unit", `commune ${communeCode} does not exist on ${onDate}`, "MaHoSo");
  }
  const provinceCode = units.provinceOf(communeCode, onDate);
  if (!isInScope(source, { communeCode, provinceCode })) {
    return rejected(
      code,
      "out_of_scope",
      `source ${source.id} may not send for commune ${communeCode}`,
      "MaHoSo",
    );
  }
  return undefined;
}

/** Facts must be events of the contract: the same gate as `/events`. */
function validated(code: string, facts: RawFact[]): { events: Event[] } | { result: ItemResult } {
  const events: Event[] = [];
  for (const fact of facts) {
    const parsed = eventSchema.safeParse(fact);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        result: rejected(
          code,
          "invalid_dossier",
          issue?.message ?? "invalid dossier",
          formatPath(issue?.path ?? []),
        ),
      };
    }
    events.push(parsed.data);
  }
  return { events };
}

/** An item's facts, and the instant its commune is checked on (none: not checked). */
interface ItemFacts {
  checkedAt?: number;
  facts: RawFact[];
}

interface ItemContext {
  source: DvcqgSource;
  madonvi: string | undefined;
  units: UnitLookup;
  index: number;
}

/**
 * One item of either method: parsed against its schema, placed in its commune through the
 * source's agency map, turned into facts, and its commune checked on the instant those facts give.
 */
function prepareItem<T extends { MaHoSo: string }>(
  schema: z.ZodType<T>,
  raw: unknown,
  toFacts: (item: T, communeCode: string) => ItemFacts,
  { source, madonvi, units, index }: ItemContext,
): Prepared {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      index,
      result: rejected(
        dossierCodeOf(raw),
        "invalid_dossier",
        issue?.message ?? "invalid dossier",
        formatPath(issue?.path ?? []),
      ),
    };
  }
  const code = parsed.data.MaHoSo;
  const communeCode = communeOfDossier(source.dvcqg, code, madonvi);
  if (communeCode === undefined) {
    return {
      index,
      result: rejected(
        code,
        "unknown_agency",
        `no commune is mapped to the agency of ${code} (MaHoSo prefix or madonvi) for source ${source.id}`,
        "madonvi",
      ),
    };
  }
  try {
    const { checkedAt, facts } = toFacts(parsed.data, communeCode);
    if (checkedAt !== undefined) {
      const unitError = checkCommune(source, units, code, communeCode, checkedAt);
      if (unitError) return { index, result: unitError };
    }
    return { index, code, facts };
  } catch (error) {
    if (error instanceof SnapshotError)
      return { index, result: rejected(code, "invalid_dossier", error.message, error.path) };
    throw error;
  }
}

/** A snapshot's commune is checked on its reception; one not yet received is not checked. */
function snapshotItemFacts(snapshot: DossierSnapshot, communeCode: string): ItemFacts {
  const { receivedAt, facts } = snapshotFacts(snapshot, communeCode);
  return { checkedAt: receivedAt, facts };
}

/** A progress entry's commune is checked on the instant of the change. */
function entryItemFacts(entry: ProgressEntry): ItemFacts {
  return { checkedAt: entry.ThoiDiemXuLy, facts: progressFacts(entry) };
}

async function apply(source: DvcqgSource, prepared: Prepared[], deps: SyncDeps): Promise<ItemResult[]> {
  const results: ItemResult[] = new Array(prepared.length);
  const groups = new Map<string, { events: StoredEvent[]; ids: Set<string> }>();
  /** Facts an earlier item of this request already brings: for a later item they are repeats. */
  const owner = new Map<string, number>();
  const itemEvents = new Map<number, { code: string; ids: string[] }>();
  for (const item of prepared) {
    if ("result" in item) {
      results[item.index] = item.result;
      continue;
    }
    const checked = validated(item.code, item.facts);
    if ("result" in checked) {
      results[item.index] = checked.result;
      continue;
    }
    const group = groups.get(item.code) ?? { events: [], ids: new Set<string>() };
    groups.set(item.code, group);
    const ids: string[] = [];
    for (const event of checked.events) {
      ids.push(event.id);
      if (group.ids.has(event.id)) continue;
      group.ids.add(event.id);
      owner.set(event.id, item.index);
      group.events.push({ event, hash: contentHash(event) });
    }
    itemEvents.set(item.index, { code: item.code, ids });
  }
  const batches = [...groups].map(([code, group]) => ({
    subject: { kind: "dossier" as const, code },
    events: group.events,
  }));
  const outcomes = batches.length > 0 ? await deps.store.applyAll(source.id, batches) : new Map();
  for (const [index, { code, ids }] of itemEvents) {
    let applied = false;
    let conflict: string | undefined;
    for (const id of ids) {
      const outcome = outcomes.get(id);
      // Never report an item whose facts the store did not account for.
      if (outcome === undefined) throw new Error(`the store returned no outcome for fact ${id}`);
      if (outcome === "id_conflict") conflict = id;
      if (outcome === "applied" && owner.get(id) === index) applied = true;
    }
    results[index] = conflict
      ? rejected(
          code,
          "id_conflict",
          `fact ${conflict} was already received with different content (an /events id?)`,
        )
      : { MaHoSo: code, status: applied ? "applied" : "unchanged" };
  }
  return results;
}

/** `DongBoHoSoMC`: dossier snapshots, upserted. Results in request order. */
export function syncSnapshots(
  source: DvcqgSource,
  madonvi: string | undefined,
  items: readonly unknown[],
  deps: SyncDeps,
): Promise<ItemResult[]> {
  return apply(
    source,
    items.map((raw, index) =>
      prepareItem(dossierSnapshotSchema, raw, snapshotItemFacts, {
        source,
        madonvi,
        units: deps.units,
        index,
      }),
    ),
    deps,
  );
}

/** `CapNhatTienDoHoSoMC`: progress entries. Results in request order. */
export function syncProgress(
  source: DvcqgSource,
  madonvi: string | undefined,
  items: readonly unknown[],
  deps: SyncDeps,
): Promise<ItemResult[]> {
  return apply(
    source,
    items.map((raw, index) =>
      prepareItem(progressEntrySchema, raw, entryItemFacts, { source, madonvi, units: deps.units, index }),
    ),
    deps,
  );
}

/** 200 when nothing was rejected, 422 when everything was, 207 otherwise. */
export function syncStatusCode(results: readonly ItemResult[]): 200 | 207 | 422 {
  const count = results.filter((result) => result.status === "rejected").length;
  return count === 0 ? 200 : count === results.length ? 422 : 207;
}

export interface LookupRow {
  MaHoSo: string;
  TrangThaiHoSo: string;
  NgayTiepNhan: string;
  NgayHenTra: string;
  NgayKetThucXuLy: string;
}

/**
 * `TraCuuHoSo`: the dossier as the product knows it now, in the portal's terms; none before its
 * reception (status 1 and progress entries alone are not a dossier yet).
 */
export function lookupRow(code: string, state: DossierState | undefined): LookupRow[] {
  if (state?.receivedAt === undefined) return [];
  const date = (instant: number | null | undefined) => (instant == null ? "" : formatDvcqgDate(instant));
  const openHold = state.holds.find((hold) => hold.to === null);
  const status = state.rejected
    ? 3
    : state.withdrawnAt !== undefined
      ? 7
      : state.returnedAt !== undefined
        ? 10
        : state.resolvedAt !== undefined
          ? 9
          : openHold?.kind === "supplement"
            ? 5
            : openHold?.kind === "paused"
              ? 8
              : 4;
  const due = state.dueChanges.at(-1)?.dueAt ?? effectiveDetails(state)?.dueAt ?? null;
  const finished = state.withdrawnAt ?? state.resolvedAt ?? state.returnedAt;
  return [
    {
      MaHoSo: code,
      TrangThaiHoSo: String(status),
      NgayTiepNhan: date(state.receivedAt),
      NgayHenTra: date(due),
      NgayKetThucXuLy: date(finished),
    },
  ];
}
