/**
 * The local stand-in for EventBridge Scheduler → dispatcher → SQS → worker: croner fires the very
 * schedule definitions the CDK app deploys (shared/reports/jobs/report-schedules.ts), the dispatcher's
 * `planDispatch` plans the run, and the worker's job function runs in this process, a few at a time
 * (local/report-runner.ts). A failing commune is logged and counted and does not stop the others; a
 * province roll-up runs after its communes.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { Cron } from "croner";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../shared/adapters/aws-clients";
import { DynamoAggregateReader } from "../shared/adapters/dynamo/aggregate-reader";
import { S3ReportStore } from "../shared/adapters/s3/report-store";
import { planDispatch, type ReportJob } from "../shared/reports/jobs/report-jobs";
import {
  plannedRun,
  REPORT_SCHEDULES,
  type ReportSchedule,
  type ReportScheduleId,
} from "../shared/reports/jobs/report-schedules";
import { runReportJob } from "../shared/reports/jobs/run-report-job";
import type { ReportDeps } from "../shared/reports/service";
import { type RunSummary, runInProcess } from "./report-runner";

export interface LocalReportSchedulerOptions {
  tableName: string;
  bucketName: string;
  dynamo?: DynamoDBClient;
  s3?: S3Client;
  /** Jobs at once. Default 4. */
  concurrency?: number;
  /** Default: every definition of shared/reports/jobs/report-schedules.ts. */
  schedules?: readonly ReportSchedule[];
  /** Restrict runs to some provinces (tests). */
  provinces?: string[];
  /** The job function; default `runReportJob` on the local table and bucket. */
  runJob?: (job: ReportJob) => Promise<void>;
  log?: (line: string) => void;
  /** Create the croner jobs paused (tests look at them without letting them fire). */
  paused?: boolean;
}

export interface LocalReportScheduler {
  /** One croner job per schedule definition, with the very definition object it was made from. */
  jobs: { schedule: ReportSchedule; cron: Cron }[];
  /** Runs a schedule now, as if it fired at `firedAt` (default now). */
  runNow(id: ReportScheduleId, firedAt?: Date): Promise<RunSummary>;
  stop(): void;
}

export function startLocalReportScheduler(options: LocalReportSchedulerOptions): LocalReportScheduler {
  const log = options.log ?? (() => undefined);
  const dynamo = options.dynamo ?? dynamoClientFromEnv();
  const s3 = options.s3 ?? s3ClientFromEnv();
  const aggregates = new DynamoAggregateReader(dynamo, options.tableName);
  const deps: ReportDeps = { aggregates, store: new S3ReportStore(s3, options.bucketName) };
  const runJob = options.runJob ?? ((job: ReportJob) => runReportJob(deps, job));

  const runNow = async (id: ReportScheduleId, firedAt: Date = new Date()): Promise<RunSummary> => {
    const run = plannedRun(id, firedAt);
    log(`reports: ${run.runId}: planning ${run.period.kind} ${run.period.year} as of ${run.asOf}`);
    const plan = await planDispatch(
      { aggregates, ...(options.provinces ? { provinces: options.provinces } : {}) },
      run,
      new Date(),
    );
    log(
      `reports: ${run.runId}: ${plan.communeJobs.length} of ${plan.probed} communes have data, ` +
        `${plan.provinceJobs.length} province roll-ups`,
    );
    const summary = await runInProcess(plan, runJob, {
      concurrency: options.concurrency ?? 4,
      log: (message, details) => log(`reports: ${message} ${JSON.stringify(details)}`),
    });
    log(
      `reports: ${run.runId}: communes ${summary.communes.built} built, ${summary.communes.failed} failed; ` +
        `provinces ${summary.provinces.built} built, ${summary.provinces.failed} failed (${summary.durationMs} ms)`,
    );
    return summary;
  };

  const jobs = (options.schedules ?? REPORT_SCHEDULES).map((schedule) => ({
    schedule,
    cron: new Cron(
      schedule.croner,
      {
        name: `reports-${schedule.id}`,
        timezone: schedule.timezone,
        protect: true,
        paused: options.paused ?? false,
        unref: true,
        catch: (error) => log(`reports: ${schedule.id} failed: ${(error as Error).message}`),
      },
      async (self: Cron) => {
        await runNow(schedule.id, self.currentRun() ?? new Date());
      },
    ),
  }));

  return {
    jobs,
    runNow,
    stop() {
      for (const { cron } of jobs) cron.stop();
    },
  };
}
