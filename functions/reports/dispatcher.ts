import type { Logger } from "@aws-lambda-powertools/logger";
import * as z from "zod";
import { dynamoClientFromEnv } from "../../shared/adapters/aws-clients";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { type JobQueue, SqsJobQueue, sqsClientFromEnv } from "../../shared/adapters/sqs/job-queue";
import { provinceCodeSchema } from "../../shared/domain/unit-codes";
import { type PlanDeps, planDispatch } from "../../shared/reports/jobs/report-jobs";
import { plannedRun, type ReportScheduleId } from "../../shared/reports/jobs/report-schedules";
import { eventHandler, logger, requiredEnv } from "../runtime";

/** What EventBridge Scheduler sends (`schedulerInput` in shared/reports/jobs/report-schedules.ts), or a manual run. */
export const dispatcherEventSchema = z.object({
  schedule: z.enum(["closed-year", "year-to-date"]),
  /** The firing's scheduled time (`<aws.scheduler.scheduled-time>`); default: now. */
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  /** Restrict a manual run to some provinces. */
  provinces: z.array(provinceCodeSchema).optional(),
});
export type DispatcherEvent = z.infer<typeof dispatcherEventSchema>;

export interface DispatcherDeps {
  plan: PlanDeps;
  queue: JobQueue;
  logger: Logger;
  /** Delay of the roll-up messages, so that most of their communes are done first. Default 120 s. */
  provinceDelaySeconds?: number;
  now?: () => Date;
}

/**
 * The scheduled dispatcher: plans the run (communes with data, then their provinces) and sends one
 * SQS message per commune, then one per province roll-up (delayed; a roll-up that still finds some of
 * its communes unbuilt goes back to the queue, see runReportJob). It builds nothing itself, so it
 * finishes in seconds whatever the number of communes.
 */
export function createDispatcherHandler(deps: DispatcherDeps) {
  const { logger } = deps;
  return async (input: unknown) => {
    const event = dispatcherEventSchema.parse(input);
    const firedAt = event.scheduledTime ? new Date(event.scheduledTime) : (deps.now?.() ?? new Date());
    const run = plannedRun(event.schedule as ReportScheduleId, firedAt);
    logger.appendKeys({ runId: run.runId });
    const started = Date.now();
    const plan = await planDispatch(
      { ...deps.plan, ...(event.provinces ? { provinces: event.provinces } : {}) },
      run,
      deps.now?.() ?? new Date(),
    );
    logger.info("report run planned", {
      period: run.period,
      asOf: run.asOf,
      probed: plan.probed,
      communes: plan.communeJobs.length,
      provinces: plan.provinceJobs.length,
      ms: Date.now() - started,
    });
    await deps.queue.send(plan.communeJobs);
    await deps.queue.send(plan.provinceJobs, { delaySeconds: deps.provinceDelaySeconds ?? 120 });
    const summary = {
      runId: run.runId,
      probed: plan.probed,
      communeJobs: plan.communeJobs.length,
      provinceJobs: plan.provinceJobs.length,
    };
    logger.info("report jobs dispatched", { ...summary, ms: Date.now() - started });
    return summary;
  };
}

/** Built on the first invocation of a container (functions/runtime.ts); a failure is logged once and
 * rethrown, so the schedule's retry policy and dead-letter queue take over. */
export const handler = eventHandler(() =>
  createDispatcherHandler({
    plan: { aggregates: new DynamoAggregateReader(dynamoClientFromEnv(), requiredEnv("TABLE_NAME")) },
    queue: new SqsJobQueue(sqsClientFromEnv(), requiredEnv("REPORT_QUEUE_URL")),
    logger,
    provinceDelaySeconds: Number(process.env.PROVINCE_DELAY_SECONDS ?? 120),
  }),
);
