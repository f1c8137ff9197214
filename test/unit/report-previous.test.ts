import { describe, expect, it } from "vitest";
import { aggregatesOf } from "../../bench/aggregates";
import { generateCommuneYear } from "../../bench/realistic-year";
import type { PeriodSpec } from "../../shared/domain/calendar";
import { buildCommuneReport, previousPeriodOf } from "../../shared/reports/build-model";
import type { CommuneReport, ReportUnit } from "../../shared/reports/model";
import { dossierEvent, received } from "../support/events";

const UNIT: ReportUnit = { communeCode: "10621", communeName: "Xã Quốc Tuấn", provinceCode: "30" };
const GENERATED_AT = "2025-01-02T00:00:00.000Z";
const data = aggregatesOf([
  ...generateCommuneYear({ communeCode: "10621", year: 2023, dossiers: 400, seed: 3 }),
  ...generateCommuneYear({ communeCode: "10621", year: 2024, dossiers: 500, seed: 4 }),
]);

const build = (period: PeriodSpec, asOf?: string): CommuneReport =>
  buildCommuneReport({ unit: UNIT, period, ...(asOf ? { asOf } : {}), ...data, generatedAt: GENERATED_AT });

/** What `previous` must say: the previous period's own report, in the contract's shape. */
const summary = (report: CommuneReport) => ({
  period: report.period,
  dossiers: { total: report.dossiers.total },
  onlineReception: report.onlineReception,
  serviceIndex: report.serviceIndex,
});

describe("the previous period of a report", () => {
  const cases: [PeriodSpec, PeriodSpec][] = [
    [
      { kind: "year", year: 2024 },
      { kind: "year", year: 2023 },
    ],
    [
      { kind: "six-months", year: 2024 },
      { kind: "six-months", year: 2023 },
    ],
    [
      { kind: "nine-months", year: 2024 },
      { kind: "nine-months", year: 2023 },
    ],
    [
      { kind: "quarter", year: 2024, quarter: 1 },
      { kind: "quarter", year: 2023, quarter: 4 },
    ],
    [
      { kind: "quarter", year: 2024, quarter: 3 },
      { kind: "quarter", year: 2024, quarter: 2 },
    ],
    [
      { kind: "month", year: 2024, month: 1 },
      { kind: "month", year: 2023, month: 12 },
    ],
    [
      { kind: "month", year: 2024, month: 7 },
      { kind: "month", year: 2024, month: 6 },
    ],
  ];

  for (const [period, before] of cases) {
    const label = `${period.kind} ${JSON.stringify(period)}`;
    it(`of ${label} is ${JSON.stringify(before)}, and equals that period's own report`, () => {
      expect(previousPeriodOf(period)).toEqual(before);
      const report = build(period);
      expect(report.previous).toEqual(summary(build(before)));
      expect(report.previous.dossiers.total.received.total).toBeGreaterThan(0);
    });
  }

  it("of a year-to-date report is the previous year cut at the same day", () => {
    const report = build({ kind: "year", year: 2024 }, "2024-06-20");
    expect(report.previous).toEqual(summary(build({ kind: "year", year: 2023 }, "2023-06-20")));
    expect(report.previous.period.asOf).toBe("2023-06-20");
  });

  it("of a quarter cut on the 31st is cut three months back, on that month’s last day", () => {
    const report = build({ kind: "quarter", year: 2024, quarter: 2 }, "2024-05-31");
    expect(report.previous.period).toMatchObject({ quarter: 1, asOf: "2024-02-29" });
  });
});

describe("a year-to-date report", () => {
  const events = [
    // due between the cut-off and the end of its reporting month: within deadline at the cut-off
    received("2024-02-20T09:00:00+07:00", { dueAt: "2024-03-08T17:00:00+07:00" }, "DUE-LATER"),
    // due before the cut-off: overdue at it
    received("2024-02-21T09:00:00+07:00", { dueAt: "2024-03-01T17:00:00+07:00" }, "DUE-BEFORE"),
    // due on the cut-off day itself: within deadline
    received("2024-02-22T09:00:00+07:00", { dueAt: "2024-03-05T17:00:00+07:00" }, "DUE-ON"),
    received("2024-02-23T09:00:00+07:00", { dueAt: "2024-02-26T17:00:00+07:00" }, "DONE"),
    dossierEvent("dossier.resolved", "2024-02-26T10:00:00+07:00", {}, "DONE"),
  ];
  const ytd = aggregatesOf(events);
  const report = (asOf?: string) =>
    buildCommuneReport({
      unit: UNIT,
      period: { kind: "year", year: 2024 },
      ...(asOf ? { asOf } : {}),
      ...ytd,
      generatedAt: GENERATED_AT,
    });

  it("classifies pending dossiers at its cut-off day, not at the end of the cut-off's reporting month", () => {
    const asOf = report("2024-03-05");
    expect(asOf.period.asOf).toBe("2024-03-05");
    expect(asOf.dossiers.total.pending).toEqual({ total: 3, withinDeadline: 2, overdue: 1 });
    expect(asOf.dossiers.byField[0]!.pending).toEqual({ total: 3, withinDeadline: 2, overdue: 1 });
    expect(asOf.overdueDossiers.map((d) => d.dossierCode)).toEqual(["DUE-BEFORE"]);
    // the same month's end (14/03/2024) finds all three overdue
    const monthEnd = report("2024-03-14");
    expect(monthEnd.dossiers.total.pending).toEqual({ total: 3, withinDeadline: 0, overdue: 3 });
    expect(monthEnd.overdueDossiers).toHaveLength(3);
  });

  it("keeps every identity of Form II.06a after the reclassification", () => {
    const { received: r, resolved: s, pending: p } = report("2024-03-05").dossiers.total;
    expect(r.total).toBe(s.total + p.total);
    expect(p.total).toBe(p.withinDeadline + p.overdue);
  });
});
