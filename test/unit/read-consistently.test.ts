import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { describe, expect, it } from "vitest";
import { reportRereads } from "../../functions/runtime";
import type { AggregateRecord } from "../../shared/domain/form-ii06a";
import { ReportIdentityError } from "../../shared/reports/build-model";
import type { AggregateSource } from "../../shared/reports/ports";
import {
  CONSISTENT_READ_ATTEMPTS,
  computeCommuneReport,
  readConsistently,
} from "../../shared/reports/service";

describe("readConsistently (a read that saw a commit half-way is read again)", () => {
  it("reads again after a report that breaks an identity, and returns the first whole one", async () => {
    let reads = 0;
    const result = await readConsistently(async () => {
      reads += 1;
      if (reads < 3) throw new ReportIdentityError("xã Quốc Tuấn", ["received ≠ resolved + pending"]);
      return "whole";
    });
    expect(result).toBe("whole");
    expect(reads).toBe(3);
  });

  it("throws the identity error after the last attempt: a real defect is never published", async () => {
    let reads = 0;
    await expect(
      readConsistently(async () => {
        reads += 1;
        throw new ReportIdentityError("xã Quốc Tuấn", ["received ≠ resolved + pending"]);
      }),
    ).rejects.toBeInstanceOf(ReportIdentityError);
    expect(reads).toBe(CONSISTENT_READ_ATTEMPTS);
  });

  it("does not read again after any other error", async () => {
    let reads = 0;
    await expect(
      readConsistently(async () => {
        reads += 1;
        throw new Error("the database is unreachable");
      }),
    ).rejects.toThrow("unreachable");
    expect(reads).toBe(1);
  });
});

describe("counting the reads again (the report service's onReread, functions/runtime.ts reportRereads)", () => {
  it("tells onReread each read again with the attempt about to run, and nothing for a first whole read", async () => {
    const told: number[] = [];
    let reads = 0;
    await readConsistently(
      async () => {
        reads += 1;
        if (reads < 3) throw new ReportIdentityError("xã Quốc Tuấn", ["received ≠ resolved + pending"]);
        return "whole";
      },
      (attempt) => told.push(attempt),
    );
    expect(told).toEqual([2, 3]);

    const quiet: number[] = [];
    await readConsistently(
      async () => "whole",
      (attempt) => quiet.push(attempt),
    );
    await expect(
      readConsistently(
        async () => {
          throw new Error("the database is unreachable");
        },
        (attempt) => quiet.push(attempt),
      ),
    ).rejects.toThrow("unreachable");
    expect(quiet).toEqual([]);
  });

  it("tells the deps' onReread the commune when a report's read saw an intake commit half-way", async () => {
    const record = (counters: Record<string, number>): AggregateRecord => ({
      communeCode: "10621",
      month: "2023-03",
      fieldCode: "HT",
      counters,
    });
    // The first read sees the dossier received but not yet resolved (the intake's transaction
    // half-way through the Query); the second sees the whole commit.
    const reads = [
      [record({ rcv: 1, rcvOnline: 1, dgFull: 1 })],
      [record({ rcv: 1, rcvOnline: 1, dgFull: 1, res: 1, early: 1 })],
    ];
    const aggregates: AggregateSource = {
      readRecords: async () => reads.shift() ?? [],
      readListings: async () => [],
      hasData: async () => true,
    };
    const rereads: [string, number][] = [];
    const { report } = await computeCommuneReport(
      {
        aggregates,
        now: () => new Date("2024-01-02T03:04:05Z"),
        onReread: (unit, attempt) => rereads.push([unit, attempt]),
      },
      "10621",
      { period: { kind: "year", year: 2023 } },
    );
    expect(rereads).toEqual([["10621", 2]]);
    expect(report.dossiers.total.resolved.total).toBe(1);
  });

  it("counts ReportReadAgain at once and logs the unit and the attempt", () => {
    const metrics: [string, string, number][] = [];
    const sink = {
      singleMetric: () => ({
        addMetric: (name: string, unit: string, value: number) => metrics.push([name, unit, value]),
      }),
    } as unknown as Pick<Metrics, "singleMetric">;
    const lines: unknown[][] = [];
    reportRereads(sink, { info: (...args: unknown[]) => lines.push(args) } as Pick<Logger, "info">)(
      "10621",
      2,
    );
    expect(metrics).toEqual([["ReportReadAgain", MetricUnit.Count, 1]]);
    expect(lines).toEqual([
      ["report read again: a read saw an intake commit half-way", { unit: "10621", attempt: 2 }],
    ]);
  });
});
