import { describe, expect, it } from "vitest";
import { contributionOf } from "../../shared/domain/contribution";
import { parseAggregateKey, sumContributions } from "../../shared/domain/counters";
import type { Event } from "../../shared/domain/events";
import { foldSubject } from "../../shared/domain/fold";
import type { AggregateRecord } from "../../shared/domain/form-ii06a";
import { listingsOf } from "../../shared/domain/listings";
import {
  buildCommuneReport,
  buildProvinceReport,
  checkCommuneReport,
  ReportIdentityError,
  ReportPeriodError,
  resolvePeriod,
  type StoredListing,
} from "../../shared/reports/build-model";
import type { ReportUnit } from "../../shared/reports/model";
import { dossierEvent, feedbackEvent, received } from "../support/events";

const UNIT: ReportUnit = { communeCode: "10621", communeName: "Xã Quốc Tuấn", provinceCode: "30" };
const GENERATED_AT = "2024-01-02T03:04:05.000Z";

/** Aggregates and listings of some dossiers and feedbacks, as the oracle computes them. */
function fixture(subjects: { kind: "dossier" | "feedback"; events: Event[] }[]) {
  const states = subjects.map((s) => ({ ...s, state: foldSubject(s.kind, s.events) }));
  // The store keeps the field name the events give beside the counters.
  const names = new Map<string, string>();
  for (const { events } of subjects) {
    for (const e of events)
      if ("fieldName" in e && e.fieldName) names.set(e.fieldCode as string, e.fieldName);
  }
  const records: AggregateRecord[] = [...sumContributions(states.map((s) => contributionOf(s.state)))].map(
    ([key, counters]) => {
      const address = parseAggregateKey(key);
      const fieldName = names.get(address.fieldCode);
      return { ...address, ...(fieldName ? { fieldName } : {}), counters };
    },
  );
  const listings: StoredListing[] = states.flatMap((s) =>
    listingsOf(s.state).map((l) => ({
      ...l,
      dossierCode: (s.events[0] as { dossierCode: string }).dossierCode,
    })),
  );
  return { records, listings };
}

const dossier = (code: string, ...events: Event[]) => ({
  kind: "dossier" as const,
  events: events.map((e) => ({ ...e, dossierCode: code }) as Event),
});

const year2023 = { period: { kind: "year" as const, year: 2023 } };

describe("the commune report model", () => {
  const data = fixture([
    dossier(
      "A",
      received("2023-02-01T08:00:00+07:00", {
        channel: "online",
        digitization: "full",
        feeRequired: true,
        interlink: { scope: "cross-level", bundle: "KS-TT-BHYT" },
        dueAt: "2023-02-03T17:00:00+07:00",
      }),
      dossierEvent("dossier.payment", "2023-02-01T08:10:00+07:00", { paidOnline: true }),
      dossierEvent("dossier.resolved", "2023-02-02T10:00:00+07:00", { resultDigitized: true }),
      dossierEvent("dossier.rated", "2023-02-02T11:00:00+07:00", { rating: "very-satisfied" }),
    ),
    dossier(
      "B",
      received("2023-03-01T08:00:00+07:00", {
        channel: "postal",
        fieldCode: "CT",
        fieldName: "Chứng thực",
        digitization: "partial",
        feeRequired: true,
        electronicCertification: true,
        dueAt: "2023-03-02T17:00:00+07:00",
      }),
      dossierEvent("dossier.payment", "2023-03-01T08:10:00+07:00", { paidOnline: false }),
      dossierEvent("dossier.resolved", "2023-03-06T10:00:00+07:00"),
      dossierEvent("dossier.returned", "2023-03-07T10:00:00+07:00", { returnChannel: "postal" }),
    ),
    // Carried over from 2022, still open and overdue at the end of 2023.
    dossier(
      "C",
      received("2022-12-01T08:00:00+07:00", {
        channel: "direct",
        digitization: "none",
        interlink: { scope: "same-level" },
        dueAt: "2023-06-01T17:00:00+07:00",
      }),
    ),
    {
      kind: "feedback",
      events: [
        feedbackEvent("feedback.received", "2022-12-01T08:00:00+07:00", {
          communeCode: "10621",
          fieldCode: "HT",
          kind: "behavior",
        }),
        feedbackEvent("feedback.resolved", "2023-01-10T08:00:00+07:00", { published: true }),
      ],
    },
    {
      kind: "feedback",
      events: [
        feedbackEvent(
          "feedback.received",
          "2023-05-01T08:00:00+07:00",
          { communeCode: "10621", fieldCode: "HT", kind: "regulation" },
          "F2",
        ),
      ],
    },
  ]);
  const report = buildCommuneReport({ unit: UNIT, ...year2023, ...data, generatedAt: GENERATED_AT });

  it("keeps the fixed part of the report JSON (docs/api.md#report-json): schema, unit, period, Form II.06a by field and total", () => {
    expect(report.schema).toBe("report.v1");
    expect(report.unit).toEqual(UNIT);
    expect(report.period).toEqual({ year: 2023, kind: "year", from: "2022-12-15", to: "2023-12-14" });
    expect(report.dossiers.byField.map((row) => [row.fieldCode, row.fieldName])).toEqual([
      ["CT", "Chứng thực"],
      ["HT", "Hộ tịch"],
    ]);
    expect(report.dossiers.total).toEqual({
      received: { total: 3, online: 1, directOrPostal: 1, carriedOver: 1 },
      resolved: { total: 2, early: 1, onTime: 0, late: 1 },
      pending: { total: 1, withinDeadline: 0, overdue: 1 },
    });
  });

  it("computes the rates and sections from the counters of the period", () => {
    expect(report.onlineReception).toEqual({ count: 1, of: 2, percent: 50 });
    expect(report.digitization).toMatchObject({
      received: 2,
      componentsNone: 0,
      componentsPartial: 1,
      componentsFull: 1,
      fullyDigitizedRate: { count: 1, of: 2, percent: 50 },
      resolved: 2,
      resultDigitized: 1,
      resultNotDigitized: 1,
    });
    expect(report.onlinePayment).toEqual({
      feeRequired: 2,
      paidOnline: 1,
      rate: { count: 1, of: 2, percent: 50 },
    });
    expect(report.interlink).toEqual({
      total: 1,
      sameLevel: 0,
      crossLevel: 1,
      byBundle: [{ bundle: "KS-TT-BHYT", count: 1 }],
    });
    expect(report.electronicCertification).toBe(1);
    expect(report.postal).toEqual({ receivedByPost: 1, returnedByPost: 1 });
    expect(report.satisfaction).toMatchObject({
      rated: 1,
      verySatisfied: 1,
      satisfiedRate: { percent: 100 },
    });
    expect(report.feedback).toEqual({
      received: { total: 2, regulation: 1, behavior: 0, carriedOver: 1 },
      resolved: 1,
      inProgress: 1,
      published: 1,
    });
  });

  it("lists the dossiers resolved late in the period and those overdue at its end", () => {
    expect(report.lateDossiers).toEqual([
      {
        dossierCode: "B",
        fieldCode: "CT",
        fieldName: "Chứng thực",
        procedureCode: "1.001193",
        receivedAt: "2023-03-01",
        dueAt: "2023-03-02",
        resolvedAt: "2023-03-06",
        apology: false,
      },
    ]);
    expect(report.overdueDossiers.map((d) => [d.dossierCode, d.dueAt])).toEqual([["C", "2023-06-01"]]);
  });

  it("leaves the late list of another period empty and lists overdue dossiers only once overdue", () => {
    const q1 = buildCommuneReport({
      unit: UNIT,
      period: { kind: "quarter", year: 2023, quarter: 1 },
      ...data,
      generatedAt: GENERATED_AT,
    });
    expect(q1.lateDossiers.map((d) => d.dossierCode)).toEqual(["B"]);
    expect(q1.overdueDossiers).toEqual([]);
    const q2 = buildCommuneReport({
      unit: UNIT,
      period: { kind: "quarter", year: 2023, quarter: 2 },
      ...data,
      generatedAt: GENERATED_AT,
    });
    expect(q2.lateDossiers).toEqual([]);
    expect(q2.overdueDossiers.map((d) => d.dossierCode)).toEqual(["C"]);
  });

  it("cuts a year-to-date report at the reporting month of its cut-off day", () => {
    const ytd = buildCommuneReport({
      unit: UNIT,
      ...year2023,
      asOf: "2023-02-10",
      ...data,
      generatedAt: GENERATED_AT,
    });
    expect(ytd.period).toEqual({
      year: 2023,
      kind: "year",
      from: "2022-12-15",
      to: "2023-12-14",
      asOf: "2023-02-10",
    });
    // Reporting month 2023-02 (15/01 → 14/02) holds the cut-off: dossier A (1 February) is in, B (1 March) is not.
    expect(ytd.dossiers.total.received).toEqual({ total: 2, online: 1, directOrPostal: 0, carriedOver: 1 });
    expect(resolvePeriod({ ...year2023, asOf: "2023-02-20" }).window).toEqual({
      firstMonth: "2023-01",
      lastMonth: "2023-03",
    });
  });

  it("ignores a cut-off on or after the period's last day and refuses one before its first day", () => {
    expect(resolvePeriod({ ...year2023, asOf: "2023-12-14" }).period.asOf).toBeUndefined();
    expect(resolvePeriod({ ...year2023, asOf: "2024-03-01" }).window.lastMonth).toBe("2023-12");
    expect(() => resolvePeriod({ ...year2023, asOf: "2022-12-14" })).toThrow(ReportPeriodError);
  });

  it("names a field by its code when no event gave its name", () => {
    const onlyCode = fixture([
      dossier("X", received("2023-02-01T08:00:00+07:00", { fieldCode: "ZZ", fieldName: undefined })),
    ]);
    const built = buildCommuneReport({ unit: UNIT, ...year2023, ...onlyCode, generatedAt: GENERATED_AT });
    expect(built.dossiers.byField[0]?.fieldName).toBe("ZZ");
  });

  it("reports an empty commune with zeros and rates without a denominator as null", () => {
    const empty = buildCommuneReport({
      unit: UNIT,
      ...year2023,
      records: [],
      listings: [],
      generatedAt: GENERATED_AT,
    });
    expect(empty.dossiers.byField).toEqual([]);
    expect(empty.dossiers.total.received.total).toBe(0);
    expect(empty.onlineReception).toEqual({ count: 0, of: 0, percent: null });
  });
});

describe("identity checks", () => {
  const record = (
    counters: Record<string, number>,
    fieldCode = "HT",
    month = "2023-03",
  ): AggregateRecord => ({
    communeCode: "10621",
    month,
    fieldCode,
    counters,
  });

  it("refuse a report whose received total is not resolved + pending", () => {
    // A dossier received online that is neither resolved nor pending: a broken aggregate.
    const build = () =>
      buildCommuneReport({
        unit: UNIT,
        ...year2023,
        records: [record({ rcv: 1, rcvOnline: 1, dgFull: 1 })],
        listings: [],
        generatedAt: GENERATED_AT,
      });
    expect(build).toThrow(ReportIdentityError);
    expect(build).toThrow(/field HT: received total = resolved total \+ pending total \(1 ≠ 0\)/);
  });

  it("refuse counters that disagree with each other (received counter vs channels, digitization)", () => {
    const build = (counters: Record<string, number>) => () =>
      buildCommuneReport({
        unit: UNIT,
        ...year2023,
        records: [record(counters)],
        listings: [],
        generatedAt: GENERATED_AT,
      });
    expect(build({ rcv: 2, rcvOnline: 1, dgFull: 1, res: 1, early: 1 })).toThrow(/received counter/);
    expect(build({ rcv: 1, rcvOnline: 1, res: 1, early: 1 })).toThrow(/none \+ partial \+ full = received/);
    expect(build({ rcv: 1, rcvOnline: 1, dgFull: 1, res: 1, early: 1, fee: 1, feePaidOn: 2 })).toThrow(
      /paid online/,
    );
    expect(build({ rcv: 1, rcvOnline: 1, dgFull: 1, res: 1, early: 1 })).not.toThrow();
  });

  it("refuse a total that is not the sum of its fields, and an overdue list that disagrees with the form", () => {
    const report = buildCommuneReport({
      unit: UNIT,
      ...year2023,
      records: [record({ rcv: 1, rcvOnline: 1, dgFull: 1, res: 1, early: 1 })],
      listings: [],
      generatedAt: GENERATED_AT,
    });
    const tampered = structuredClone(report);
    tampered.dossiers.byField[0]!.received.online += 1;
    tampered.dossiers.byField[0]!.received.total += 1;
    tampered.dossiers.byField[0]!.resolved.early += 1;
    tampered.dossiers.byField[0]!.resolved.total += 1;
    expect(() => checkCommuneReport(tampered)).toThrow(/received\.online total 1 ≠ sum of rows 2/);
    const phantom = structuredClone(report);
    phantom.overdueDossiers.push({
      ...report.lateDossiers[0]!,
      dossierCode: "X",
      fieldCode: "HT",
      fieldName: "HT",
      procedureCode: "p",
      receivedAt: "2023-01-01",
      dueAt: "2023-01-02",
    });
    expect(() => checkCommuneReport(phantom)).toThrow(/overdue list = pending overdue/);
  });

  it("list every broken identity in the error", () => {
    try {
      buildCommuneReport({
        unit: UNIT,
        ...year2023,
        records: [
          record({ rcv: 1, rcvOnline: 1, dgFull: 1 }),
          record({ rcv: 1, rcvDirect: 1, dgFull: 1 }, "CT"),
        ],
        listings: [],
        generatedAt: GENERATED_AT,
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ReportIdentityError);
      expect((error as ReportIdentityError).violations).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^field HT/),
          expect.stringMatching(/^field CT/),
          expect.stringMatching(/^total/),
        ]),
      );
    }
  });
});

describe("the province roll-up", () => {
  const communeRecords = (communeCode: string, online: number) => [
    {
      communeCode,
      month: "2023-05",
      fieldCode: "HT",
      counters: { rcv: online + 1, rcvOnline: online, rcvDirect: 1, res: online + 1, early: online + 1 },
    },
  ];

  it("has one row per commune, with zeros for a commune without data, and the total of the rows", () => {
    const report = buildProvinceReport({
      province: { provinceCode: "30", provinceName: "Tỉnh Hải Dương" },
      ...year2023,
      communes: [
        { communeCode: "10623", communeName: "Xã B", records: communeRecords("10623", 3) },
        { communeCode: "10621", communeName: "Xã A", records: communeRecords("10621", 9) },
        { communeCode: "10625", communeName: "Xã C", records: [] },
      ],
      generatedAt: GENERATED_AT,
    });
    expect(report.schema).toBe("province-report.v1");
    expect(report.communes.map((c) => [c.communeCode, c.received.total, c.onlineReception.percent])).toEqual([
      ["10621", 10, 90],
      ["10623", 4, 75],
      ["10625", 0, null],
    ]);
    expect(report.total.received).toEqual({ total: 14, online: 12, directOrPostal: 2, carriedOver: 0 });
    expect(report.total.onlineReception).toEqual({ count: 12, of: 14, percent: 85.71 });
  });

  it("refuses a commune whose figures break an identity", () => {
    expect(() =>
      buildProvinceReport({
        province: { provinceCode: "30", provinceName: "Tỉnh Hải Dương" },
        ...year2023,
        communes: [
          {
            communeCode: "10621",
            communeName: "Xã A",
            records: [
              { communeCode: "10621", month: "2023-05", fieldCode: "HT", counters: { rcvOnline: 1 } },
            ],
          },
        ],
        generatedAt: GENERATED_AT,
      }),
    ).toThrow(/province 30.*commune 10621: received total = resolved total \+ pending total/);
  });
});
