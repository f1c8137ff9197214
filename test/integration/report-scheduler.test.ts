import { beforeAll, describe, expect, it } from "vitest";
import { startLocalReportScheduler } from "../../local/report-scheduler";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { S3ReportStore } from "../../shared/adapters/s3/report-store";
import { ingestBatch } from "../../shared/intake/intake";
import type { ReportJob } from "../../shared/reports/jobs/report-jobs";
import { runReportJob } from "../../shared/reports/jobs/run-report-job";
import { createTestBucket, createTestTable, type TestBucket, type TestTable } from "../support/aws";
import { dossierEvent, received } from "../support/events";

let table: TestTable;
let bucket: TestBucket;

beforeAll(async () => {
  table = await createTestTable("scheduler");
  bucket = await createTestBucket("scheduler");
  const store = new DynamoSubjectStore(table.client, table.tableName);
  const units = { communeExists: () => true, provinceOf: () => "30" };
  const events = ["10621", "10618", "10630"].flatMap((communeCode) => [
    received("2023-05-02T08:00:00+07:00", { communeCode }, `S-${communeCode}`),
    dossierEvent("dossier.resolved", "2023-05-02T10:00:00+07:00", {}, `S-${communeCode}`),
  ]);
  await ingestBatch({ id: "demo" }, events, { store, units });
});

describe("the scheduled run in the local stack", () => {
  it("builds every commune with data and the roll-up, and one commune's failure stops nothing else", async () => {
    const deps = {
      aggregates: new DynamoAggregateReader(table.client, table.tableName),
      store: new S3ReportStore(bucket.s3, bucket.bucketName),
    };
    const lines: string[] = [];
    const scheduler = startLocalReportScheduler({
      tableName: table.tableName,
      bucketName: bucket.bucketName,
      dynamo: table.client,
      s3: bucket.s3,
      provinces: ["30"],
      paused: true,
      concurrency: 2,
      log: (line) => lines.push(line),
      runJob: async (job: ReportJob) => {
        if (job.type === "commune" && job.communeCode === "10618") throw new Error("simulated outage");
        await runReportJob(deps, job);
      },
    });
    try {
      const summary = await scheduler.runNow("closed-year", new Date("2023-12-15T01:00:00+07:00"));
      expect(summary.probed).toBe(207);
      expect(summary.communes).toEqual({ planned: 3, built: 2, failed: 1 });
      expect(summary.provinces).toEqual({ planned: 1, built: 1, failed: 0 });
      expect(summary.failures.map((f) => [f.job.type === "commune" && f.job.communeCode, f.error])).toEqual([
        ["10618", "Error: simulated outage"],
      ]);
      const period = { kind: "year" as const, year: 2023 };
      const built = await deps.store.builtCommunes("30", period);
      expect([...built.keys()].sort()).toEqual(["10621", "10630"]);
      const rollUp = await deps.store.list({ kind: "province", provinceCode: "30", period });
      expect(rollUp.map((s) => s.format)).toEqual(["json", "xlsx"]);
      expect(lines.some((line) => line.includes("report job failed") && line.includes("10618"))).toBe(true);
      expect(lines.at(-1)).toMatch(/communes 2 built, 1 failed; provinces 1 built, 0 failed/);
    } finally {
      scheduler.stop();
    }
  });
});
