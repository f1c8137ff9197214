/**
 * Live figures (docs/portal.md): the report model computed now from the aggregates, nothing
 * stored, plus `months` (./months.ts).
 */

import { communesOfProvince } from "../units/registry";
import { type ResolvedPeriod, registryDateOf } from "./build-model";
import type { CommuneReport, ProvinceReport } from "./model";
import { type MonthFigures, monthlySeries } from "./months";
import type { ReportTarget } from "./ports";
import {
  communeScope,
  computeCommuneReport,
  computeProvinceReport,
  type PeriodRequest,
  type ReportDeps,
} from "./service";

export type CommuneFigures = CommuneReport & { months: MonthFigures[] };
export type ProvinceFigures = ProvinceReport & { months: MonthFigures[] };

/** A commune's figures now. Throws like `computeCommuneReport` (unknown unit, period, identities). */
export async function communeFigures(
  deps: Pick<ReportDeps, "aggregates" | "now" | "onReread">,
  communeCode: string,
  request: PeriodRequest,
): Promise<CommuneFigures> {
  const { report, resolved, records } = await computeCommuneReport(deps, communeCode, request);
  return { ...report, months: monthlySeries(records, resolved.window) };
}

/** A province roll-up's figures now, its months summed over its communes. */
export async function provinceFigures(
  deps: Pick<ReportDeps, "aggregates" | "now" | "readConcurrency" | "onReread">,
  provinceCode: string,
  request: PeriodRequest,
): Promise<ProvinceFigures> {
  const { report, resolved, communes } = await computeProvinceReport(deps, provinceCode, request);
  // Each commune's records cover its scope: its own code and its full predecessors' (reports.md).
  const records = communes.flatMap((commune) => commune.records);
  return { ...report, months: monthlySeries(records, resolved.window) };
}

/**
 * Every commune code whose aggregates a unit's figures of the period read, as the computations
 * above resolve them: a commune's scope (its own code and its full predecessors'), or that of every
 * commune of the province. The live figures cache checks their commit markers.
 */
export function communesRead(target: ReportTarget, resolved: ResolvedPeriod): string[] {
  const communes =
    target.kind === "commune"
      ? [target.communeCode]
      : communesOfProvince(target.provinceCode, registryDateOf(resolved)).map((commune) => commune.code);
  return [...new Set(communes.flatMap((code) => communeScope(code, resolved)?.codes ?? []))];
}
