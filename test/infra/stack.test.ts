/**
 * The CDK app: every property the deploy promises, read from the synthesized template, and cdk-nag's
 * AWS Solutions checks with no unacknowledged finding. The stack is built (and its seven functions
 * bundled by esbuild) once for the file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { App, type Stack, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../infra/constructs/node-function";
import { apiPathPatterns } from "../../infra/constructs/portal";
import { configFromContext, OneStopStack } from "../../infra/stack";
import { EDITIONS_PREFIX } from "../../shared/adapters/s3/edition-files";
import { REPORTS_PREFIX } from "../../shared/adapters/s3/report-store";
import { tableDefinition } from "../../shared/adapters/table";
import {
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  HSTS,
  IMMUTABLE_CACHE_CONTROL,
  PAGE_CACHE_CONTROL,
  REFERRER_POLICY,
  securityHeaders,
} from "../../shared/api/portal-headers";
import { routes } from "../../shared/api/routes";
import { REPORT_SCHEDULES, REPORT_TIMEZONE } from "../../shared/reports/jobs/report-schedules";
import { sdkUseOf } from "./sdk-calls";

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON, navigated by shape in assertions
type Json = Record<string, any>;

/** A built portal shaped like web/dist (building the real one is the browser tests' business). */
const WEB_ASSETS = mkdtempSync(path.join(os.tmpdir(), "portal-dist-"));
mkdirSync(path.join(WEB_ASSETS, "assets"));
writeFileSync(
  path.join(WEB_ASSETS, "index.html"),
  '<!doctype html><script type="module" src="/assets/index-1a2b.js"></script>',
);
writeFileSync(path.join(WEB_ASSETS, "assets", "index-1a2b.js"), "export {};\n");
afterAll(() => rmSync(WEB_ASSETS, { recursive: true, force: true }));

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
  stack = new OneStopStack(app, "OneStopReports", {
    config: { alarmEmail: "ops@example.org" },
    webAssets: WEB_ASSETS,
  });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
  // Bundling the functions takes minutes on a loaded 2-core machine.
}, 300_000);

/** The custom resource function of the portal's BucketDeployment (CDK's own, in Python). */
const isAssetDeployment = (id: string) => id.startsWith("CustomCDKBucketDeployment");
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

/** The seven functions, by the entry each bundles. */
const functionsByEntry = () => ({
  "functions/intake/handler.ts": stack.intake.handler,
  "functions/dvcqg/handler.ts": stack.dvcqg.handler,
  "functions/meta/handler.ts": stack.meta.handler,
  "functions/links/handler.ts": stack.links.handler,
  "functions/people/handler.ts": stack.people.handler,
  "functions/editions/handler.ts": stack.editions.handler,
  "functions/reports/dispatcher.ts": stack.reports.dispatcher,
  "functions/reports/worker.ts": stack.reports.worker,
});

describe("functions", () => {
  it("are the eight entries of functions/, each Node.js 22 on arm64, traced, with source maps and Powertools", () => {
    const functions = ofType("AWS::Lambda::Function").filter(([id]) => !isAssetDeployment(id));
    expect(functions).toHaveLength(8);
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
    const functionOf = {
      intake: stack.intake,
      meta: stack.meta,
      links: stack.links,
      dvcqg: stack.dvcqg,
      people: stack.people,
      editions: stack.editions,
    };
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
        "POST /v1/editions/{unit}/{year}/issue": { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        "POST /v1/editions/{unit}/{year}/preview": { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
        "GET /v1/editions/bundle": { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 5 },
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

describe("portal", () => {
  const distribution = () => resources[logicalId(stack.portal.distribution)]!.Properties.DistributionConfig;
  const behaviors = () => [distribution().DefaultCacheBehavior, ...distribution().CacheBehaviors];
  const originOf = (behavior: Json) =>
    distribution().Origins.find((o: Json) => o.Id === behavior.TargetOriginId);

  it("serves the page from a private, encrypted, TLS-only bucket that only this distribution may read (origin access control)", () => {
    const bucket = resources[logicalId(stack.portal.assets)]!.Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: "AES256",
    });
    expect(bucket.LoggingConfiguration.DestinationBucketName).toEqual({
      Ref: logicalId(stack.reportsBucket.accessLogs),
    });
    const origin = originOf(distribution().DefaultCacheBehavior);
    expect(origin.DomainName).toEqual(getAtt(stack.portal.assets, "RegionalDomainName"));
    expect(origin.OriginAccessControlId).toBeDefined();
    template.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: "s3",
        SigningBehavior: "always",
        SigningProtocol: "sigv4",
      },
    });
    const policy = ofType("AWS::S3::BucketPolicy").find(
      ([, p]) => p.Properties.Bucket.Ref === logicalId(stack.portal.assets),
    )!;
    const statements: Json[] = policy[1].Properties.PolicyDocument.Statement;
    const allows = statements.filter((st) => st.Effect === "Allow");
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: "s3:GetObject",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Condition: { StringEquals: { "AWS:SourceArn": expect.anything() } },
    });
    expect(JSON.stringify(allows[0]!.Condition)).toContain(logicalId(stack.portal.distribution));
    expect(
      statements.some(
        (st) => st.Effect === "Deny" && st.Condition?.Bool?.["aws:SecureTransport"] === "false",
      ),
    ).toBe(true);
  });

  it("answers index.html at /, caches the page's files, and has no custom error pages (API errors pass as they are)", () => {
    const config = distribution();
    expect(config.DefaultRootObject).toBe("index.html");
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(config.DefaultCacheBehavior).toMatchObject({
      AllowedMethods: ["GET", "HEAD"],
      CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6", // Managed-CachingOptimized
      ViewerProtocolPolicy: "redirect-to-https",
      Compress: true,
    });
  });

  it("passes the API's paths (/v1/*, /health) to the HTTP API uncached, with every viewer header but Host, over TLS 1.2", () => {
    expect(apiPathPatterns()).toEqual(["/health", "/v1/*"]);
    const apiBehaviors = distribution().CacheBehaviors as Json[];
    expect(apiBehaviors.map((b) => b.PathPattern).sort()).toEqual(["/health", "/v1/*"]);
    for (const behavior of apiBehaviors) {
      expect(behavior).toMatchObject({
        CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", // Managed-CachingDisabled
        OriginRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac", // Managed-AllViewerExceptHostHeader
        ViewerProtocolPolicy: "https-only",
      });
      expect(behavior.AllowedMethods).toEqual(expect.arrayContaining(["GET", "POST", "OPTIONS"]));
      const origin = originOf(behavior);
      expect(origin.CustomOriginConfig).toEqual({
        OriginProtocolPolicy: "https-only",
        OriginSSLProtocols: ["TLSv1.2"],
      });
      expect(JSON.stringify(origin.DomainName)).toContain(logicalId(stack.api.httpApi));
      expect(JSON.stringify(origin.DomainName)).toContain(".execute-api.");
    }
  });

  it("sends the security headers of shared/api/portal-headers.ts (CSP without inline scripts, HSTS, no framing) with every behaviour", () => {
    const policyId = logicalId(stack.portal.headers);
    for (const behavior of behaviors()) expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    const config = resources[policyId]!.Properties.ResponseHeadersPolicyConfig;
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(config.SecurityHeadersConfig).toEqual({
      // The page also fetches from Cognito (docs/people.md#in-aws): its two origins join connect-src.
      ContentSecurityPolicy: {
        ContentSecurityPolicy: stack.resolve(contentSecurityPolicy(stack.identityOrigins)),
        Override: true,
      },
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: HSTS.maxAgeSeconds,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: "DENY", Override: true },
      ReferrerPolicy: { ReferrerPolicy: REFERRER_POLICY, Override: true },
    });
    // The local stack sends the very same headers (test/e2e/static-files.test.ts).
    const sent = securityHeaders();
    expect(sent["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    for (const item of config.CustomHeadersConfig.Items) expect(sent[item.Header]).toBe(item.Value);
  });

  it("logs requests to its own bucket (object writer, as CloudFront's logs need), and speaks HTTP/2 and 3", () => {
    const config = distribution();
    expect(config.Logging).toEqual({
      Bucket: getAtt(stack.portal.logs, "RegionalDomainName"),
      Prefix: "cloudfront/",
    });
    const logs = resources[logicalId(stack.portal.logs)]!.Properties;
    expect(logs.OwnershipControls.Rules).toEqual([{ ObjectOwnership: "ObjectWriter" }]);
    expect(logs.PublicAccessBlockConfiguration.BlockPublicAcls).toBe(true);
    expect(logs.LoggingConfiguration.DestinationBucketName).toEqual({
      Ref: logicalId(stack.reportsBucket.accessLogs),
    });
    expect(config.HttpVersion).toBe("http2and3");
  });

  it("deploys web/dist: hashed assets kept and cached for good, then the page, revalidated, and an invalidation", () => {
    const deployments = ofType("Custom::CDKBucketDeployment").map(([id, r]) => [id, r] as const);
    expect(deployments).toHaveLength(2);
    const assets = deployments.find(([, r]) => r.Properties.Include)!;
    const page = deployments.find(([, r]) => !r.Properties.Include)!;
    const bucket = { Ref: logicalId(stack.portal.assets) };
    expect(assets[1].Properties).toMatchObject({
      DestinationBucketName: bucket,
      Exclude: ["*"],
      Include: ["assets/*"],
      Prune: false,
      SystemMetadata: { "cache-control": IMMUTABLE_CACHE_CONTROL },
    });
    expect(page[1].Properties).toMatchObject({
      DestinationBucketName: bucket,
      Exclude: ["assets/*"],
      Prune: true,
      SystemMetadata: { "cache-control": PAGE_CACHE_CONTROL },
      DistributionId: { Ref: logicalId(stack.portal.distribution) },
      DistributionPaths: ["/*"],
    });
    expect(page[1].DependsOn).toContain(assets[0]);
  });

  it("gives the portal's address as an output, and refuses to synthesize without a built page", () => {
    expect(template.toJSON().Outputs.PortalUrl.Value).toEqual({
      "Fn::Join": ["", ["https://", getAtt(stack.portal.distribution, "DomainName"), "/"]],
    });
    const empty = mkdtempSync(path.join(os.tmpdir(), "portal-empty-"));
    try {
      const other = new App({ context: { "aws:cdk:bundling-stacks": [] } });
      expect(() => new OneStopStack(other, "Unbuilt", { webAssets: empty })).toThrow(
        /index\.html is missing.*npm run web:build/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("takes a custom domain and its certificate from the context, with TLS 1.2 (2021) for viewers", () => {
    const other = new App({
      context: {
        "onestop:portalDomain": "baocao.example.vn",
        "onestop:portalCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        "aws:cdk:bundling-stacks": [],
      },
    });
    const config = Template.fromStack(new OneStopStack(other, "Domain", { webAssets: WEB_ASSETS })).toJSON();
    const [dist] = Object.values<Json>(config.Resources).filter(
      (r) => r.Type === "AWS::CloudFront::Distribution",
    );
    expect(dist!.Properties.DistributionConfig.Aliases).toEqual(["baocao.example.vn"]);
    expect(dist!.Properties.DistributionConfig.ViewerCertificate).toMatchObject({
      AcmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
      MinimumProtocolVersion: "TLSv1.2_2021",
      SslSupportMethod: "sni-only",
    });
    const noCertificate = new App({
      context: { "onestop:portalDomain": "baocao.example.vn", "aws:cdk:bundling-stacks": [] },
    });
    expect(() => new OneStopStack(noCertificate, "NoCertificate", { webAssets: WEB_ASSETS })).toThrow(
      /portalCertificateArn/,
    );
  });
});

describe("least privilege", () => {
  const actionsOf = (statement: Json): string[] => [statement.Action].flat();

  it("grants no service-wide action and no `*` resource but X-Ray's and the portal deployment's invalidation", () => {
    for (const [, policy] of ofType("AWS::IAM::Policy")) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        for (const action of actionsOf(statement)) expect(action).not.toMatch(/:\*$|^\*$/);
        if (statement.Resource === "*") {
          const actions = actionsOf(statement).sort();
          // CDK's BucketDeployment invalidates the portal's distribution after a deploy.
          const invalidation = ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"];
          if (actions[0]?.startsWith("cloudfront:")) expect(actions).toEqual(invalidation);
          else expect(actions).toEqual(["xray:PutTelemetryRecords", "xray:PutTraceSegments"]);
        }
      }
    }
  });

  it("scopes table actions to the table, object actions to the reports (editions) prefix, list to the bucket", () => {
    const tableArn = getAtt(stack.data.table);
    const bucketArn = getAtt(stack.reportsBucket.bucket);
    for (const [entry, handler] of Object.entries(functionsByEntry())) {
      const prefix = entry === "functions/editions/handler.ts" ? EDITIONS_PREFIX : `${REPORTS_PREFIX}/`;
      const objectsArn = { "Fn::Join": ["", [bucketArn, `/${prefix}*`]] };
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
    "functions/people/handler.ts": 1,
    "functions/editions/handler.ts": 1,
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
    const configured = Template.fromStack(new OneStopStack(other, "Configured", { webAssets: WEB_ASSETS }));
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

describe("issued edition files", () => {
  it("live in the versioned bucket, previews expire after a day, and Object Lock is off unless asked", () => {
    const [, bucket] = ofType("AWS::S3::Bucket").find(
      ([id]) => id === logicalId(stack.reportsBucket.bucket),
    )!;
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: "Enabled" });
    expect(bucket.Properties).not.toHaveProperty("ObjectLockEnabled");
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({
        Id: "expire-edition-previews",
        Prefix: "editions/previews/",
        ExpirationInDays: 1,
      }),
    );
    // Noncurrent versions of issued files are never expired: a deleted one can be restored.
    for (const rule of bucket.Properties.LifecycleConfiguration.Rules) {
      if (rule.NoncurrentVersionExpiration) expect(rule.Prefix).toBe(`${REPORTS_PREFIX}/`);
    }
  });

  it("with context onestop:issuedObjectLock, the bucket has Object Lock and the function sets a governance retention", () => {
    const other = new App({ context: { "onestop:issuedObjectLock": "true", "aws:cdk:bundling-stacks": [] } });
    const locked = Template.fromStack(new OneStopStack(other, "Locked", { webAssets: WEB_ASSETS }));
    locked.hasResourceProperties("AWS::S3::Bucket", { ObjectLockEnabled: true });
    const editions = Object.values(locked.findResources("AWS::Lambda::Function")).find((f) =>
      String(f.Properties.Description).startsWith("Report editions"),
    );
    expect(Number(editions?.Properties.Environment.Variables.ISSUED_RETENTION_DAYS)).toBeGreaterThanOrEqual(
      5 * 365,
    );
    const actions = Object.values(locked.findResources("AWS::IAM::Policy")).flatMap((p) =>
      p.Properties.PolicyDocument.Statement.flatMap((st: Json) => [st.Action].flat()),
    );
    expect(actions).toContain("s3:PutObjectRetention");
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
      bare = new OneStopStack(bareApp, "OneStopReports", {
        config: { alarmEmail: "ops@example.org" },
        webAssets: WEB_ASSETS,
      });
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
