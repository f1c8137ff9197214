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
} from "../domain/form-ii06a";
import { type Listing, overdueAt } from "../domain/listings";
import type {
  CommuneReport,
  DossierListEntry,
  FieldRow,
  FormRow,
  PeriodKind,
  ProvinceReport,
  ReportPeriod,
  ReportUnit,
} from "./model";
import { rateOf } from "./model";

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
 * sums every month up to the reporting month holding the cut-off day: it holds every event stored
 * so far, and pending dossiers are classified at the end of that (current) month.
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
  /** Every aggregate record of the commune up to the period's last month (later ones are ignored). */
  records: Iterable<AggregateRecord>;
  /** The commune's listings; those outside the period are ignored. */
  listings: Iterable<StoredListing>;
  /** RFC 3339. */
  generatedAt: string;
}

/** The commune's report for a period, checked (throws `ReportIdentityError` when it is inconsistent). */
export function buildCommuneReport(input: CommuneReportInput): CommuneReport {
  const resolved = resolvePeriod(input);
  const { window } = resolved;
  const records = [...input.records].filter((record) => record.communeCode === input.unit.communeCode);
  const form = formII06a(records, window);
  const sums = emptySums();
  const fieldNames = new Map<string, string>();
  for (const record of records) {
    accumulate(sums, record, window);
    if (record.fieldName) fieldNames.set(record.fieldCode, record.fieldName);
  }
  const { inPeriod, before, toEnd } = sums;
  const c = (counters: Counters, name: string) => counters[name] ?? 0;

  const online = c(inPeriod, COUNTER.receivedOnline);
  const receivedNew = online + c(inPeriod, COUNTER.receivedDirect) + c(inPeriod, COUNTER.receivedPostal);
  const componentsNone = c(inPeriod, COUNTER.componentsNone);
  const componentsPartial = c(inPeriod, COUNTER.componentsPartial);
  const componentsFull = c(inPeriod, COUNTER.componentsFull);
  const resolvedTotal = form.total.resolved.total;
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

  const listings = [...input.listings].filter((listing) => listing.communeCode === input.unit.communeCode);
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
  const overdueDossiers = listings
    .filter((l) => overdueAt(l, window.lastMonth))
    .map(entry)
    .sort(byDueThenCode);

  const report: CommuneReport = {
    schema: "report.v1",
    unit: input.unit,
    period: resolved.period,
    generatedAt: input.generatedAt,
    dossiers: { byField: form.byField as FieldRow[], total: form.total },
    onlineReception: rateOf(online, receivedNew),
    digitization: {
      received: receivedNew,
      componentsNone,
      componentsPartial,
      componentsFull,
      digitizedRate: rateOf(componentsPartial + componentsFull, receivedNew),
      fullyDigitizedRate: rateOf(componentsFull, receivedNew),
      resolved: resolvedTotal,
      resultNotDigitized: resolvedTotal - resultDigitized,
      resultDigitized,
      resultDigitizedRate: rateOf(resultDigitized, resolvedTotal),
    },
    onlinePayment: { feeRequired, paidOnline, rate: rateOf(paidOnline, feeRequired) },
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
  };
  checkCommuneReport(report, { receivedCounter: c(inPeriod, COUNTER.received) });
  return report;
}

export interface ProvinceReportInput extends ReportPeriodRequest {
  province: { provinceCode: string; provinceName: string };
  /** Every commune of the province with its aggregate records (see `CommuneReportInput.records`). */
  communes: { communeCode: string; communeName: string; records: Iterable<AggregateRecord> }[];
  generatedAt: string;
}

/** The province roll-up: one Form II.06a row per commune and the province total, checked. */
export function buildProvinceReport(input: ProvinceReportInput): ProvinceReport {
  const resolved = resolvePeriod(input);
  const rows = input.communes
    .map(({ communeCode, communeName, records }) => {
      const mine = [...records].filter((record) => record.communeCode === communeCode);
      const { total } = formII06a(mine, resolved.window);
      return {
        communeCode,
        communeName,
        ...total,
        onlineReception: rateOf(total.received.online, total.received.online + total.received.directOrPostal),
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
  };
  checkProvinceReport(report);
  return report;
}

// ---------------------------------------------------------------------------------------------
// Identities

/** A report that breaks an identity: it must not be published. `violations` says which and where. */
export class ReportIdentityError extends Error {
  override name = "ReportIdentityError";
  constructor(
    readonly subject: string,
    readonly violations: string[],
  ) {
    super(
      `${subject}: the report breaks ${violations.length} identit${violations.length === 1 ? "y" : "ies"} ` +
        `and is not published: ${violations.slice(0, 5).join("; ")}${violations.length > 5 ? "; …" : ""}`,
    );
  }
}

/** The identities of one Form II.06a row, as messages (empty when it holds). */
export function rowViolations(label: string, row: FormRow): string[] {
  const out: string[] = [];
  const { received: r, resolved: s, pending: p } = row;
  const expect = (name: string, left: number, right: number) => {
    if (left !== right) out.push(`${label}: ${name} (${left} ≠ ${right})`);
  };
  expect(
    "received total = online + direct/postal + carried over",
    r.total,
    r.online + r.directOrPostal + r.carriedOver,
  );
  expect("received total = resolved total + pending total", r.total, s.total + p.total);
  expect("resolved total = early + on time + late", s.total, s.early + s.onTime + s.late);
  expect("pending total = within deadline + overdue", p.total, p.withinDeadline + p.overdue);
  const values = [r.total, r.online, r.directOrPostal, r.carriedOver, s.total, s.early, s.onTime, s.late];
  values.push(p.total, p.withinDeadline, p.overdue);
  if (values.some((value) => !Number.isInteger(value) || value < 0)) {
    out.push(`${label}: every count is a whole number ≥ 0 (${values.join(", ")})`);
  }
  return out;
}

/** Field by field (or commune by commune), the total row equals the sum of the rows. */
function sumViolations(label: string, rows: FormRow[], total: FormRow): string[] {
  const sum = sumRows(rows);
  const out: string[] = [];
  for (const group of ["received", "resolved", "pending"] as const) {
    for (const [name, value] of Object.entries(total[group])) {
      const summed = (sum[group] as unknown as Record<string, number>)[name] ?? 0;
      if (summed !== value) out.push(`${label}: ${group}.${name} total ${value} ≠ sum of rows ${summed}`);
    }
  }
  return out;
}

/**
 * Checks a commune report: every row and the total hold the identities of Form II.06a, the total
 * equals the sum of the fields, and the other sections agree with the form. Throws
 * `ReportIdentityError` listing every broken identity.
 */
export function checkCommuneReport(report: CommuneReport, extra: { receivedCounter?: number } = {}): void {
  const violations: string[] = [];
  for (const row of report.dossiers.byField) violations.push(...rowViolations(`field ${row.fieldCode}`, row));
  violations.push(...rowViolations("total", report.dossiers.total));
  violations.push(...sumViolations("total", report.dossiers.byField, report.dossiers.total));

  const total = report.dossiers.total;
  const receivedNew = total.received.online + total.received.directOrPostal;
  const same = (name: string, left: number, right: number) => {
    if (left !== right) violations.push(`${name} (${left} ≠ ${right})`);
  };
  if (extra.receivedCounter !== undefined) {
    same("received counter = online + direct + postal", extra.receivedCounter, receivedNew);
  }
  same("online reception rate: of = received in the period", report.onlineReception.of, receivedNew);
  const d = report.digitization;
  same("digitization: received = received in the period", d.received, receivedNew);
  same(
    "digitization: none + partial + full = received",
    d.componentsNone + d.componentsPartial + d.componentsFull,
    d.received,
  );
  same("digitization: resolved = resolved total", d.resolved, total.resolved.total);
  same(
    "digitization: not digitized + digitized = resolved",
    d.resultNotDigitized + d.resultDigitized,
    d.resolved,
  );
  if (report.onlinePayment.paidOnline > report.onlinePayment.feeRequired) {
    violations.push(
      `online payment: paid online ${report.onlinePayment.paidOnline} > fee-bearing ${report.onlinePayment.feeRequired}`,
    );
  }
  if (report.postal.receivedByPost > total.received.directOrPostal) {
    violations.push(
      `postal reception ${report.postal.receivedByPost} > direct/postal ${total.received.directOrPostal}`,
    );
  }
  const f = report.feedback;
  same(
    "feedback: received total = regulation + behaviour + carried over",
    f.received.total,
    f.received.regulation + f.received.behavior + f.received.carriedOver,
  );
  same("feedback: received total = resolved + in progress", f.received.total, f.resolved + f.inProgress);
  if (f.published > f.resolved)
    violations.push(`feedback: published ${f.published} > resolved ${f.resolved}`);
  same("overdue list = pending overdue", report.overdueDossiers.length, total.pending.overdue);
  if (violations.length > 0) {
    throw new ReportIdentityError(
      `commune ${report.unit.communeCode}, ${describePeriod(report.period)}`,
      violations,
    );
  }
}

/** Checks a province roll-up: every commune row and the total hold, and the total is their sum. */
export function checkProvinceReport(report: ProvinceReport): void {
  const violations: string[] = [];
  for (const row of report.communes) violations.push(...rowViolations(`commune ${row.communeCode}`, row));
  violations.push(...rowViolations("total", report.total));
  violations.push(...sumViolations("total", report.communes, report.total));
  if (violations.length > 0) {
    throw new ReportIdentityError(
      `province ${report.province.provinceCode}, ${describePeriod(report.period)}`,
      violations,
    );
  }
}

// ---------------------------------------------------------------------------------------------

export function sumRows(rows: FormRow[]): FormRow {
  const total: FormRow = {
    received: { total: 0, online: 0, directOrPostal: 0, carriedOver: 0 },
    resolved: { total: 0, early: 0, onTime: 0, late: 0 },
    pending: { total: 0, withinDeadline: 0, overdue: 0 },
  };
  for (const row of rows) {
    for (const k of ["total", "online", "directOrPostal", "carriedOver"] as const)
      total.received[k] += row.received[k];
    for (const k of ["total", "early", "onTime", "late"] as const) total.resolved[k] += row.resolved[k];
    for (const k of ["total", "withinDeadline", "overdue"] as const) total.pending[k] += row.pending[k];
  }
  return total;
}

function describePeriod(period: ReportPeriod): string {
  const kind = period.kind ?? "year";
  const detail = kind === "quarter" ? ` Q${period.quarter}` : kind === "month" ? ` M${period.month}` : "";
  return `${kind}${detail} ${period.year}${period.asOf ? ` as of ${period.asOf}` : ""}`;
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
