/**
 * The CDK app: every property the deploy promises, read from the synthesized template, and cdk-nag's
 * AWS Solutions checks with no unacknowledged finding. The stack is built (and its six functions
 * bundled by esbuild) once for the file.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { App, type Stack, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../infra/constructs/node-function";
import { configFromContext, OneStopStack } from "../../infra/stack";
import { REPORTS_PREFIX } from "../../shared/adapters/s3/report-store";
import { tableDefinition } from "../../shared/adapters/table";
import { routes } from "../../shared/api/routes";
import { REPORT_SCHEDULES, REPORT_TIMEZONE } from "../../shared/reports/jobs/report-schedules";
import { sdkUseOf } from "./sdk-calls";

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON, navigated by shape in assertions
type Json = Record<string, any>;

let app: App;
let stack: OneStopStack;
let template: Template;
let resources: Record<string, Json>;

/**
 * The app as infra/app.ts builds it, with cdk.json's context. cdk-nag runs in its own test below
 * (`validateScope`) rather than as a synthesis plugin here, so a finding fails that one test with
 * its rule and path instead of every test.
 */
beforeAll(() => {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "cdk.json"), "utf8"));
  app = new App({ context: cdkJson.context, analyticsReporting: false });
  stack = new OneStopStack(app, "OneStopReports", { config: { alarmEmail: "ops@example.org" } });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
  // Bundling the five functions takes minutes on a loaded 2-core machine.
}, 300_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalId = (construct: IConstruct) =>
  stack.getLogicalId(construct.node.defaultChild as unknown as Parameters<Stack["getLogicalId"]>[0]);
const getAtt = (construct: IConstruct, attribute = "Arn") => ({
  "Fn::GetAtt": [logicalId(construct), attribute],
});

/** The statements of every policy attached to a role. */
const statementsOf = (role: IConstruct): Json[] =>
  ofType("AWS::IAM::Policy")
    .filter(([, p]) => p.Properties.Roles.some((r: Json) => r.Ref === logicalId(role)))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);

/** The six functions, by the entry each bundles. */
const functionsByEntry = () => ({
  "functions/intake/handler.ts": stack.intake.handler,
  "functions/dvcqg/handler.ts": stack.dvcqg.handler,
  "functions/meta/handler.ts": stack.meta.handler,
  "functions/links/handler.ts": stack.links.handler,
  "functions/reports/dispatcher.ts": stack.reports.dispatcher,
  "functions/reports/worker.ts": stack.reports.worker,
});

describe("functions", () => {
  it("are the six entries of functions/, each Node.js 22 on arm64, traced, with source maps and Powertools", () => {
    const functions = ofType("AWS::Lambda::Function");
    expect(functions).toHaveLength(6);
    for (const [, fn] of functions) {
      const p = fn.Properties;
      expect(p.Runtime).toBe("nodejs22.x");
      expect(p.Architectures).toEqual(["arm64"]);
      expect(p.Handler).toBe("index.handler");
      expect(p.TracingConfig).toEqual({ Mode: "Active" });
      expect(p.LoggingConfig.LogGroup).toBeDefined();
      expect(p.Environment.Variables).toMatchObject({
        NODE_OPTIONS: "--enable-source-maps",
        POWERTOOLS_SERVICE_NAME: "onestop",
        POWERTOOLS_LOG_LEVEL: "INFO",
        POWERTOOLS_METRICS_NAMESPACE: "OneStopReports",
      });
      // The tracer switches itself off only where the local stack and the tests say so.
      expect(p.Environment.Variables).not.toHaveProperty("POWERTOOLS_TRACE_ENABLED");
    }
    const ids = Object.values(functionsByEntry()).map((f) => logicalId(f.function));
    expect(new Set(ids)).toEqual(new Set(functions.map(([id]) => id)));
  });

  it("log to their own log group, kept three months", () => {
    for (const handler of Object.values(functionsByEntry())) {
      const fn = resources[logicalId(handler.function)]!;
      expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: logicalId(handler.logGroup) });
      expect(resources[logicalId(handler.logGroup)]!.Properties.RetentionInDays).toBe(90);
    }
  });

  it("fit the API (intake and links answer within the 29 s integration timeout) and bound the intake", () => {
    const props = (handler: { function: IConstruct }) => resources[logicalId(handler.function)]!.Properties;
    expect(props(stack.intake.handler).Timeout).toBeLessThanOrEqual(28);
    expect(props(stack.links.handler).Timeout).toBeLessThanOrEqual(28);
    expect(props(stack.intake.handler).ReservedConcurrentExecutions).toBe(20);
    for (const [, integration] of ofType("AWS::ApiGatewayV2::Integration")) {
      expect(integration.Properties.TimeoutInMillis).toBe(29_000);
    }
  });

  it("get the environment their handlers read", () => {
    const env = (handler: { function: IConstruct }) =>
      resources[logicalId(handler.function)]!.Properties.Environment.Variables;
    const table = { Ref: logicalId(stack.data.table) };
    const bucket = { Ref: logicalId(stack.reportsBucket.bucket) };
    expect(env(stack.intake.handler)).toMatchObject({
      TABLE_NAME: table,
      SOURCES_SECRET_ARN: { Ref: logicalId(stack.secrets.sources) },
    });
    expect(env(stack.intake.handler)).not.toHaveProperty("SOURCES_JSON");
    expect(env(stack.meta.handler)).toMatchObject({ TABLE_NAME: table, BUCKET_NAME: bucket });
    expect(env(stack.links.handler)).toMatchObject({ TABLE_NAME: table, BUCKET_NAME: bucket });
    expect(env(stack.reports.dispatcher)).toMatchObject({
      TABLE_NAME: table,
      REPORT_QUEUE_URL: { Ref: logicalId(stack.reports.jobs) },
    });
    expect(env(stack.reports.worker)).toMatchObject({ TABLE_NAME: table, BUCKET_NAME: bucket });
  });
});

describe("data", () => {
  const sortByName = <T extends { AttributeName?: string; IndexName?: string }>(list: readonly T[]) =>
    [...list].sort((a, b) =>
      String(a.AttributeName ?? a.IndexName).localeCompare(String(b.AttributeName ?? b.IndexName)),
    );

  it("declares the key schema, attributes and index of shared/adapters/table.ts", () => {
    const [[, table]] = ofType("AWS::DynamoDB::Table") as [[string, Json]];
    const p = table.Properties;
    expect(p.KeySchema).toEqual(tableDefinition.KeySchema);
    expect(sortByName(p.AttributeDefinitions)).toEqual(sortByName(tableDefinition.AttributeDefinitions));
    expect(sortByName(p.GlobalSecondaryIndexes)).toEqual(sortByName(tableDefinition.GlobalSecondaryIndexes));
    expect(p.BillingMode).toBe(tableDefinition.BillingMode);
  });

  it("is on demand, with point-in-time recovery, deletion protection, KMS encryption, and kept on stack deletion", () => {
    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: Match.objectLike({
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        // SSEEnabled without a key: the AWS-managed key aws/dynamodb.
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true },
      }),
    });
  });
});

describe("reports bucket", () => {
  const bucketProps = () => resources[logicalId(stack.reportsBucket.bucket)]!.Properties;

  it("blocks all public access, encrypts at rest, versions objects and logs access", () => {
    const p = bucketProps();
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe("AES256");
    expect(p.VersioningConfiguration).toEqual({ Status: "Enabled" });
    expect(p.OwnershipControls.Rules).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
    expect(p.LoggingConfiguration.DestinationBucketName).toEqual({
      Ref: logicalId(stack.reportsBucket.accessLogs),
    });
  });

  it("expires superseded versions of the reports (every rebuild, the nightly year-to-date first, replaces one)", () => {
    expect(bucketProps().LifecycleConfiguration.Rules).toContainEqual({
      Id: "expire-superseded-reports",
      Prefix: `${REPORTS_PREFIX}/`,
      Status: "Enabled",
      NoncurrentVersionExpiration: { NoncurrentDays: 30, NewerNoncurrentVersions: 3 },
      ExpiredObjectDeleteMarker: true,
    });
  });

  it("refuses plain HTTP, on the reports bucket and on its log bucket", () => {
    for (const bucket of [stack.reportsBucket.bucket, stack.reportsBucket.accessLogs]) {
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: logicalId(bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Action: "s3:*",
              Principal: { AWS: "*" },
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          ]),
        },
      });
    }
  });
});

describe("secrets", () => {
  it("hold only a placeholder in the template: no webhook secret, no token", () => {
    template.hasResourceProperties("AWS::SecretsManager::Secret", { SecretString: "[]" });
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/whsec_[A-Za-z0-9+/]/);
    expect(text).not.toMatch(/rt_[A-Za-z0-9_-]{20}/);
    expect(text).not.toContain("demo-reader-token");
  });
});

describe("reports", () => {
  it("has one EventBridge schedule per shared definition, in Asia/Ho_Chi_Minh, with a retry policy and a DLQ", () => {
    const schedules = ofType("AWS::Scheduler::Schedule").map(([, s]) => s.Properties);
    expect(schedules).toHaveLength(REPORT_SCHEDULES.length);
    for (const definition of REPORT_SCHEDULES) {
      const schedule = schedules.find((s) => s.ScheduleExpression === definition.aws);
      expect(schedule, definition.id).toBeDefined();
      expect(schedule.ScheduleExpressionTimezone).toBe(REPORT_TIMEZONE);
      expect(schedule.ScheduleExpressionTimezone).toBe("Asia/Ho_Chi_Minh");
      expect(schedule.Target.Arn).toEqual(getAtt(stack.reports.dispatcher.function));
      expect(JSON.parse(schedule.Target.Input)).toEqual({
        schedule: definition.id,
        scheduledTime: "<aws.scheduler.scheduled-time>",
      });
      expect(schedule.Target.RetryPolicy).toEqual({
        MaximumRetryAttempts: 5,
        MaximumEventAgeInSeconds: 7200,
      });
      expect(schedule.Target.DeadLetterConfig).toEqual({ Arn: getAtt(stack.reports.scheduleDeadLetters) });
    }
  });

  it("queues commune jobs on an encrypted, TLS-only queue with a dead-letter queue past the roll-up waits", () => {
    const jobs = resources[logicalId(stack.reports.jobs)]!.Properties;
    expect(jobs.SqsManagedSseEnabled).toBe(true);
    expect(jobs.RedrivePolicy).toEqual({
      deadLetterTargetArn: getAtt(stack.reports.jobsDeadLetters),
      maxReceiveCount: 13,
    });
    // Visibility: six times the worker's timeout (AWS's advice for Lambda event sources).
    const worker = resources[logicalId(stack.reports.worker.function)]!.Properties;
    expect(jobs.VisibilityTimeout).toBe(6 * worker.Timeout);
    expect(worker.Environment.Variables.ROLLUP_MAX_WAITS).toBe("10");
    for (const queue of [
      stack.reports.jobs,
      stack.reports.jobsDeadLetters,
      stack.reports.scheduleDeadLetters,
    ]) {
      expect(resources[logicalId(queue)]!.Properties.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: logicalId(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      });
    }
  });

  it("feeds the worker with partial batch failures and a bounded concurrency", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: getAtt(stack.reports.jobs),
      FunctionName: { Ref: logicalId(stack.reports.worker.function) },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it("lets only this account's default schedule group assume the scheduler role", () => {
    for (const schedule of stack.reports.schedules) {
      expect(resources[logicalId(schedule)]!.Properties.Target.RoleArn).toEqual(
        getAtt(stack.reports.schedulerRole),
      );
    }
    const trust =
      resources[logicalId(stack.reports.schedulerRole)]!.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([
      expect.objectContaining({
        Principal: { Service: "scheduler.amazonaws.com" },
        Condition: {
          StringEquals: {
            "aws:SourceAccount": { Ref: "AWS::AccountId" },
            "aws:SourceArn": expect.objectContaining({
              "Fn::Join": ["", expect.arrayContaining([":schedule-group/default"])],
            }),
          },
        },
      }),
    ]);
    const allowed = statementsOf(stack.reports.schedulerRole).map((s) => [s.Action].flat().join(","));
    expect(allowed.sort()).toEqual(["lambda:InvokeFunction", "sqs:SendMessage"]);
  });
});

describe("API", () => {
  it("has exactly the routes of shared/api/routes.ts, each to its function", () => {
    const routeResources = ofType("AWS::ApiGatewayV2::Route").map(([, r]) => r.Properties);
    expect(routeResources.map((r) => r.RouteKey).sort()).toEqual(routes.map((r) => r.routeKey).sort());
    const functionOf = { intake: stack.intake, meta: stack.meta, links: stack.links, dvcqg: stack.dvcqg };
    for (const { routeKey, fn } of routes) {
      const route = routeResources.find((r) => r.RouteKey === routeKey)!;
      const integrationId = route.Target["Fn::Join"][1][1].Ref as string;
      const integration = resources[integrationId]!.Properties;
      expect(integration.IntegrationType).toBe("AWS_PROXY");
      expect(integration.PayloadFormatVersion).toBe("2.0");
      expect(integration.IntegrationUri, routeKey).toEqual(getAtt(functionOf[fn].handler.function));
    }
  });

  it("throttles the stage and the expensive routes, and writes access logs to a log group", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      RouteSettings: {
        "POST /v1/sources/{sourceId}/events": { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        "POST /v1/reports": { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        "POST /v1/sources/{sourceId}/dvcqg/auth": { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5 },
        "POST /v1/sources/{sourceId}/dvcqg": { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      },
      AccessLogSettings: {
        DestinationArn: getAtt(stack.api.accessLogs),
        Format: Match.stringLikeRegexp("requestId"),
      },
    });
  });
});

describe("operations", () => {
  const alarms = () => ofType("AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
  const topic = () => ({ Ref: logicalId(stack.operations.topic) });

  it("alarms on every function's errors and throttles, to the SNS topic", () => {
    for (const handler of Object.values(functionsByEntry())) {
      for (const metric of ["Errors", "Throttles"]) {
        const alarm = alarms().find(
          (a) =>
            a.Namespace === "AWS/Lambda" &&
            a.MetricName === metric &&
            JSON.stringify(a.Dimensions) ===
              JSON.stringify([{ Name: "FunctionName", Value: { Ref: logicalId(handler.function) } }]),
        );
        expect(alarm, `${metric} of ${handler.node.path}`).toBeDefined();
        expect(alarm!.AlarmActions).toEqual([topic()]);
        expect(alarm!.Threshold).toBe(1);
      }
    }
  });

  it("alarms on the API's 5xx and on messages in both dead-letter queues", () => {
    const api5xx = alarms().find((a) => a.Namespace === "AWS/ApiGateway" && a.MetricName === "5xx");
    expect(api5xx?.Dimensions).toContainEqual({
      Name: "ApiId",
      Value: { Ref: logicalId(stack.api.httpApi) },
    });
    expect(api5xx?.AlarmActions).toEqual([topic()]);
    for (const queue of [stack.reports.jobsDeadLetters, stack.reports.scheduleDeadLetters]) {
      const alarm = alarms().find(
        (a) =>
          a.MetricName === "ApproximateNumberOfMessagesVisible" &&
          JSON.stringify(a.Dimensions) ===
            JSON.stringify([{ Name: "QueueName", Value: getAtt(queue, "QueueName") }]),
      );
      expect(alarm, queue.node.path).toBeDefined();
      expect(alarm!.AlarmActions).toEqual([topic()]);
    }
  });

  it("encrypts the topic with a rotated customer-managed key CloudWatch may use, and subscribes the e-mail", () => {
    const topicProps = resources[logicalId(stack.operations.topic)]!.Properties;
    const keyId = topicProps.KmsMasterKeyId["Fn::GetAtt"][0];
    const key = resources[keyId]!.Properties;
    expect(key.EnableKeyRotation).toBe(true);
    expect(key.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({ Principal: { Service: "cloudwatch.amazonaws.com" } }),
    );
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.org",
    });
  });
});

describe("least privilege", () => {
  const actionsOf = (statement: Json): string[] => [statement.Action].flat();

  it("grants no service-wide action and no `*` resource but X-Ray's", () => {
    for (const [, policy] of ofType("AWS::IAM::Policy")) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        for (const action of actionsOf(statement)) expect(action).not.toMatch(/:\*$|^\*$/);
        if (statement.Resource === "*") {
          expect(actionsOf(statement).sort()).toEqual(["xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
        }
      }
    }
  });

  it("scopes table actions to the table, object actions to the reports prefix, list to the bucket", () => {
    const tableArn = getAtt(stack.data.table);
    const bucketArn = getAtt(stack.reportsBucket.bucket);
    const objectsArn = { "Fn::Join": ["", [bucketArn, `/${REPORTS_PREFIX}/*`]] };
    for (const handler of Object.values(functionsByEntry())) {
      for (const statement of statementsOf(handler.role)) {
        const actions = actionsOf(statement);
        if (actions.some((a) => a.startsWith("dynamodb:"))) expect(statement.Resource).toEqual(tableArn);
        if (actions.some((a) => a === "s3:GetObject" || a === "s3:PutObject"))
          expect(statement.Resource).toEqual(objectsArn);
        if (actions.includes("s3:ListBucket")) expect(statement.Resource).toEqual(bucketArn);
        if (actions.some((a) => a.startsWith("logs:")))
          expect(statement.Resource).toEqual(getAtt(handler.logGroup));
      }
    }
  });

  /** Commands the code holds but the function never calls: class methods esbuild cannot tree-shake. */
  const NOT_CALLED: Record<string, string[]> = {
    // DynamoTokenStore.put: tokens are created by `npm run token`, never by the links function.
    "functions/links/handler.ts": ["dynamodb:PutItem"],
    // S3ReportStore.presign: the worker builds reports, the links function hands out URLs.
    "functions/reports/worker.ts": ["s3:GetObject"],
  };
  /** Granted by CDK for the SQS event source (Lambda polls the queue with the function's role). */
  const EVENT_SOURCE_ACTIONS = [
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ReceiveMessage",
  ];

  it.each(Object.keys(functionsByEntryKeys()))(
    "%s: the role allows exactly the AWS calls its code makes",
    async (entry) => {
      const handler = functionsByEntry()[entry as keyof ReturnType<typeof functionsByEntry>];
      const use = await sdkUseOf(PROJECT_ROOT, entry);
      expect(use.unknown, "SDK commands missing from COMMAND_ACTIONS (test/infra/sdk-calls.ts)").toEqual([]);
      const needed = use.actions.filter((a) => !(NOT_CALLED[entry] ?? []).includes(a));
      const granted = statementsOf(handler.role)
        .flatMap(actionsOf)
        .filter((a) => !/^(logs|xray):/.test(a))
        .filter((a) => !(entry === "functions/reports/worker.ts" && EVENT_SOURCE_ACTIONS.includes(a)));
      expect([...new Set(granted)].sort()).toEqual([...new Set(needed)].sort());
    },
  );
});

/** The entries, known before the stack exists (it.each needs them at collection time). */
function functionsByEntryKeys() {
  return {
    "functions/intake/handler.ts": 1,
    "functions/dvcqg/handler.ts": 1,
    "functions/meta/handler.ts": 1,
    "functions/links/handler.ts": 1,
    "functions/reports/dispatcher.ts": 1,
    "functions/reports/worker.ts": 1,
  };
}

describe("deployment settings", () => {
  it("are read from the context, and reserved concurrency can be turned off for a new account", () => {
    const context = {
      "onestop:alarmEmail": "sre@example.org",
      "onestop:logLevel": "DEBUG",
      "onestop:intakeReservedConcurrency": "0",
      "onestop:reportWorkerConcurrency": "3",
      "aws:cdk:bundling-stacks": [],
    };
    const other = new App({ context }); // without cdk.json's context: the stack must not need it
    expect(configFromContext(other)).toEqual({
      alarmEmail: "sre@example.org",
      logLevel: "DEBUG",
      intakeReservedConcurrency: 0,
      reportWorkerConcurrency: 3,
    });
    const configured = Template.fromStack(new OneStopStack(other, "Configured"));
    const intake = Object.values(configured.findResources("AWS::Lambda::Function")).find((f) =>
      String(f.Properties.Description).startsWith("Webhook intake"),
    );
    expect(intake?.Properties).not.toHaveProperty("ReservedConcurrentExecutions");
    expect(intake?.Properties.Environment.Variables.POWERTOOLS_LOG_LEVEL).toBe("DEBUG");
    configured.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      ScalingConfig: { MaximumConcurrency: 3 },
    });
    configured.hasResourceProperties("AWS::SNS::Subscription", { Endpoint: "sre@example.org" });
    expect(() =>
      configFromContext(new App({ context: { "onestop:reportWorkerConcurrency": "two" } })),
    ).toThrow(/whole number/);
  });
});

describe("cdk-nag", () => {
  it("AwsSolutions reports no unacknowledged finding (error or warning)", () => {
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(", ")}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  /** `[construct path, rule id, reason]` of every acknowledgment in the stack. */
  const acknowledgments = (root: IConstruct) =>
    root.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) =>
            Object.entries(entry.data as Record<string, string>).map(
              ([id, reason]) => [construct.node.path, id.replace(/^annotation::/i, ""), reason] as const,
            ),
          ),
      );

  it("acknowledges each finding with its reason, and only findings that occur", () => {
    const acknowledged = acknowledgments(stack);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [where, id, reason] of acknowledged)
      expect(reason.length, `${id} at ${where}`).toBeGreaterThan(40);

    // The same stack with every acknowledgment ignored (and bundling skipped): each acknowledged
    // rule must then be reported on (or under) the construct that acknowledges it.
    const acknowledge = Validations.prototype.acknowledge;
    Validations.prototype.acknowledge = () => undefined;
    let bare: OneStopStack;
    try {
      const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "cdk.json"), "utf8"));
      const bareApp = new App({ context: { ...cdkJson.context, "aws:cdk:bundling-stacks": [] } });
      bare = new OneStopStack(bareApp, "OneStopReports", { config: { alarmEmail: "ops@example.org" } });
    } finally {
      Validations.prototype.acknowledge = acknowledge;
    }
    expect(acknowledgments(bare)).toEqual([]);
    const findings = new AwsSolutionsChecks()
      .validateScope(bare)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
    for (const [where, id] of acknowledged) {
      expect(
        findings.some((f) => f.startsWith(`${id} @ ${where}/`)),
        `acknowledged but not found: ${id} at ${where}`,
      ).toBe(true);
    }
  });
});
