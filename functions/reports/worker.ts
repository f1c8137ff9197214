import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../../shared/adapters/aws-clients";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { S3ReportStore } from "../../shared/adapters/s3/report-store";
import { mapLimited } from "../../shared/map-limited";
import {
  describeJob,
  RollUpNotReadyError,
  reportJobSchema,
  runReportJob,
} from "../../shared/reports/jobs/report-jobs";
import type { ReportDeps } from "../../shared/reports/service";
import { createLogger, requiredEnv } from "../runtime";

export interface WorkerDeps {
  reports: ReportDeps;
  logger: Logger;
  /** Messages of a batch worked at once. Default 4. */
  concurrency?: number;
  /** Receives of a roll-up message spent waiting for its communes before it is built anyway. Default 10. */
  maxWaits?: number;
}

/**
 * The report worker: one SQS message = one job (a commune's report or a province roll-up). A job that
 * fails is reported in `batchItemFailures`, so only its message comes back (and, after the queue's
 * maxReceiveCount, goes to the dead-letter queue); the other messages of the batch are done.
 */
export function createWorkerHandler(deps: WorkerDeps) {
  const { logger } = deps;
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: string[] = [];
    let built = 0;
    await mapLimited(event.Records, deps.concurrency ?? 4, async (record) => {
      let label = record.messageId;
      try {
        const job = reportJobSchema.parse(JSON.parse(record.body));
        label = describeJob(job);
        const started = Date.now();
        await runReportJob(deps.reports, job, {
          waitForCommunes: true,
          attempt: Number(record.attributes?.ApproximateReceiveCount ?? 1),
          maxWaits: deps.maxWaits ?? 10,
          log: (message, details) => logger.warn(message, details),
        });
        built += 1;
        logger.info("report job done", { job: label, runId: job.runId, ms: Date.now() - started });
      } catch (error) {
        failures.push(record.messageId);
        if (error instanceof RollUpNotReadyError)
          logger.info("roll-up waits for its communes", { job: label, reason: error.message });
        else
          logger.error("report job failed", {
            job: label,
            messageId: record.messageId,
            error: error as Error,
          });
      }
    });
    logger.info("report batch done", { messages: event.Records.length, built, failed: failures.length });
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

const logger = createLogger();

let instance: ReturnType<typeof createWorkerHandler> | undefined;

/** Dependencies are built from the environment on the first invocation (once per container). */
export const handler = middy(async (event: SQSEvent) => {
  instance ??= createWorkerHandler({
    reports: {
      aggregates: new DynamoAggregateReader(dynamoClientFromEnv(), requiredEnv("TABLE_NAME")),
      store: new S3ReportStore(s3ClientFromEnv(), requiredEnv("BUCKET_NAME")),
    },
    logger,
    maxWaits: Number(process.env.ROLLUP_MAX_WAITS ?? 10),
  });
  return instance(event);
}).use(injectLambdaContext(logger, { resetKeys: true }));
