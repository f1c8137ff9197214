import { Aws, Duration, Stack, TimeZone, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { eventBridgeSchedule, REPORT_SCHEDULES } from "../../shared/reports/jobs/report-schedules";
import { acknowledgeWildcard, arnFinding } from "../nag";
import { AppFunction, type FunctionDefaults } from "./node-function";

/** Receives of a province roll-up spent waiting for its communes' reports before it is built anyway
 * (the worker's ROLLUP_MAX_WAITS): a roll-up comes back after each visibility timeout meanwhile. */
export const ROLLUP_MAX_WAITS = 10;
/** Receives of a job before its dead letter: past the roll-up waits, three real attempts. */
export const REPORT_JOB_MAX_RECEIVES = ROLLUP_MAX_WAITS + 3;
/** EventBridge Scheduler's retry policy for the dispatcher (then the schedule's dead-letter queue). */
export const SCHEDULE_RETRY_ATTEMPTS = 5;
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(2);

const WORKER_TIMEOUT = Duration.minutes(5);

export interface ReportsProps {
  readonly defaults: FunctionDefaults;
  readonly table: ITable;
  readonly bucket: IBucket;
  /** The key prefix of the reports (`reports/`): object permissions stop there. */
  readonly reportsPrefix: string;
  /** Report workers running at once (SQS event source maximum concurrency, 2 to 1000). */
  readonly workerConcurrency: number;
}

/**
 * The scheduled report builds (docs/api.md#schedule, docs/architecture.md#reports): EventBridge Scheduler fires the dispatcher on the
 * shared cron definitions (shared/reports/jobs/report-schedules.ts) in Asia/Ho_Chi_Minh, with a retry
 * policy and a dead-letter queue; the dispatcher queues one job per commune with data, then one roll-up
 * per province; the worker builds them, a few at a
 * time (bounded concurrency), reporting the jobs that failed so only those come back, and a job that
 * keeps failing ends in the jobs' dead-letter queue.
 */
export class Reports extends Construct {
  readonly dispatcher: AppFunction;
  readonly worker: AppFunction;
  readonly jobs: Queue;
  readonly jobsDeadLetters: Queue;
  readonly scheduleDeadLetters: Queue;
  readonly schedules: Schedule[];
  /** Assumed by EventBridge Scheduler to invoke the dispatcher. */
  readonly schedulerRole: Role;

  constructor(scope: Construct, id: string, props: ReportsProps) {
    super(scope, id);
    const { table, bucket } = props;

    this.jobsDeadLetters = new Queue(this, "JobsDeadLetters", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.jobs = new Queue(this, "Jobs", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for a Lambda event source: at least six times the function's timeout.
      visibilityTimeout: Duration.seconds(WORKER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.jobsDeadLetters, maxReceiveCount: REPORT_JOB_MAX_RECEIVES },
    });

    this.dispatcher = new AppFunction(this, "Dispatcher", {
      defaults: props.defaults,
      entry: "functions/reports/dispatcher.ts",
      description: "Scheduled report dispatcher: one job per commune on the report queue",
      memorySize: 512,
      timeout: Duration.minutes(5),
      environment: { TABLE_NAME: table.tableName, REPORT_QUEUE_URL: this.jobs.queueUrl },
    });
    // Probes each commune for data (Query Limit 1), then SendMessageBatch (authorized as SendMessage).
    this.dispatcher.allow(["dynamodb:Query"], [table.tableArn]);
    this.dispatcher.allow(["sqs:SendMessage"], [this.jobs.queueArn]);

    this.worker = new AppFunction(this, "Worker", {
      defaults: props.defaults,
      entry: "functions/reports/worker.ts",
      description: "Report worker: builds the commune reports and province roll-ups of the queued jobs",
      memorySize: 1769,
      timeout: WORKER_TIMEOUT,
      environment: {
        TABLE_NAME: table.tableName,
        BUCKET_NAME: bucket.bucketName,
        ROLLUP_MAX_WAITS: String(ROLLUP_MAX_WAITS),
      },
    });
    // Reads aggregates and listings (Query), uploads reports (PutObject), and a roll-up lists the
    // commune reports built since its dispatch (ListObjectsV2, authorized as s3:ListBucket).
    this.worker.allow(["dynamodb:Query"], [table.tableArn]);
    this.worker.allow(["s3:PutObject"], [bucket.arnForObjects(`${props.reportsPrefix}*`)]);
    this.worker.allow(["s3:ListBucket"], [bucket.bucketArn], {
      StringLike: { "s3:prefix": [`${props.reportsPrefix}*`] },
    });
    acknowledgeWildcard(
      this.worker.role,
      arnFinding(bucket, `/${props.reportsPrefix}*`),
      "The worker writes the report of whichever commune or province its job names: the grant is the reports prefix of the one reports bucket (PutObject only), not the whole bucket.",
    );
    this.worker.function.addEventSource(
      new SqsEventSource(this.jobs, {
        batchSize: 5,
        reportBatchItemFailures: true,
        maxConcurrency: props.workerConcurrency,
      }),
    );

    this.scheduleDeadLetters = new Queue(this, "ScheduleDeadLetters", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.scheduleDeadLetters).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is the dead-letter queue of the EventBridge Scheduler schedules (their target's DeadLetterConfig), not a work queue: it needs no dead-letter queue of its own.",
    });

    // The schedules' role: invoke the dispatcher, send to the dead-letter queue, nothing else; only
    // this account's default schedule group may assume it.
    this.schedulerRole = new Role(this, "SchedulerRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com", {
        conditions: {
          StringEquals: {
            "aws:SourceAccount": Aws.ACCOUNT_ID,
            "aws:SourceArn": Stack.of(this).formatArn({
              service: "scheduler",
              resource: "schedule-group",
              resourceName: "default",
            }),
          },
        },
      }),
      description: "EventBridge Scheduler: invokes the report dispatcher",
    });
    const { schedulerRole } = this;
    acknowledgeWildcard(
      schedulerRole,
      arnFinding(this.dispatcher.function, ":*"),
      "CDK's grantInvoke also covers the dispatcher's versions and aliases (`<function ARN>:*`): still the one dispatcher function, nothing else.",
    );

    const stackName = Stack.of(this).stackName;
    this.schedules = REPORT_SCHEDULES.map((definition) => {
      const spec = eventBridgeSchedule(definition);
      return new Schedule(this, `Schedule-${definition.id}`, {
        // The shared name, prefixed by the stack's, so two stacks can live in one account and region.
        scheduleName: `${stackName}-${spec.name}`.slice(0, 64),
        description: spec.description,
        schedule: ScheduleExpression.expression(
          spec.scheduleExpression,
          TimeZone.of(spec.scheduleExpressionTimezone),
        ),
        timeWindow: spec.flexibleTimeWindow.mode === "OFF" ? TimeWindow.off() : undefined,
        target: new LambdaInvoke(this.dispatcher.function, {
          role: schedulerRole,
          input: ScheduleTargetInput.fromText(spec.input),
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge: SCHEDULE_MAX_EVENT_AGE,
          deadLetterQueue: this.scheduleDeadLetters,
        }),
      });
    });
  }
}
