import { Logger } from "@aws-lambda-powertools/logger";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createDispatcherHandler } from "../../functions/reports/dispatcher";
import { createWorkerHandler } from "../../functions/reports/worker";
import { runInProcess } from "../../local/report-runner";
import type { JobQueue } from "../../shared/adapters/sqs/job-queue";
import { type DispatchPlan, planDispatch, type ReportJob } from "../../shared/reports/jobs/report-jobs";
import { plannedRun } from "../../shared/reports/jobs/report-schedules";
import { RollUpNotReadyError, runReportJob } from "../../shared/reports/jobs/run-report-job";
import type { AggregateSource, ReportStore, StoredReport } from "../../shared/reports/ports";
import type { ReportDeps } from "../../shared/reports/service";
import { communesOfProvince } from "../../shared/units/registry";

const silent = new Logger({ logLevel: "SILENT" });
const run = plannedRun("closed-year", new Date("2023-12-15T01:00:00+07:00"));
const haiDuong = communesOfProvince("30", "2023-12-14").map((c) => c.code);
const haiPhong = communesOfProvince("31", "2023-12-14").map((c) => c.code);

/** Aggregates where only the listed communes have data (and nothing else is ever read). */
function aggregatesWith(codes: string[]): AggregateSource & { probes: string[] } {
  const probes: string[] = [];
  return {
    probes,
    async hasData(code) {
      probes.push(code);
      return codes.includes(code);
    },
    async readRecords() {
      return [];
    },
    async readListings() {
      return [];
    },
  };
}

describe("the dispatcher's plan", () => {
  it("probes every commune the registry lists and plans jobs only for communes with data, then their provinces", async () => {
    const withData = [haiDuong[0]!, haiDuong[5]!, haiPhong[2]!];
    const aggregates = aggregatesWith(withData);
    const plan = await planDispatch(
      { aggregates, provinces: ["30", "31"] },
      run,
      new Date("2023-12-14T18:00:05Z"),
    );
    expect(plan.probed).toBe(haiDuong.length + haiPhong.length);
    expect(aggregates.probes.sort()).toEqual([...haiDuong, ...haiPhong].sort());
    expect(plan.communeJobs.map((job) => job.communeCode).sort()).toEqual([...withData].sort());
    expect(plan.communeJobs[0]).toMatchObject({
      type: "commune",
      period: { kind: "year", year: 2023 },
      runId: run.runId,
    });
    expect(plan.provinceJobs.map((job) => [job.provinceCode, job.communes])).toEqual([
      ["30", [haiDuong[0], haiDuong[5]]],
      ["31", [haiPhong[2]]],
    ]);
    expect(plan.provinceJobs[0]?.dispatchedAt).toBe("2023-12-14T18:00:05.000Z");
  });

  it("covers the whole country (63 provinces before the 2025 reorganization) without a table scan", async () => {
    const aggregates = aggregatesWith([]);
    const plan = await planDispatch({ aggregates }, run, new Date());
    expect(plan.probed).toBeGreaterThan(10_000);
    expect(plan.communeJobs).toEqual([]);
  });

  it("plans a commune made by the 2025 reorganization when only its predecessors have data", async () => {
    const aggregates = aggregatesWith(["10621"]); // xã Quốc Tuấn, merged into xã Trần Phú (10633)
    const closed2025 = plannedRun("closed-year", new Date("2025-12-15T01:00:00+07:00"));
    const plan = await planDispatch({ aggregates, provinces: ["31"] }, closed2025, new Date());
    expect(plan.communeJobs.map((job) => job.communeCode)).toEqual(["10633"]);
    expect(plan.provinceJobs.map((job) => [job.provinceCode, job.communes])).toEqual([["31", ["10633"]]]);
  });
});

function fakePlan(communes: Record<string, string[]>): DispatchPlan {
  const common = { period: run.period, asOf: run.asOf, runId: run.runId };
  return {
    run,
    probed: 0,
    communeJobs: Object.values(communes)
      .flat()
      .map((communeCode) => ({ type: "commune" as const, communeCode, ...common })),
    provinceJobs: Object.entries(communes).map(([provinceCode, list]) => ({
      type: "province" as const,
      provinceCode,
      communes: list,
      dispatchedAt: "2023-12-14T18:00:00.000Z",
      ...common,
    })),
  };
}

describe("a run in the local stack (in-process, bounded concurrency)", () => {
  it("isolates a failing commune: the others and the roll-ups are built, the failure is counted and logged", async () => {
    const plan = fakePlan({ "30": ["10621", "10623", "10625"], "31": ["11311", "11314"] });
    const order: string[] = [];
    const logged: string[] = [];
    let active = 0;
    let peak = 0;
    const summary = await runInProcess(
      plan,
      async (job) => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active -= 1;
        const name = job.type === "commune" ? job.communeCode : `province ${job.provinceCode}`;
        if (name === "10623") throw new Error("DynamoDB is on fire");
        order.push(name);
      },
      { concurrency: 2, log: (message, details) => logged.push(`${message} ${JSON.stringify(details)}`) },
    );
    expect(summary.communes).toEqual({ planned: 5, built: 4, failed: 1 });
    expect(summary.provinces).toEqual({ planned: 2, built: 2, failed: 0 });
    expect(summary.failures).toEqual([
      { job: expect.objectContaining({ communeCode: "10623" }), error: "Error: DynamoDB is on fire" },
    ]);
    expect(peak).toBeLessThanOrEqual(2);
    // Each roll-up runs after every commune of its province.
    expect(order.indexOf("province 30")).toBeGreaterThan(
      Math.max(order.indexOf("10621"), order.indexOf("10625")),
    );
    expect(order.indexOf("province 31")).toBeGreaterThan(
      Math.max(order.indexOf("11311"), order.indexOf("11314")),
    );
    expect(logged.some((line) => line.startsWith("report job failed") && line.includes("10623"))).toBe(true);
    expect(logged.some((line) => line.startsWith("report run progress"))).toBe(true);
  });
});

describe("the scheduled dispatcher Lambda", () => {
  it("sends one message per commune with data, then the delayed roll-ups", async () => {
    const sent: { jobs: readonly ReportJob[]; delaySeconds?: number }[] = [];
    const queue: JobQueue = {
      async send(jobs, options) {
        sent.push({ jobs, ...options });
      },
    };
    const handler = createDispatcherHandler({
      plan: { aggregates: aggregatesWith([haiDuong[1]!, haiDuong[2]!]) },
      queue,
      logger: silent,
      provinceDelaySeconds: 60,
    });
    const summary = await handler({
      schedule: "closed-year",
      scheduledTime: "2023-12-14T18:00:00Z",
      provinces: ["30"],
    });
    expect(summary).toMatchObject({ communeJobs: 2, provinceJobs: 1, probed: haiDuong.length });
    expect(sent.map((s) => [s.jobs.map((j) => j.type), s.delaySeconds])).toEqual([
      [["commune", "commune"], undefined],
      [["province"], 60],
    ]);
    expect(sent[0]?.jobs[0]).toMatchObject({ period: { kind: "year", year: 2023 }, asOf: "2023-12-15" });
  });
});

/** A report store that remembers nothing but when communes were built. */
function storeWithBuilt(built: Map<string, Date>): ReportStore {
  return {
    async save(): Promise<StoredReport[]> {
      return [];
    },
    async list() {
      return [];
    },
    async presign() {
      throw new Error("unused");
    },
    async builtCommunes() {
      return built;
    },
  };
}

function sqsEvent(bodies: { id: string; body: string; receiveCount?: number }[]): SQSEvent {
  return {
    Records: bodies.map(
      ({ id, body, receiveCount }) =>
        ({
          messageId: id,
          body,
          attributes: { ApproximateReceiveCount: String(receiveCount ?? 1) },
        }) as unknown as SQSRecord,
    ),
  };
}

describe("the report worker Lambda", () => {
  it("reports only the failed messages of a batch in batchItemFailures", async () => {
    const deps: ReportDeps = { aggregates: aggregatesWith([]), store: storeWithBuilt(new Map()) };
    const handler = createWorkerHandler({ reports: deps, logger: silent });
    const job = (communeCode: string) =>
      JSON.stringify({
        type: "commune",
        communeCode,
        period: { kind: "year", year: 2023 },
        asOf: "2023-12-15",
        runId: "t",
      });
    const result = await handler(
      sqsEvent([
        { id: "ok", body: job("10621") },
        { id: "unknown-commune", body: job("99999") },
        { id: "not-json", body: "{" },
        { id: "not-a-job", body: JSON.stringify({ type: "commune" }) },
      ]),
    );
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      ["not-a-job", "not-json", "unknown-commune"].sort(),
    );
  });

  it("sends a roll-up back to the queue while its communes are not rebuilt, and builds it after enough waits", async () => {
    const rollUp = {
      type: "province" as const,
      provinceCode: "30",
      period: { kind: "year" as const, year: 2023 },
      asOf: "2023-12-15",
      runId: "t",
      dispatchedAt: "2023-12-14T18:00:00.000Z",
      communes: ["10621", "10623"],
    };
    const fresh = new Date("2023-12-14T18:01:00Z");
    const stale = new Date("2023-12-13T18:01:00Z");
    const deps = (built: Map<string, Date>): ReportDeps => ({
      aggregates: aggregatesWith([]),
      store: storeWithBuilt(built),
    });

    const waiting = deps(
      new Map([
        ["10621", fresh],
        ["10623", stale],
      ]),
    );
    await expect(
      runReportJob(waiting, rollUp, { waitForCommunes: true, attempt: 1, maxWaits: 3 }),
    ).rejects.toThrow(RollUpNotReadyError);
    const handler = createWorkerHandler({ reports: waiting, logger: silent, maxWaits: 3 });
    const early = await handler(sqsEvent([{ id: "p", body: JSON.stringify(rollUp), receiveCount: 1 }]));
    expect(early.batchItemFailures).toEqual([{ itemIdentifier: "p" }]);
    const late = await handler(sqsEvent([{ id: "p", body: JSON.stringify(rollUp), receiveCount: 3 }]));
    expect(late.batchItemFailures).toEqual([]);

    const ready = deps(
      new Map([
        ["10621", fresh],
        ["10623", fresh],
      ]),
    );
    await expect(runReportJob(ready, rollUp, { waitForCommunes: true, attempt: 1 })).resolves.toBeUndefined();
  });
});
