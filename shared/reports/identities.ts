/**
 * The identities of Form II.06a that every report keeps (docs/reports.md): checked by the builder
 * (./build-model.ts) before a report is returned, so a report that breaks one is never published.
 */
import type { CommuneReport, FormRow, ProvinceReport, ReportPeriod } from "./model";

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

/** The sum of Form II.06a rows, group by group and column by column. */
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
