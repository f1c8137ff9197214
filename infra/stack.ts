import { Aws, CfnOutput, Fn, Stack, type StackProps } from "aws-cdk-lib";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { WEB_DIST } from "../local/web-build";
import { EDITIONS_PREFIX, PREVIEWS_PREFIX } from "../shared/adapters/s3/edition-files";
import { REPORTS_PREFIX } from "../shared/adapters/s3/report-store";
import type { FunctionName } from "../shared/api/routes";
import { Api } from "./constructs/api";
import { Data } from "./constructs/data";
import { DvcqgIntake } from "./constructs/dvcqg";
import { Editions } from "./constructs/editions";
import { federationFromContext, Identity } from "./constructs/identity";
import { Intake } from "./constructs/intake";
import { Links } from "./constructs/links";
import { Meta } from "./constructs/meta";
import type { FunctionDefaults } from "./constructs/node-function";
import { Operations } from "./constructs/operations";
import { BIND_ACTIONS, leadingKeys, People } from "./constructs/people";
import { Portal } from "./constructs/portal";
import { Reports } from "./constructs/reports";
import { ReportsBucket } from "./constructs/reports-bucket";
import { Secrets } from "./constructs/secrets";

/** What an operator may tune per deployment (`cdk deploy -c onestop:<name>=<value>`). */
export interface OneStopConfig {
  /** Subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** POWERTOOLS_LOG_LEVEL of every function. */
  readonly logLevel: string;
  /** Reserved concurrency of the intake: bounds its write pressure on DynamoDB. 0: none (accounts
   * whose concurrency quota is still the new-account 10 cannot reserve any). */
  readonly intakeReservedConcurrency: number;
  /** How many report workers the queue may run at once (SQS event source maxConcurrency, ≥ 2). */
  readonly reportWorkerConcurrency: number;
  /** The portal's own domain name (the distribution answers on its *.cloudfront.net name otherwise). */
  readonly portalDomain?: string;
  /** The ACM certificate (in us-east-1) of `portalDomain`. */
  readonly portalCertificateArn?: string;
  /** The managed login domain prefix (default `onestop-<account id>`; set it for a second stack). */
  readonly loginDomainPrefix?: string;
}

/** How long each issued file is held in Object Lock governance mode (context `onestop:issuedObjectLock`):
 * the 5 years records of this kind are kept. */
export const ISSUED_RETENTION_DAYS = 5 * 366;

export const DEFAULT_CONFIG: OneStopConfig = {
  logLevel: "INFO",
  intakeReservedConcurrency: 20,
  reportWorkerConcurrency: 5,
};

/** The overrides given as context (`-c onestop:alarmEmail=ops@example.org`, or cdk.json). */
export function configFromContext(scope: Construct): Partial<OneStopConfig> {
  const get = (name: keyof OneStopConfig): unknown => scope.node.tryGetContext(`onestop:${name}`);
  const text = (name: keyof OneStopConfig) => {
    const value = get(name);
    return value === undefined || value === "" ? undefined : String(value);
  };
  const int = (name: keyof OneStopConfig) => {
    const value = get(name);
    if (value === undefined || value === "") return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new Error(`onestop:${name} must be a whole number ≥ 0`);
    return parsed;
  };
  const config = {
    alarmEmail: text("alarmEmail"),
    logLevel: text("logLevel"),
    intakeReservedConcurrency: int("intakeReservedConcurrency"),
    reportWorkerConcurrency: int("reportWorkerConcurrency"),
    portalDomain: text("portalDomain"),
    portalCertificateArn: text("portalCertificateArn"),
    loginDomainPrefix: text("loginDomainPrefix"),
  };
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
}

export interface OneStopStackProps extends StackProps {
  readonly config?: Partial<OneStopConfig>;
  /** The built portal (index.html and assets/). Default web/dist, which infra/app.ts builds first. */
  readonly webAssets?: string;
}

/** The whole product in one stack: data, reports bucket, secrets, functions, API, operations. */
export class OneStopStack extends Stack {
  readonly data: Data;
  readonly reportsBucket: ReportsBucket;
  readonly secrets: Secrets;
  readonly intake: Intake;
  readonly dvcqg: DvcqgIntake;
  readonly meta: Meta;
  readonly links: Links;
  readonly editions: Editions;
  readonly reports: Reports;
  readonly api: Api;
  readonly operations: Operations;
  readonly portal: Portal;
  readonly people: People;
  readonly identity: Identity;
  /** Cognito's origins the portal's page fetches from (its CSP's `connect-src`). */
  readonly identityOrigins: readonly string[];

  constructor(scope: Construct, id: string, props: OneStopStackProps = {}) {
    super(scope, id, props);
    const config: OneStopConfig = { ...DEFAULT_CONFIG, ...configFromContext(this), ...props.config };
    const defaults: FunctionDefaults = {
      serviceName: "onestop",
      logLevel: config.logLevel,
      metricsNamespace: "OneStopReports",
      logRetention: RetentionDays.THREE_MONTHS,
    };

    this.data = new Data(this, "Data");
    const reportsPrefix = `${REPORTS_PREFIX}/`;
    const issuedObjectLock = this.node.tryGetContext("onestop:issuedObjectLock");
    this.reportsBucket = new ReportsBucket(this, "ReportsBucket", {
      supersededPrefix: reportsPrefix,
      temporaryPrefix: PREVIEWS_PREFIX,
      objectLock: issuedObjectLock === true || issuedObjectLock === "true",
    });
    this.secrets = new Secrets(this, "Secrets");
    const { table } = this.data;
    const { bucket } = this.reportsBucket;

    this.intake = new Intake(this, "Intake", {
      defaults,
      table,
      sourcesSecret: this.secrets.sources,
      ...(config.intakeReservedConcurrency > 0 && { reservedConcurrency: config.intakeReservedConcurrency }),
    });
    this.dvcqg = new DvcqgIntake(this, "Dvcqg", {
      defaults,
      table,
      sourcesSecret: this.secrets.sources,
      ...(config.intakeReservedConcurrency > 0 && {
        reservedConcurrency: Math.max(1, Math.floor(config.intakeReservedConcurrency / 2)),
      }),
    });
    this.meta = new Meta(this, "Meta", { defaults, table, bucket });

    this.links = new Links(this, "Links", { defaults, table, bucket, reportsPrefix });
    this.reports = new Reports(this, "Reports", {
      defaults,
      table,
      bucket,
      reportsPrefix,
      workerConcurrency: config.reportWorkerConcurrency,
    });
    this.people = new People(this, "People", { defaults, table });
    this.editions = new Editions(this, "Editions", {
      defaults,
      table,
      bucket,
      editionsPrefix: EDITIONS_PREFIX,
      ...(this.reportsBucket.objectLock ? { issuedRetentionDays: ISSUED_RETENTION_DAYS } : {}),
    });
    const functions = {
      intake: this.intake.handler.function,
      editions: this.editions.handler.function,
      meta: this.meta.handler.function,
      links: this.links.handler.function,
      dvcqg: this.dvcqg.handler.function,
      people: this.people.handler.function,
    } satisfies Record<FunctionName, unknown>;

    this.api = new Api(this, "Api", {
      functions,
      throttle: { rateLimit: 100, burstLimit: 200 },
      routeThrottles: {
        "POST /v1/sources/{sourceId}/events": { rateLimit: 50, burstLimit: 100 },
        "POST /v1/reports": { rateLimit: 5, burstLimit: 10 },
        // Each renders a whole report (issue, preview) or zips a province's (bundle).
        "POST /v1/editions/{unit}/{year}/issue": { rateLimit: 5, burstLimit: 10 },
        "POST /v1/editions/{unit}/{year}/preview": { rateLimit: 5, burstLimit: 10 },
        "GET /v1/editions/bundle": { rateLimit: 2, burstLimit: 5 },
        // Log-ins are rare (a session lasts an hour): a tight limit slows password guessing further.
        "POST /v1/sources/{sourceId}/dvcqg/auth": { rateLimit: 2, burstLimit: 5 },
        "POST /v1/sources/{sourceId}/dvcqg": { rateLimit: 50, burstLimit: 100 },
        // Grants change rarely: a tight limit bounds what a stolen admin token can do per second.
        "PUT /v1/grants/{email}": { rateLimit: 2, burstLimit: 5 },
        "DELETE /v1/grants/{email}": { rateLimit: 2, burstLimit: 5 },
      },
      accessLogRetention: defaults.logRetention,
    });

    // Known before the portal: its page fetches from Cognito (discovery, tokens), so its CSP names
    // both origins; the pool's client, made after the portal, takes the portal's origin.
    const loginDomainPrefix = config.loginDomainPrefix ?? Fn.join("-", ["onestop", Aws.ACCOUNT_ID]);
    this.identityOrigins = [
      `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}`,
      `https://${loginDomainPrefix}.auth.${Aws.REGION}.amazoncognito.com`,
    ];
    this.portal = new Portal(this, "Portal", {
      identityOrigins: this.identityOrigins,
      httpApi: this.api.httpApi,
      webAssets: props.webAssets ?? WEB_DIST,
      serverAccessLogs: this.reportsBucket.accessLogs,
      ...(config.portalDomain && {
        domain: this.portalDomain(config.portalDomain, config.portalCertificateArn),
      }),
    });

    // After the portal: the app client's callback is the portal's origin. The functions depend on
    // the client, the client on the distribution, the distribution on the API (not its routes): no cycle.
    const portalHost = config.portalDomain ?? this.portal.distribution.distributionDomainName;
    const portalOrigin = `https://${portalHost}`;
    const federation = federationFromContext(this);
    this.identity = new Identity(this, "Identity", {
      portalOrigin,
      domainPrefix: loginDomainPrefix,
      ...(federation && { federation }),
    });
    for (const reader of [this.links.handler, this.people.handler, this.editions.handler]) {
      reader.function.addEnvironment("OIDC_ISSUER", this.identity.issuer);
      reader.function.addEnvironment("OIDC_CLIENT_ID", this.identity.client.userPoolClientId);
    }
    // Cognito lists no end_session_endpoint: the portal signs out at the managed login's /logout,
    // back to the portal's home (the client's one logout URL). logout_uri is `${portalOrigin}/`
    // URI-encoded; a host name has nothing to encode, so encoding the scheme and slashes is all.
    this.people.handler.function.addEnvironment(
      "OIDC_LOGOUT_URL",
      Fn.join("", [
        this.identity.domain.baseUrl(),
        "/logout?client_id=",
        this.identity.client.userPoolClientId,
        "&logout_uri=",
        `https%3A%2F%2F${portalHost}%2F`,
      ]),
    );
    // A person's first sign-in binds their grant, whichever route they call first.
    for (const reader of [this.links.handler, this.editions.handler]) {
      reader.allow(BIND_ACTIONS, [table.tableArn], leadingKeys(["G#*"]));
    }

    this.operations = new Operations(this, "Operations", { alarmEmail: config.alarmEmail });
    this.intake.handler.watchedBy(this.operations);
    this.dvcqg.handler.watchedBy(this.operations);
    this.operations.watchFunction("Meta", this.meta.handler.function);
    this.operations.watchFunction("Links", this.links.handler.function);
    this.operations.watchFunction("People", this.people.handler.function);
    this.operations.watchFunction("Editions", this.editions.handler.function);
    this.operations.watchFunction("ReportDispatcher", this.reports.dispatcher.function);
    this.operations.watchFunction("ReportWorker", this.reports.worker.function);
    this.operations.watchDeadLetterQueue("ReportJobsDeadLetters", this.reports.jobsDeadLetters);
    this.operations.watchDeadLetterQueue("ScheduleDeadLetters", this.reports.scheduleDeadLetters);
    this.operations.watchApi(this.api.stage);

    new CfnOutput(this, "ApiUrl", { value: this.api.stage.url, description: "Base URL of the HTTP API" });
    new CfnOutput(this, "PortalUrl", {
      value: `https://${this.portal.distribution.distributionDomainName}/`,
      description: "The officials' portal (and the API under /v1/ on the same origin)",
    });
    new CfnOutput(this, "TableName", { value: table.tableName, description: "The DynamoDB table" });
    new CfnOutput(this, "ReportsBucketName", { value: bucket.bucketName, description: "The reports bucket" });
    new CfnOutput(this, "SourcesSecretArn", {
      value: this.secrets.sources.secretArn,
      description: "The webhook sources (JSON array) read by the intake",
    });
    new CfnOutput(this, "UserPoolId", {
      value: this.identity.userPool.userPoolId,
      description: "People sign in here (docs/people.md); the first admin: npm run people -- grant",
    });
    new CfnOutput(this, "LoginDomain", {
      value: this.identity.domain.baseUrl(),
      description: "The managed login pages",
    });
    new CfnOutput(this, "AlarmTopicArn", {
      value: this.operations.topic.topicArn,
      description: "Every alarm notifies this topic",
    });
  }

  private portalDomain(name: string, certificateArn: string | undefined) {
    if (!certificateArn)
      throw new Error("onestop:portalDomain needs onestop:portalCertificateArn (ACM, us-east-1)");
    return {
      names: [name],
      certificate: Certificate.fromCertificateArn(this, "PortalCertificate", certificateArn),
    };
  }
}
