import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from "@aws-sdk/client-sqs";
import type { ReportJob } from "../../reports/jobs/report-jobs";
import { tracer } from "../tracer";

/** An SQS client from the environment (`SQS_ENDPOINT` for a local stand-in, else AWS defaults), traced
 * like the others (shared/adapters/aws-clients.ts). */
export function sqsClientFromEnv(env: NodeJS.ProcessEnv = process.env): SQSClient {
  return tracer.captureAWSv3Client(
    env.SQS_ENDPOINT
      ? new SQSClient({ endpoint: env.SQS_ENDPOINT, region: env.AWS_REGION ?? "local" })
      : new SQSClient({}),
  );
}

export interface JobQueue {
  send(jobs: readonly ReportJob[], options?: { delaySeconds?: number }): Promise<void>;
}

const BATCH = 10; // SendMessageBatch's limit
const MAX_ATTEMPTS = 5;

/** Report jobs to the report queue, ten per SendMessageBatch, failed entries retried with backoff. */
export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async send(jobs: readonly ReportJob[], options: { delaySeconds?: number } = {}): Promise<void> {
    for (let i = 0; i < jobs.length; i += BATCH) {
      let entries: SendMessageBatchRequestEntry[] = jobs.slice(i, i + BATCH).map((job, k) => ({
        Id: String(k),
        MessageBody: JSON.stringify(job),
        ...(options.delaySeconds ? { DelaySeconds: Math.min(900, options.delaySeconds) } : {}),
      }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        const result = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
        const failed = new Set((result.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
        if (entries.length === 0) break;
        if (attempt >= MAX_ATTEMPTS) {
          const reasons = (result.Failed ?? []).map((f) => `${f.Code}: ${f.Message}`).join("; ");
          throw new Error(`could not enqueue ${entries.length} report jobs: ${reasons}`);
        }
        await this.sleep(100 * 2 ** attempt);
      }
    }
  }
}
