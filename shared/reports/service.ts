/**
 * The report use cases: read aggregates → build the model (identities checked) → render JSON, Excel
 * and Word → upload → links. Used alike by the links Lambda (on demand), the report worker (on
 * schedule), the command line and the benchmark.
 */
import { localDateOf, type PeriodSpec, periodRange } from "../domain/calendar";
import type { AggregateRecord } from "../domain/form-ii06a";
import { mapLimited } from "../map-limited";
import {
  communesOfProvince,
  findCommune,
  findProvince,
  NEW_UNITS_VALID_FROM,
  predecessorsOf,
} from "../units/registry";
import {
  buildCommuneReport,
  buildProvinceReport,
  type ProvinceCommuneInput,
  ReportIdentityError,
  ReportPeriodError,
  type ResolvedPeriod,
  registryDateOf,
  resolvePeriod,
  type StoredListing,
} from "./build-model";
import type { CommuneReport, ProvinceReport, ReportUnit } from "./model";
import type { AggregateSource, PresignedLink, ReportStore, ReportTarget } from "./ports";

export interface ReportDeps {
  aggregates: AggregateSource;
  store: ReportStore;
  now?: () => Date;
  /** Communes read at once for a province roll-up. Default 16. */
  readConcurrency?: number;
  /**
   * Told each time a report is read again because a read saw an intake commit half-way
   * (`readConsistently`): the unit's code (commune or province) and the attempt about to run (2, 3,
   * …). The functions count it (functions/runtime.ts `reportRereads`); nothing else changes.
   */
  onReread?: (unit: string, attempt: number) => void;
}

/**
 * A period to report on. `asOf`: the cut-off day of a year-to-date report; `"auto"` (the default)
 * cuts at today (Vietnam) while the period is still running and not at all once it has ended.
 */
export interface PeriodRequest {
  period: PeriodSpec;
  asOf?: string | "auto";
}

export class UnknownUnitError extends Error {
  override name = "UnknownUnitError";
}

/** Resolves the period and the cut-off of a request at `now`. */
export function resolveRequest(request: PeriodRequest, now: Date): ResolvedPeriod {
  const auto = request.asOf === undefined || request.asOf === "auto";
  const asOf = auto ? localDateOf(now.getTime()) : (request.asOf as string);
  const { from } = periodRange(request.period);
  if (auto && asOf < from) {
    throw new ReportPeriodError(`the period has not started yet: it starts on ${from}`);
  }
  return resolvePeriod({ period: request.period, asOf });
}

/**
 * The commune as the registry names it for the period (its last day, or the cut-off), and the
 * codes whose aggregates its figures sum.
 *
 * A commune made by the 1 July 2025 reorganization sums its own code's aggregates and those of its
 * FULL predecessors, for every period: what they received before the merger, what they resolved
 * after it under their old codes (a dossier counts under its reception's commune), and what they
 * left pending. Partial predecessors cannot be split without addresses: listed, never added. The
 * predecessors are listed (`unit.predecessors`, docs/reports.md) when the period starts before
 * 1 July 2025 and the commune is not simply its own old self.
 */
export interface CommuneScope {
  unit: ReportUnit;
  /** The commune's own code first, then its full predecessors' other codes, ascending. */
  codes: string[];
}

export function communeScope(communeCode: string, resolved: ResolvedPeriod): CommuneScope | undefined {
  const unit =
    findCommune(communeCode, registryDateOf(resolved)) ?? findCommune(communeCode, resolved.period.from);
  if (!unit) return undefined;
  const predecessors = unit.validFrom ? predecessorsOf(unit.code, unit.validFrom) : [];
  const full = predecessors.filter((p) => p.kind === "full" && p.level === "commune" && p.code !== unit.code);
  const listed =
    resolved.period.from < NEW_UNITS_VALID_FROM &&
    predecessors.some((p) => p.code !== unit.code || p.kind !== "full");
  return {
    unit: {
      communeCode: unit.code,
      communeName: unit.name,
      provinceCode: unit.provinceCode,
      provinceName: unit.provinceName,
      ...(unit.districtName ? { districtName: unit.districtName } : {}),
      ...(listed
        ? {
            predecessors: predecessors.map((p) => ({
              communeCode: p.code,
              communeName: p.name,
              share: p.kind,
            })),
          }
        : {}),
    },
    codes: [unit.code, ...full.map((p) => p.code)],
  };
}

/** The commune as the registry names it for the period (see `communeScope`). */
export function communeUnit(communeCode: string, resolved: ResolvedPeriod): ReportUnit | undefined {
  return communeScope(communeCode, resolved)?.unit;
}

/** Every aggregate record and listing of a scope's codes that a report of the period can need. */
export async function readScope(
  aggregates: AggregateSource,
  scope: Pick<CommuneScope, "codes">,
  resolved: ResolvedPeriod,
  parts: { listings: boolean } = { listings: true },
): Promise<{ records: AggregateRecord[]; listings: StoredListing[] }> {
  const [records, listings] = await Promise.all([
    Promise.all(scope.codes.map((code) => aggregates.readRecords(code, resolved.window.lastMonth))),
    parts.listings
      ? Promise.all(scope.codes.map((code) => aggregates.readListings(code, resolved.window)))
      : Promise.resolve([]),
  ]);
  return { records: records.flat(), listings: listings.flat() };
}

/** Where a commune's report lives, or undefined when the registry does not know the commune then. */
export function communeTarget(
  communeCode: string,
  request: PeriodRequest,
  now: Date,
): (ReportTarget & { kind: "commune" }) | undefined {
  const unit = communeUnit(communeCode, resolveRequest(request, now));
  return unit && { kind: "commune", communeCode, provinceCode: unit.provinceCode, period: request.period };
}

export function provinceTarget(provinceCode: string, request: PeriodRequest, now: Date) {
  const resolved = resolveRequest(request, now);
  const province = findProvince(provinceCode, registryDateOf(resolved));
  return province ? { kind: "province" as const, provinceCode, period: request.period } : undefined;
}

/** Reads (and builds) again at most this many times when a read saw a commit half-way. */
export const CONSISTENT_READ_ATTEMPTS = 5;

/**
 * Runs `readAndBuild` until its report holds its identities, at most CONSISTENT_READ_ATTEMPTS
 * times. A Query is not isolated from transactions: while the intake commits, one read may see a
 * dossier's move between two aggregate items (received → resolved, one month → another) on one
 * item and not yet on the other, and the report then breaks an identity for that instant. Every
 * transaction is all-or-nothing, so a new read sees it whole; an identity still broken after the
 * last attempt is a real defect and is thrown (nothing is published).
 */
export async function readConsistently<T>(
  readAndBuild: () => Promise<T>,
  onReread?: (attempt: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await readAndBuild();
    } catch (error) {
      if (!(error instanceof ReportIdentityError) || attempt >= CONSISTENT_READ_ATTEMPTS) throw error;
      onReread?.(attempt + 1);
    }
  }
}

/** `deps.onReread` for one unit, as `readConsistently` takes it. */
function rereadsOf(
  deps: Pick<ReportDeps, "onReread">,
  unit: string,
): ((attempt: number) => void) | undefined {
  const { onReread } = deps;
  return onReread && ((attempt) => onReread(unit, attempt));
}

/** A commune's report computed now from its aggregates (checked), with what it was computed from. */
export interface ComputedCommuneReport {
  target: ReportTarget & { kind: "commune" };
  report: CommuneReport;
  resolved: ResolvedPeriod;
  /** The aggregate records the report sums (every month up to the period's last). */
  records: AggregateRecord[];
}

/** Reads the aggregates and builds a commune's report (identities checked); stores nothing. */
export async function computeCommuneReport(
  deps: Pick<ReportDeps, "aggregates" | "now" | "onReread">,
  communeCode: string,
  request: PeriodRequest,
): Promise<ComputedCommuneReport> {
  const now = deps.now?.() ?? new Date();
  const resolved = resolveRequest(request, now);
  const scope = communeScope(communeCode, resolved);
  if (!scope)
    throw new UnknownUnitError(`no commune ${communeCode} in the registry for ${resolved.period.to}`);
  const { unit } = scope;
  const rereads = rereadsOf(deps, communeCode);
  const { records, report } = await readConsistently(async () => {
    const { records, listings } = await readScope(deps.aggregates, scope, resolved);
    const report = buildCommuneReport({
      unit,
      codes: scope.codes,
      period: request.period,
      ...(resolved.period.asOf ? { asOf: resolved.period.asOf } : {}),
      records,
      listings,
      generatedAt: now.toISOString(),
    });
    return { records, report };
  }, rereads);
  const target = {
    kind: "commune" as const,
    communeCode,
    provinceCode: unit.provinceCode,
    period: request.period,
  };
  return { target, report, resolved, records };
}

/** A province roll-up computed now from its communes' aggregates (checked), with what it was computed from. */
export interface ComputedProvinceReport {
  target: ReportTarget & { kind: "province" };
  report: ProvinceReport;
  resolved: ResolvedPeriod;
  /** Each commune's aggregate records, in the registry's order of communes. */
  communes: { communeCode: string; records: AggregateRecord[] }[];
}

/**
 * Reads and builds a province roll-up: one row per commune the registry places in the province for
 * the period, from aggregates only (one key-range Query per commune, `readConcurrency` at once).
 */
export async function computeProvinceReport(
  deps: Pick<ReportDeps, "aggregates" | "now" | "readConcurrency" | "onReread">,
  provinceCode: string,
  request: PeriodRequest,
): Promise<ComputedProvinceReport> {
  const now = deps.now?.() ?? new Date();
  const resolved = resolveRequest(request, now);
  const onDate = registryDateOf(resolved);
  const province = findProvince(provinceCode, onDate);
  if (!province) throw new UnknownUnitError(`no province ${provinceCode} in the registry for ${onDate}`);
  const rereads = rereadsOf(deps, provinceCode);
  const { communes, report } = await readConsistently(async () => {
    const communes = await readProvinceCommunes(deps, provinceCode, resolved);
    const report = buildProvinceReport({
      province: { provinceCode, provinceName: province.name },
      period: request.period,
      ...(resolved.period.asOf ? { asOf: resolved.period.asOf } : {}),
      communes,
      generatedAt: now.toISOString(),
    });
    return { communes, report };
  }, rereads);
  const target = { kind: "province" as const, provinceCode, period: request.period };
  return {
    target,
    report,
    resolved,
    communes: communes.map((commune) => ({
      communeCode: commune.communeCode,
      records: [...commune.records],
    })),
  };
}

/**
 * The communes of a province valid at the period's end, each with the aggregates of its scope (its
 * full predecessors' included), read at most `readConcurrency` communes at once. A year-to-date
 * roll-up also reads the listings (to classify pending dossiers at the cut-off day).
 */
export async function readProvinceCommunes(
  deps: Pick<ReportDeps, "aggregates" | "readConcurrency">,
  provinceCode: string,
  resolved: ResolvedPeriod,
): Promise<ProvinceCommuneInput[]> {
  const communes = communesOfProvince(provinceCode, registryDateOf(resolved));
  const listings = resolved.period.asOf !== undefined;
  return mapLimited(communes, deps.readConcurrency ?? 16, async (commune) => {
    const scope = communeScope(commune.code, resolved)!;
    const data = await readScope(deps.aggregates, scope, resolved, { listings });
    return {
      communeCode: commune.code,
      communeName: commune.name,
      codes: scope.codes,
      ...(scope.unit.predecessors ? { predecessors: scope.unit.predecessors } : {}),
      records: data.records,
      ...(listings ? { listings: data.listings } : {}),
    };
  });
}

/** Presigned links to every stored format of a report; undefined when it was never built. */
export async function reportLinks(
  deps: Pick<ReportDeps, "store" | "now">,
  target: ReportTarget,
  expiresInSeconds: number,
): Promise<PresignedLink[] | undefined> {
  const stored = await deps.store.list(target);
  if (stored.length === 0) return undefined;
  const now = deps.now?.() ?? new Date();
  return Promise.all(stored.map((object) => deps.store.presign(object, expiresInSeconds, now)));
}
