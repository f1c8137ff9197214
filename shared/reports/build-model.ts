/**
 * The report model from aggregate records and drill-down listings only (docs/architecture.md#reports:
 * reports read aggregates only): whatever the number of dossiers, a commune-year report is a few hundred
 * records at most. Pure: no I/O, no clock (the caller passes `generatedAt` and `asOf`).
 *
 * Every report is checked before it is returned (`checkCommuneReport`, `checkProvinceReport`): a
 * report that breaks an identity of Form II.06a throws a `ReportIdentityError` and is never published.
 */
import {
  type LocalDate,
  type MonthKey,
  monthIndex,
  monthKeyOf,
  type PeriodRange,
  type PeriodSpec,
  periodRange,
  reportingMonthOfDate,
} from "../domain/calendar";
import { BUNDLE_PREFIX, COUNTER, type Counters } from "../domain/counters";
import {
  type AggregateRecord,
  accumulate,
  emptySums,
  formII06a,
  type MonthWindow,
  type PeriodSums,
} from "../domain/form-ii06a";
import { type Listing, overdueAt } from "../domain/listings";
import { checkCommuneReport, checkProvinceReport, sumRows } from "./identities";
import type {
  CommuneReport,
  DossierListEntry,
  FieldRow,
  FormRow,
  PeriodKind,
  PredecessorRef,
  PreviousPeriod,
  ProvinceReport,
  ReportPeriod,
  ReportUnit,
} from "./model";
import { rateOf } from "./model";
import { serviceIndexOf } from "./service-index";

// The checks live in ./identities.ts; callers keep importing them from the builder.
export {
  checkCommuneReport,
  checkProvinceReport,
  ReportIdentityError,
  rowViolations,
  sumRows,
} from "./identities";

/** A listing as stored beside the aggregates: the Listing and the code of its dossier. */
export type StoredListing = Listing & { dossierCode: string };

/** A period of the Decree 09/2019 calendar, optionally cut at a day (a year-to-date report). */
export interface ReportPeriodRequest {
  period: PeriodSpec;
  /** The cut-off day of a year-to-date report; ignored when it is on or after the period's last day. */
  asOf?: LocalDate;
}

/** The months a report sums and the period as the report states it. */
export interface ResolvedPeriod {
  spec: PeriodSpec;
  range: PeriodRange;
  /** The months whose aggregates are summed: the period's, capped at the cut-off's month. */
  window: MonthWindow;
  period: ReportPeriod;
}

export class ReportPeriodError extends RangeError {
  override name = "ReportPeriodError";
}

/**
 * Resolves a period and its optional cut-off. Aggregates are monthly, so a year-to-date report
 * sums every month up to the reporting month holding the cut-off day (every event stored so far);
 * its pending dossiers are then classified at the cut-off day itself (`periodFigures`).
 */
export function resolvePeriod({ period, asOf }: ReportPeriodRequest): ResolvedPeriod {
  const range = periodRange(period);
  const cut = asOf !== undefined && asOf < range.to ? asOf : undefined;
  if (cut !== undefined && cut < range.from) {
    throw new ReportPeriodError(`the cut-off ${cut} is before the period starts (${range.from})`);
  }
  const lastMonth = cut === undefined ? range.lastMonth : reportingMonthOfDate(cut);
  const reportPeriod: ReportPeriod = {
    year: period.year,
    kind: period.kind as PeriodKind,
    ...(period.kind === "quarter" ? { quarter: period.quarter } : {}),
    ...(period.kind === "month" ? { month: period.month } : {}),
    from: range.from,
    to: range.to,
    ...(cut === undefined ? {} : { asOf: cut }),
  };
  return { spec: period, range, window: { firstMonth: range.firstMonth, lastMonth }, period: reportPeriod };
}

/** The last local day the registry is asked about for a period: its cut-off, else its last day. */
export function registryDateOf(resolved: ResolvedPeriod): LocalDate {
  return resolved.period.asOf ?? resolved.period.to;
}

export interface CommuneReportInput extends ReportPeriodRequest {
  unit: ReportUnit;
  /**
   * The commune codes whose aggregates and listings the report sums: the commune's own and, for a
   * commune made by the 2025 reorganization, its full predecessors' (`communeScope` in service.ts).
   * Default: the unit's own code only.
   */
  codes?: readonly string[];
  /** Every aggregate record of those codes up to the period's last month (later ones are ignored). */
  records: Iterable<AggregateRecord>;
  /** Their listings (late in the period, overdue runs begun by its end); the others are ignored. */
  listings: Iterable<StoredListing>;
  /** RFC 3339. */
  generatedAt: string;
}

/** What one period's aggregates (and overdue listings) say, before the report is laid out. */
interface PeriodFigures {
  resolved: ResolvedPeriod;
  byField: FieldRow[];
  total: FormRow;
  sums: PeriodSums;
  fieldNames: Map<string, string>;
  /** Overdue at the period's end (its cut-off day for a year-to-date report). */
  overdue: StoredListing[];
}

const counter = (counters: Counters, name: string) => counters[name] ?? 0;

/**
 * Form II.06a and the period sums of some records. A year-to-date report classifies its pending
 * dossiers at the cut-off day: aggregates are monthly and classify at the end of the cut-off's
 * reporting month, so a dossier overdue then but due on or after the cut-off day (its overdue
 * listing says when it is due) moves back to "within deadline", in its field and in the total.
 * Without `listings` (a province roll-up of a closed period) no reclassification is needed.
 */
function periodFigures(
  records: readonly AggregateRecord[],
  listings: readonly StoredListing[] | undefined,
  resolved: ResolvedPeriod,
): PeriodFigures {
  const { window } = resolved;
  const form = formII06a(records, window);
  const sums = emptySums();
  const fieldNames = new Map<string, string>();
  for (const record of records) {
    accumulate(sums, record, window);
    if (record.fieldName) fieldNames.set(record.fieldCode, record.fieldName);
  }
  const cut = resolved.period.asOf;
  if (cut !== undefined && listings === undefined) {
    throw new Error(
      "a year-to-date report needs the overdue listings to classify pending dossiers at its cut-off",
    );
  }
  const overdueAtMonthEnd = (listings ?? []).filter((l) => overdueAt(l, window.lastMonth));
  const overdue =
    cut === undefined
      ? overdueAtMonthEnd
      : overdueAtMonthEnd.filter((l) => l.dueOn !== null && l.dueOn < cut);
  const byField = form.byField as FieldRow[];
  const total = form.total;
  if (overdue.length !== overdueAtMonthEnd.length) {
    const kept = new Set(overdue);
    for (const listing of overdueAtMonthEnd) {
      if (kept.has(listing)) continue;
      for (const row of [byField.find((f) => f.fieldCode === listing.fieldCode), total]) {
        if (!row) continue;
        row.pending.overdue -= 1;
        row.pending.withinDeadline += 1;
      }
    }
  }
  return { resolved, byField, total, sums, fieldNames, overdue };
}

/** The headline rates of a period's figures and its service index. */
function headlineOf(figures: PeriodFigures) {
  const { inPeriod } = figures.sums;
  const { total } = figures;
  const online = total.received.online;
  const receivedNew = online + total.received.directOrPostal;
  const onlineReception = rateOf(online, receivedNew);
  const digitizedComponents = rateOf(
    counter(inPeriod, COUNTER.componentsPartial) + counter(inPeriod, COUNTER.componentsFull),
    receivedNew,
  );
  const digitizedResults = rateOf(counter(inPeriod, COUNTER.resultDigitized), total.resolved.total);
  const onlinePayment = rateOf(counter(inPeriod, COUNTER.paidOnline), counter(inPeriod, COUNTER.feeRequired));
  const serviceIndex = serviceIndexOf({
    total,
    onlineReception,
    onlinePayment,
    digitizedComponents,
    digitizedResults,
    unsatisfied: counter(inPeriod, COUNTER.ratedUnsatisfied),
    behaviourFeedback: counter(inPeriod, COUNTER.feedbackBehavior),
  });
  return { receivedNew, onlineReception, digitizedComponents, digitizedResults, onlinePayment, serviceIndex };
}

function previousOf(figures: PeriodFigures): PreviousPeriod {
  const { onlineReception, serviceIndex } = headlineOf(figures);
  return {
    period: figures.resolved.period,
    dossiers: { total: figures.total },
    onlineReception,
    serviceIndex,
  };
}

/** The commune's report for a period, checked (throws `ReportIdentityError` when it is inconsistent). */
export function buildCommuneReport(input: CommuneReportInput): CommuneReport {
  const resolved = resolvePeriod(input);
  const codes = new Set(input.codes ?? [input.unit.communeCode]);
  const records = [...input.records].filter((record) => codes.has(record.communeCode));
  const listings = [...input.listings].filter((listing) => codes.has(listing.communeCode));
  const figures = periodFigures(records, listings, resolved);
  const previous = periodFigures(records, listings, resolvePeriod(previousRequest(resolved)));
  const { window } = resolved;
  const { inPeriod, before, toEnd } = figures.sums;
  const { fieldNames } = figures;
  const c = counter;
  const headline = headlineOf(figures);
  const { receivedNew } = headline;

  const componentsNone = c(inPeriod, COUNTER.componentsNone);
  const componentsPartial = c(inPeriod, COUNTER.componentsPartial);
  const componentsFull = c(inPeriod, COUNTER.componentsFull);
  const resolvedTotal = figures.total.resolved.total;
  const resultDigitized = c(inPeriod, COUNTER.resultDigitized);
  const feeRequired = c(inPeriod, COUNTER.feeRequired);
  const paidOnline = c(inPeriod, COUNTER.paidOnline);
  const sameLevel = c(inPeriod, COUNTER.interlinkSameLevel);
  const crossLevel = c(inPeriod, COUNTER.interlinkCrossLevel);
  const verySatisfied = c(inPeriod, COUNTER.ratedVerySatisfied);
  const satisfied = c(inPeriod, COUNTER.ratedSatisfied);
  const unsatisfied = c(inPeriod, COUNTER.ratedUnsatisfied);
  const regulation = c(inPeriod, COUNTER.feedbackRegulation);
  const behavior = c(inPeriod, COUNTER.feedbackBehavior);
  const feedbackCarriedOver = c(before, COUNTER.feedbackPending);

  const byBundle = Object.entries(inPeriod)
    .filter(([name, count]) => name.startsWith(BUNDLE_PREFIX) && count !== 0)
    .map(([name, count]) => ({ bundle: name.slice(BUNDLE_PREFIX.length), count }))
    .sort((a, b) => compare(a.bundle, b.bundle));

  const entry = (listing: StoredListing): DossierListEntry => ({
    dossierCode: listing.dossierCode,
    fieldCode: listing.fieldCode,
    fieldName: listing.fieldName ?? fieldNames.get(listing.fieldCode) ?? listing.fieldCode,
    procedureCode: listing.procedureCode,
    ...(listing.procedureName ? { procedureName: listing.procedureName } : {}),
    receivedAt: listing.receivedOn,
    dueAt: listing.dueOn,
    ...(listing.resolvedOn ? { resolvedAt: listing.resolvedOn } : {}),
    apology: listing.apology,
  });
  const first = monthIndex(window.firstMonth);
  const last = monthIndex(window.lastMonth);
  const lateDossiers = listings
    .filter((l) => l.kind === "late" && monthIndex(l.month) >= first && monthIndex(l.month) <= last)
    .map(entry)
    .sort(byDueThenCode);
  // A dossier's overdue runs never overlap, so at most one of them covers the last month.
  const overdueDossiers = figures.overdue.map(entry).sort(byDueThenCode);

  const report: CommuneReport = {
    schema: "report.v1",
    unit: input.unit,
    period: resolved.period,
    generatedAt: input.generatedAt,
    dossiers: { byField: figures.byField, total: figures.total },
    onlineReception: headline.onlineReception,
    digitization: {
      received: receivedNew,
      componentsNone,
      componentsPartial,
      componentsFull,
      digitizedRate: headline.digitizedComponents,
      fullyDigitizedRate: rateOf(componentsFull, receivedNew),
      resolved: resolvedTotal,
      resultNotDigitized: resolvedTotal - resultDigitized,
      resultDigitized,
      resultDigitizedRate: headline.digitizedResults,
    },
    onlinePayment: { feeRequired, paidOnline, rate: headline.onlinePayment },
    interlink: { total: sameLevel + crossLevel, sameLevel, crossLevel, byBundle },
    electronicCertification: c(inPeriod, COUNTER.electronicCertification),
    postal: {
      receivedByPost: c(inPeriod, COUNTER.receivedPostal),
      returnedByPost: c(inPeriod, COUNTER.returnedByPost),
    },
    satisfaction: {
      rated: verySatisfied + satisfied + unsatisfied,
      verySatisfied,
      satisfied,
      unsatisfied,
      satisfiedRate: rateOf(verySatisfied + satisfied, verySatisfied + satisfied + unsatisfied),
    },
    feedback: {
      received: {
        total: regulation + behavior + feedbackCarriedOver,
        regulation,
        behavior,
        carriedOver: feedbackCarriedOver,
      },
      resolved: c(inPeriod, COUNTER.feedbackResolved),
      inProgress: c(toEnd, COUNTER.feedbackPending),
      published: c(inPeriod, COUNTER.feedbackPublished),
    },
    lateDossiers,
    overdueDossiers,
    serviceIndex: headline.serviceIndex,
    previous: previousOf(previous),
  };
  checkCommuneReport(report, { receivedCounter: c(inPeriod, COUNTER.received) });
  return report;
}

/** The previous period of the same kind; a year-to-date cut moves back by the same number of months. */
export function previousRequest(resolved: ResolvedPeriod): ReportPeriodRequest {
  const period = previousPeriodOf(resolved.spec);
  const asOf = resolved.period.asOf;
  return asOf === undefined
    ? { period }
    : { period, asOf: shiftMonths(asOf, -PERIOD_STEP_MONTHS[period.kind]) };
}

/** How far back the previous period of each kind starts. */
const PERIOD_STEP_MONTHS: Record<PeriodSpec["kind"], number> = {
  year: 12,
  "nine-months": 12,
  "six-months": 12,
  quarter: 3,
  month: 1,
};

/** Year Y−1 for a year (and for the first 6 or 9 months), the previous quarter, the previous month. */
export function previousPeriodOf(period: PeriodSpec): PeriodSpec {
  switch (period.kind) {
    case "quarter":
      return period.quarter === 1
        ? { kind: "quarter", year: period.year - 1, quarter: 4 }
        : { kind: "quarter", year: period.year, quarter: (period.quarter - 1) as 1 | 2 | 3 };
    case "month":
      return period.month === 1
        ? { kind: "month", year: period.year - 1, month: 12 }
        : { kind: "month", year: period.year, month: period.month - 1 };
    default:
      return { kind: period.kind, year: period.year - 1 };
  }
}

/** The same day `months` months away, clamped to the month's last day (31/3 − 1 month → 28/2). */
function shiftMonths(date: LocalDate, months: number): LocalDate {
  const index = monthIndex(date.slice(0, 7)) + months;
  const month = monthKeyOf(index);
  const days = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return `${month}-${String(Math.min(Number(date.slice(8, 10)), days)).padStart(2, "0")}`;
}

export interface ProvinceCommuneInput {
  communeCode: string;
  communeName: string;
  /** As `CommuneReportInput.codes`. */
  codes?: readonly string[];
  predecessors?: PredecessorRef[];
  /** Every aggregate record of those codes (see `CommuneReportInput.records`). */
  records: Iterable<AggregateRecord>;
  /** Their overdue listings: needed by a year-to-date roll-up only. */
  listings?: Iterable<StoredListing>;
}

export interface ProvinceReportInput extends ReportPeriodRequest {
  province: { provinceCode: string; provinceName: string };
  /** Every commune of the province valid at the period's end, with its records. */
  communes: ProvinceCommuneInput[];
  generatedAt: string;
}

/** The province roll-up: one Form II.06a row per commune and the province total, checked. */
export function buildProvinceReport(input: ProvinceReportInput): ProvinceReport {
  const resolved = resolvePeriod(input);
  const previousResolved = resolvePeriod(previousRequest(resolved));
  const current: PeriodFigures[] = [];
  const previous: PeriodFigures[] = [];
  const rows = input.communes
    .map(({ communeCode, communeName, codes, predecessors, records, listings }) => {
      const set = new Set(codes ?? [communeCode]);
      const mine = [...records].filter((record) => set.has(record.communeCode));
      const myListings = listings && [...listings].filter((listing) => set.has(listing.communeCode));
      const figures = periodFigures(mine, myListings, resolved);
      current.push(figures);
      previous.push(periodFigures(mine, myListings, previousResolved));
      const { total } = figures;
      return {
        communeCode,
        communeName,
        ...total,
        onlineReception: rateOf(total.received.online, total.received.online + total.received.directOrPostal),
        ...(predecessors && predecessors.length > 0 ? { predecessors } : {}),
      };
    })
    .sort((a, b) => compare(a.communeCode, b.communeCode));
  const total = sumRows(rows);
  const report: ProvinceReport = {
    schema: "province-report.v1",
    province: input.province,
    period: resolved.period,
    generatedAt: input.generatedAt,
    communes: rows,
    total: {
      ...total,
      onlineReception: rateOf(total.received.online, total.received.online + total.received.directOrPostal),
    },
    serviceIndex: headlineOf(mergeFigures(current, resolved)).serviceIndex,
    previous: previousOf(mergeFigures(previous, previousResolved)),
  };
  checkProvinceReport(report);
  return report;
}

/** The figures of several communes as one (a province's). */
function mergeFigures(all: PeriodFigures[], resolved: ResolvedPeriod): PeriodFigures {
  const sums = emptySums();
  for (const figures of all) {
    for (const part of ["inPeriod", "before", "toEnd"] as const) {
      for (const [name, value] of Object.entries(figures.sums[part])) {
        sums[part][name] = (sums[part][name] ?? 0) + value;
      }
    }
  }
  return {
    resolved,
    byField: [],
    total: sumRows(all.map((figures) => figures.total)),
    sums,
    fieldNames: new Map(),
    overdue: all.flatMap((figures) => figures.overdue),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byDueThenCode(a: DossierListEntry, b: DossierListEntry): number {
  return compare(a.dueAt ?? "", b.dueAt ?? "") || compare(a.dossierCode, b.dossierCode);
}

/** The reporting month a cut-off day falls in (exported for adapters that read "up to a month"). */
export function lastMonthOf(request: ReportPeriodRequest): MonthKey {
  return resolvePeriod(request).window.lastMonth;
}
