import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Duration, Validations } from "aws-cdk-lib";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { UNITS_DATA_FILE } from "../../shared/units/registry";

/** The repository root: entries, the lock file and the tsconfig are resolved from it. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The Lambda runtime of every function: the Node.js line pinned by package.json (`node@22`). */
export const FUNCTION_RUNTIME = Runtime.NODEJS_22_X;
export const FUNCTION_ARCHITECTURE = Architecture.ARM_64;

/**
 * How every function is bundled, in esbuild's own terms: the CDK construct below passes these to
 * NodejsFunction, and the bundle-size budget test and `npm run bench:cold` (infra/bundle.ts) build
 * with the very same settings, so what they measure is what AWS runs.
 */
export const FUNCTION_BUNDLING = {
  target: "node22",
  format: "esm",
  // ESM first, and a `require` for the CommonJS dependencies (exceljs) that call it at run time.
  mainFields: ["module", "main"],
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  minify: true,
  keepNames: true,
  sourcemap: true,
  sourcesContent: false,
  charset: "utf8",
  // Bundle the AWS SDK too: the versions in package-lock.json are the ones tested, not the
  // runtime's built-in copy.
  external: [] as string[],
  /**
   * Data files the code reads at run time instead of importing (a large JSON imported into a bundle
   * is an object literal parsed at every cold start), copied next to `index.mjs` of a bundle that
   * names `to`: `from` is relative to the project root, `to` to the bundle's folder.
   */
  files: [{ from: path.posix.join("shared/units", UNITS_DATA_FILE), to: UNITS_DATA_FILE }],
  /**
   * Modules a bundle imports on first use from a file of its own next to `index.mjs`, so that a cold
   * start does not parse them: `specifier` is the import (package.json "imports", the source in
   * development), `entry` what is bundled into `out`. Built by infra/bundle-build.ts for a bundle
   * that imports it, with a package.json mapping the specifier to the file.
   */
  chunks: [{ specifier: "#renderers", entry: "shared/reports/render/renderers.ts", out: "renderers.mjs" }],
} as const;

/** Settings every function shares (Powertools, logs). */
export interface FunctionDefaults {
  /** POWERTOOLS_SERVICE_NAME: the product, the same in every function (the logger adds the function name). */
  readonly serviceName: string;
  /** POWERTOOLS_LOG_LEVEL. */
  readonly logLevel: string;
  /** POWERTOOLS_METRICS_NAMESPACE. */
  readonly metricsNamespace: string;
  readonly logRetention: RetentionDays;
}

export interface AppFunctionProps {
  readonly defaults: FunctionDefaults;
  /** The entry from the project root, e.g. `functions/intake/handler.ts` (exports `handler`). */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment?: Record<string, string>;
  /** Reserved concurrency: caps how many copies run at once (and so the pressure on DynamoDB). */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * One Lambda function of functions/, built the same way for all: Node.js 22 on arm64, bundled by
 * the project's own esbuild (no Docker) into a minified ES module with a source map, X-Ray tracing
 * active (written to by the Powertools tracer of shared/adapters/tracer.ts, docs/reliability.md), its own log group with a retention, and its own role that starts empty: each construct
 * adds exactly the statements its handler needs with `allow`.
 */
export class AppFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  /** The entry from the project root (what the bundle-size budget test builds). */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { defaults } = props;
    this.entry = props.entry;

    this.logGroup = new LogGroup(this, "Logs", { retention: defaults.logRetention });
    this.role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `${props.description}: execution role`,
    });
    // What AWSLambdaBasicExecutionRole grants, scoped to this function's own log group.
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, "Function", {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: "handler",
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, "package-lock.json"),
      runtime: FUNCTION_RUNTIME,
      architecture: FUNCTION_ARCHITECTURE,
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        NODE_OPTIONS: "--enable-source-maps",
        POWERTOOLS_SERVICE_NAME: defaults.serviceName,
        POWERTOOLS_LOG_LEVEL: defaults.logLevel,
        POWERTOOLS_METRICS_NAMESPACE: defaults.metricsNamespace,
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        tsconfig: path.join(PROJECT_ROOT, "tsconfig.json"),
        target: FUNCTION_BUNDLING.target,
        format: OutputFormat.ESM,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        banner: FUNCTION_BUNDLING.banner,
        minify: FUNCTION_BUNDLING.minify,
        keepNames: FUNCTION_BUNDLING.keepNames,
        sourceMap: FUNCTION_BUNDLING.sourcemap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: FUNCTION_BUNDLING.sourcesContent,
        // Given as an argument: this CDK version accepts `charset` but never passes it to esbuild,
        // whose default escapes every non-ASCII character (≈ 10–70 KB more per bundle).
        esbuildArgs: { "--charset": FUNCTION_BUNDLING.charset },
        // esbuild's warnings and errors, not its size summary.
        logLevel: LogLevel.WARNING,
        externalModules: [...FUNCTION_BUNDLING.external, ...FUNCTION_BUNDLING.chunks.map((c) => c.specifier)],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // The data files and chunks the bundle uses, built with these same settings.
          afterBundling: (inputDir, outputDir) => [
            `"${path.join(inputDir, "node_modules/.bin/tsx")}" "${path.join(inputDir, "infra/bundle-build.ts")}" "${outputDir}"`,
          ],
        },
      },
    });

    Validations.of(this.function).acknowledge({
      id: "AwsSolutions-L1",
      reason:
        "Node.js 22 is the line the project pins (engines, the node@22 dev dependency) and tests on; moving to a newer runtime is a deliberate upgrade, not a deploy-time default.",
    });
    Validations.of(this.role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "X-Ray tracing (Tracing.ACTIVE): xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so their resource is `*`.",
    });
  }

  /** Adds one statement to the function's role. */
  allow(
    actions: readonly string[],
    resources: string[],
    conditions?: Record<string, Record<string, unknown>>,
  ): void {
    this.role.addToPolicy(
      new PolicyStatement({ actions: [...actions], resources, ...(conditions && { conditions }) }),
    );
  }
}
