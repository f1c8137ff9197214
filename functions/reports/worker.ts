import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../../shared/adapters/aws-clients";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { S3ReportStore } from "../../shared/adapters/s3/report-store";
import { traced } from "../../shared/adapters/tracer";
import {
  describeJob,
  RollUpNotReadyError,
  reportJobSchema,
  runReportJob,
} from "../../shared/reports/jobs/report-jobs";
import type { ReportDeps } from "../../shared/reports/service";
import { eventHandler, logger, reportRereads, requiredEnv } from "../runtime";

export interface WorkerDeps {
  reports: ReportDeps;
  logger: Logger;
  /** Receives of a roll-up message spent waiting for its communes before it is built anyway. Default 10. */
  maxWaits?: number;
}

/**
 * The report worker: one SQS message = one job (a commune's report or a province roll-up). The
 * records of a batch are worked at once (the event source's batch size, 5, bounds them) by Powertools'
 * batch processor: a job that fails is reported in `batchItemFailures`, so only its message comes back
 * (and, after the queue's maxReceiveCount, goes to the dead-letter queue); the other messages of the
 * batch are done. A batch whose every job failed is answered the same way rather than thrown: a roll-up
 * waiting for its communes is not an invocation error (the Errors alarm would fire).
 */
export function createWorkerHandler(deps: WorkerDeps) {
  const { logger } = deps;

  const runRecord = async (record: SQSRecord): Promise<void> => {
    let label = record.messageId;
    try {
      const job = reportJobSchema.parse(JSON.parse(record.body));
      label = describeJob(job);
      const unit = job.type === "commune" ? { commune: job.communeCode } : { province: job.provinceCode };
      const started = Date.now();
      await traced("report job", { job: job.type, ...unit }, () =>
        runReportJob(deps.reports, job, {
          waitForCommunes: true,
          attempt: Number(record.attributes?.ApproximateReceiveCount ?? 1),
          maxWaits: deps.maxWaits ?? 10,
          log: (message, details) => logger.warn(message, details),
        }),
      );
      logger.info("report job done", { job: label, runId: job.runId, ms: Date.now() - started });
    } catch (error) {
      // Logged here, once, with what the batch processor does not know: which job it was.
      if (error instanceof RollUpNotReadyError)
        logger.info("roll-up waits for its communes", { job: label, reason: error.message });
      else
        logger.error("report job failed", { job: label, messageId: record.messageId, error: error as Error });
      throw error;
    }
  };

  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    // One processor per batch: it holds the batch's results.
    const processor = new BatchProcessor(EventType.SQS);
    const response = await processPartialResponse(event, runRecord, processor, {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
    });
    const failed = response.batchItemFailures.length;
    logger.info("report batch done", {
      messages: event.Records.length,
      built: event.Records.length - failed,
      failed,
    });
    return response;
  };
}

/** Built on the first invocation of a container (functions/runtime.ts). */
export const handler = eventHandler(() =>
  createWorkerHandler({
    reports: {
      aggregates: new DynamoAggregateReader(dynamoClientFromEnv(), requiredEnv("TABLE_NAME")),
      store: new S3ReportStore(s3ClientFromEnv(), requiredEnv("BUCKET_NAME")),
      onReread: reportRereads(),
    },
    logger,
    maxWaits: Number(process.env.ROLLUP_MAX_WAITS ?? 10),
  }),
);
