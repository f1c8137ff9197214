import { describe, expect, it } from "vitest";
import { aggregatesOf } from "../../bench/aggregates";
import { generateCommuneYear } from "../../bench/realistic-year";
import type { PeriodSpec } from "../../shared/domain/calendar";
import { COUNTER } from "../../shared/domain/counters";
import type { AggregateRecord } from "../../shared/domain/form-ii06a";
import { buildCommuneReport, resolvePeriod } from "../../shared/reports/build-model";
import { type MonthFigures, monthFiguresSchema, monthlySeries } from "../../shared/reports/months";

const record = (month: string, counters: Record<string, number>, fieldCode = "HT"): AggregateRecord => ({
  communeCode: "10621",
  month,
  fieldCode,
  counters,
});

describe("the monthly series of live figures", () => {
  it("has one entry per reporting month of the period, in order, with the month's first and last day", () => {
    const { window } = resolvePeriod({ period: { kind: "quarter", year: 2023, quarter: 1 } });
    const months = monthlySeries([], window);
    expect(months.map(({ year, month, from, to }) => ({ year, month, from, to }))).toEqual([
      { year: 2023, month: 1, from: "2022-12-15", to: "2023-01-14" },
      { year: 2023, month: 2, from: "2023-01-15", to: "2023-02-14" },
      { year: 2023, month: 3, from: "2023-02-15", to: "2023-03-14" },
    ]);
    for (const month of months) {
      expect(month.received).toEqual({ online: 0, directOrPostal: 0 });
      expect(month.resolved).toEqual({ early: 0, onTime: 0, late: 0 });
      expect(month.pendingAtEnd).toEqual({ withinDeadline: 0, overdue: 0 });
      expect(monthFiguresSchema.safeParse(month).success).toBe(true);
    }
  });

  it("counts receptions and resolutions in their month, and carries pending balances from earlier months", () => {
    const records = [
      // Received in December 2022's reporting month, still open at its end: carried into 2023.
      record("2022-12", { [COUNTER.receivedOnline]: 1, [COUNTER.pendingWithin]: 1 }),
      // January: one received by post and one direct, both open; February: the carried one resolved on
      // time, one of January's becomes overdue; March: that one resolved late.
      record("2023-01", {
        [COUNTER.receivedPostal]: 1,
        [COUNTER.receivedDirect]: 1,
        [COUNTER.pendingWithin]: 2,
      }),
      record("2023-02", { [COUNTER.onTime]: 1, [COUNTER.pendingWithin]: -2, [COUNTER.pendingOverdue]: 1 }),
      record("2023-03", { [COUNTER.late]: 1, [COUNTER.pendingOverdue]: -1 }, "CT"),
      // After the quarter: ignored.
      record("2023-04", { [COUNTER.receivedOnline]: 5, [COUNTER.pendingWithin]: 5 }),
    ];
    const { window } = resolvePeriod({ period: { kind: "quarter", year: 2023, quarter: 1 } });
    const months = monthlySeries(records, window).map(({ received, resolved, pendingAtEnd }) => ({
      received,
      resolved,
      pendingAtEnd,
    }));
    expect(months).toEqual([
      {
        received: { online: 0, directOrPostal: 2 },
        resolved: { early: 0, onTime: 0, late: 0 },
        pendingAtEnd: { withinDeadline: 3, overdue: 0 },
      },
      {
        received: { online: 0, directOrPostal: 0 },
        resolved: { early: 0, onTime: 1, late: 0 },
        pendingAtEnd: { withinDeadline: 1, overdue: 1 },
      },
      {
        received: { online: 0, directOrPostal: 0 },
        resolved: { early: 0, onTime: 0, late: 1 },
        pendingAtEnd: { withinDeadline: 1, overdue: 0 },
      },
    ]);
  });

  const periods: PeriodSpec[] = [
    { kind: "year", year: 2023 },
    { kind: "six-months", year: 2023 },
    { kind: "nine-months", year: 2023 },
    { kind: "quarter", year: 2023, quarter: 3 },
    { kind: "month", year: 2023, month: 12 },
  ];
  const generated = aggregatesOf(
    generateCommuneYear({ communeCode: "10621", year: 2023, dossiers: 600, seed: 7 }),
  );

  it.each(periods)("adds up to the report's totals for a realistic year ($kind)", (period) => {
    const report = buildCommuneReport({
      unit: { communeCode: "10621", communeName: "Xã Quốc Tuấn", provinceCode: "30" },
      period,
      records: generated.records,
      listings: generated.listings,
      generatedAt: "2024-01-01T00:00:00.000Z",
    });
    const months = monthlySeries(generated.records, resolvePeriod({ period }).window);
    const sum = (pick: (month: MonthFigures) => number) => months.reduce((total, m) => total + pick(m), 0);
    const { received, resolved, pending } = report.dossiers.total;
    expect(received.total).toBeGreaterThan(0);
    expect(sum((m) => m.received.online)).toBe(received.online);
    expect(sum((m) => m.received.directOrPostal)).toBe(received.directOrPostal);
    expect(sum((m) => m.resolved.early)).toBe(resolved.early);
    expect(sum((m) => m.resolved.onTime)).toBe(resolved.onTime);
    expect(sum((m) => m.resolved.late)).toBe(resolved.late);
    expect(months.at(-1)!.pendingAtEnd).toEqual({
      withinDeadline: pending.withinDeadline,
      overdue: pending.overdue,
    });
    expect(months[0]!.from).toBe(report.period.from);
    expect(months.at(-1)!.to).toBe(report.period.to);
  });
});
