import { beforeAll, describe, expect, it } from "vitest";
import { aggregatesOf } from "../../bench/aggregates";
import { generateMergerYear, MERGER } from "../../bench/merger-year";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import type { PeriodSpec } from "../../shared/domain/calendar";
import { ingestBatch } from "../../shared/intake/intake";
import {
  buildCommuneReport,
  buildProvinceReport,
  resolvePeriod,
  sumRows,
} from "../../shared/reports/build-model";
import type { CommuneReport, FormRow } from "../../shared/reports/model";
import { communeScope, readProvinceCommunes, readScope } from "../../shared/reports/service";
import { communeExists, provinceOf } from "../../shared/units/registry";
import { createTestTable } from "../support/aws";
import { received } from "../support/events";

/**
 * A stream that spans the 1 July 2025 reorganization, sent through the intake with the real unit
 * registry, read back from DynamoDB Local and compared with the oracle (aggregates recomputed from
 * the events): xã Quốc Tuấn (10621), Hiệp Cát (10618) and the old Trần Phú (10633) until 30 June
 * 2025, some of their dossiers resolved after it, dossiers carried over from 2024, and the new
 * xã Trần Phú (10633, Hải Phòng) from 1 July.
 */
const GENERATED_AT = "2026-01-05T00:00:00.000Z";
const YEAR_2025: PeriodSpec = { kind: "year", year: 2025 };
const YEAR_2024: PeriodSpec = { kind: "year", year: 2024 };
const units = { communeExists, provinceOf };
const events = generateMergerYear({ dossiers: 160, seed: 7 });
const oracle = aggregatesOf(events);

let reader: DynamoAggregateReader;
const intakeResults: string[] = [];

beforeAll(async () => {
  const table = await createTestTable("merger");
  const store = new DynamoSubjectStore(table.client, table.tableName);
  reader = new DynamoAggregateReader(table.client, table.tableName);
  for (let i = 0; i < events.length; i += 250) {
    const results = await ingestBatch({ id: "demo" }, events.slice(i, i + 250), { store, units });
    intakeResults.push(
      ...results.map((r) => (r.status === "rejected" ? `${r.id}: ${r.error?.code}` : r.status)),
    );
  }
}, 10 * 60_000);

/** A commune's report from DynamoDB reads, as the service builds it. */
async function storedReport(communeCode: string, period: PeriodSpec): Promise<CommuneReport> {
  const resolved = resolvePeriod({ period });
  const scope = communeScope(communeCode, resolved)!;
  const data = await readScope(reader, scope, resolved);
  return buildCommuneReport({
    unit: scope.unit,
    codes: scope.codes,
    period,
    ...data,
    generatedAt: GENERATED_AT,
  });
}

/** The same report from the oracle's aggregates, for exactly the given codes. */
function oracleReport(communeCode: string, period: PeriodSpec, codes: string[]): CommuneReport {
  const scope = communeScope(communeCode, resolvePeriod({ period }))!;
  return buildCommuneReport({ unit: scope.unit, codes, period, ...oracle, generatedAt: GENERATED_AT });
}

const totalsOf = (rows: FormRow[]) => sumRows(rows);

describe("reports across the 2025 reorganization", () => {
  it("accepts every event of the old codes dated before 1 July 2025 and of the new one after", () => {
    expect(intakeResults.filter((r) => r !== "applied")).toEqual([]);
  });

  it("refuses an old commune code on an event dated from 1 July 2025, and accepts it the day before", async () => {
    const table = await createTestTable("merger-codes", { setEnv: false });
    const store = new DynamoSubjectStore(table.client, table.tableName);
    const [late, inTime] = await ingestBatch(
      { id: "demo" },
      [
        received("2025-07-01T08:00:00+07:00", { communeCode: "10621" }, "X-AFTER"),
        received("2025-06-30T23:59:00+07:00", { communeCode: "10621" }, "X-BEFORE"),
      ],
      { store, units },
    );
    expect(late?.error?.code).toBe("unknown_unit");
    expect(inTime?.status).toBe("applied");
  });

  it("builds the 2025 report of the new xã Trần Phú as the oracle does, naming it as at the year's end", async () => {
    const report = await storedReport(MERGER.communeCode, YEAR_2025);
    expect(report).toEqual(oracleReport(MERGER.communeCode, YEAR_2025, ["10633", "10618", "10621"]));
    expect(report.unit).toEqual({
      communeCode: "10633",
      communeName: "Xã Trần Phú",
      provinceCode: "31",
      provinceName: "Thành phố Hải Phòng",
      predecessors: [
        { communeCode: "10618", communeName: "Xã Hiệp Cát", share: "full" },
        { communeCode: "10621", communeName: "Xã Quốc Tuấn", share: "full" },
        { communeCode: "10633", communeName: "Xã Trần Phú", share: "full" },
      ],
    });
  });

  it("makes the new commune's 2025 figures the sum of its predecessors' and its own, counting each dossier once", async () => {
    const report = await storedReport(MERGER.communeCode, YEAR_2025);
    const parts = ["10618", "10621", "10633"].map((code) =>
      oracleReport(MERGER.communeCode, YEAR_2025, [code]),
    );
    expect(report.dossiers.total).toEqual(totalsOf(parts.map((p) => p.dossiers.total)));
    // What the old communes resolved after 1 July under their old codes is in (and only once).
    const resolvedAfterMerger = parts.slice(0, 2).map((p) => p.dossiers.total.resolved.late);
    expect(resolvedAfterMerger.every((late) => late >= 1)).toBe(true);
    // Carried over from 2024, received before the merger, pending at the end: all present.
    expect(report.dossiers.total.received.carriedOver).toBe(
      parts.reduce((sum, p) => sum + p.dossiers.total.received.carriedOver, 0),
    );
    expect(report.dossiers.total.received.carriedOver).toBeGreaterThan(0);
    // Each old commune left one dossier overdue to the year's end.
    const merger = report.overdueDossiers.filter((d) => d.dossierCode.includes(".MERGER."));
    expect(merger.map((d) => d.dossierCode.split(".")[2]).sort()).toEqual(["10618", "10621", "10633"]);
    expect(report.overdueDossiers.map((d) => d.dossierCode).sort()).toEqual(
      parts.flatMap((p) => p.overdueDossiers.map((d) => d.dossierCode)).sort(),
    );
    for (const name of ["componentsFull", "resultDigitized"] as const) {
      expect(report.digitization[name]).toBe(parts.reduce((sum, p) => sum + p.digitization[name], 0));
    }
    expect(report.onlinePayment.feeRequired).toBe(
      parts.reduce((sum, p) => sum + p.onlinePayment.feeRequired, 0),
    );
  });

  it("compares the new commune's 2025 with its predecessors' 2024 together", async () => {
    const report = await storedReport(MERGER.communeCode, YEAR_2025);
    const olds = await Promise.all(["10618", "10621", "10633"].map((code) => storedReport(code, YEAR_2024)));
    expect(report.previous.period).toMatchObject({ year: 2024, from: "2023-12-15", to: "2024-12-14" });
    expect(report.previous.dossiers.total).toEqual(totalsOf(olds.map((r) => r.dossiers.total)));
  });

  it("leaves the old communes' 2024 reports as they were: their own figures, units and district", async () => {
    for (const code of ["10618", "10621", "10633"]) {
      const report = await storedReport(code, YEAR_2024);
      expect(report).toEqual(oracleReport(code, YEAR_2024, [code]));
      expect(report.unit.provinceCode).toBe("30");
      expect(report.unit.districtName).toBe("Huyện Nam Sách");
      expect(report.unit.predecessors).toBeUndefined();
      expect(report.dossiers.total.received.total).toBeGreaterThan(100);
    }
  });

  it("rolls up the new Hải Phòng for 2025 with xã Trần Phú's merged figures, and the total agrees", async () => {
    const resolved = resolvePeriod({ period: YEAR_2025 });
    const communes = await readProvinceCommunes({ aggregates: reader }, MERGER.provinceCode, resolved);
    const rollUp = buildProvinceReport({
      province: { provinceCode: "31", provinceName: "Thành phố Hải Phòng" },
      period: YEAR_2025,
      communes,
      generatedAt: GENERATED_AT,
    });
    const commune = await storedReport(MERGER.communeCode, YEAR_2025);
    const row = rollUp.communes.find((c) => c.communeCode === MERGER.communeCode)!;
    const { communeCode: _c, communeName, onlineReception, predecessors, ...figures } = row;
    expect(communeName).toBe("Xã Trần Phú");
    expect(figures).toEqual(commune.dossiers.total);
    expect(onlineReception).toEqual(commune.onlineReception);
    expect(predecessors).toEqual(commune.unit.predecessors);
    // Only xã Trần Phú has data in this stream: the province total is its figures.
    const { onlineReception: _r, ...total } = rollUp.total;
    expect(total).toEqual(commune.dossiers.total);
    expect(rollUp.serviceIndex).toEqual(commune.serviceIndex);
    expect(rollUp.previous.dossiers.total).toEqual(commune.previous.dossiers.total);
    expect(rollUp.communes.length).toBeGreaterThan(100);
  });
});
