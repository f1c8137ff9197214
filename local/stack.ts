/**
 * The whole local stack in-process: DynamoDB Local + s3rver, the table and bucket, and the HTTP
 * API serving the real handlers of functions/. `npm start` (local/start.ts) is a thin shell around
 * `startLocalStack`; tests and benchmarks call it directly with `port: 0`.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../shared/adapters/aws-clients";
import { seedDemoReaderToken } from "../shared/adapters/dynamo/token-store";
import { securityHeaders } from "../shared/api/portal-headers";
import { type FunctionName, routes } from "../shared/api/routes";
import { seedDemoGrants } from "./demo-people";
import { type LocalHandler, startLocalApi } from "./http-server";
import { type LocalOidc, type LocalOidcOptions, startLocalOidc } from "./oidc-provider";
import { ensureBucket, ensureTable } from "./provision";
import { startServices } from "./services";
import { serveStaticFiles } from "./static-files";
import { WEB_DIST } from "./web-build";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, ".local", "data");
export const DEFAULT_TABLE_NAME = "onestop-local";
export const DEFAULT_BUCKET_NAME = "onestop-reports-local";
export const DEFAULT_REGION = "ap-southeast-1";
/** `npm start` writes the running stack's endpoints, table and bucket (LocalStackEnv) to this file of
 * the data folder: commands that act on the data directly (the demo's report edition) read it. */
export const STACK_FILE = "stack.json";

export interface LocalStackOptions {
  /** HTTP port; 0 picks a free one. Default 3000. */
  port?: number;
  host?: string;
  /** Where DynamoDB (`dynamodb/`) and the objects (`s3/`) persist. Absent: a temporary folder,
   * removed by `stop()`. */
  dataDir?: string;
  /** Wipe `dataDir` first, so the stack starts empty. */
  fresh?: boolean;
  tableName?: string;
  bucketName?: string;
  region?: string;
  /** Handlers to serve instead of importing functions/{fn}/handler.ts (tests). */
  handlers?: Partial<Record<FunctionName, LocalHandler>>;
  /** Without `handlers`: import only these functions' handlers (routes of the others answer 500).
   * Default: every function named in shared/api/routes.ts. */
  functions?: readonly FunctionName[];
  /** Set DYNAMODB_ENDPOINT, S3_ENDPOINT, TABLE_NAME, BUCKET_NAME, AWS_REGION in process.env (the
   * handlers read them) and restore the previous values on stop. Default true. */
  setProcessEnv?: boolean;
  dynamoPort?: number;
  s3Port?: number;
  /** Use a DynamoDB Local and an S3 server that run elsewhere (another process) instead of starting
   * them: `stop()` then leaves them running, and `dataDir` holds nothing. The crash test uses it to
   * SIGKILL the API process while the database survives. */
  services?: { dynamoEndpoint: string; s3Endpoint: string };
  /** The integration timeout (default API Gateway's 30 s). Tests that load the machine with
   * thousands of requests raise it: they test answers, not speed. */
  timeoutMs?: number;
  log?: (line: string) => void;
  /** The portal's built files served at `/`, as CloudFront serves them; false: none. Default web/dist
   * (answers 404 until it is built: `npm start` builds it first). */
  webRoot?: string | false;
  /** The development OpenID provider (local/oidc-provider.ts): its port (0, the default, picks a
   * free one) and accounts (default the demo people); false: none, and no OIDC_* variables. */
  oidc?: false | Pick<LocalOidcOptions, "port" | "accounts">;
}

export interface LocalStackEnv {
  DYNAMODB_ENDPOINT: string;
  S3_ENDPOINT: string;
  TABLE_NAME: string;
  BUCKET_NAME: string;
  AWS_REGION: string;
  /** Lets the handlers fall back to the contract's development source and reader token
   * (docs/api.md#local-defaults). */
  LOCAL_DEFAULTS: "1";
  /** CloudWatch metrics (EMF lines on stdout) mean nothing locally. */
  POWERTOOLS_METRICS_DISABLED: "true";
  /** No X-Ray daemon locally: the tracer is a no-op (it also switches itself off outside Lambda). */
  POWERTOOLS_TRACE_ENABLED: "false";
  /** The development OpenID provider (docs/people.md#configuration), absent with `oidc: false`. */
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  OIDC_AUDIENCE?: string;
  OIDC_SCOPE?: string;
}

export interface LocalStack {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:3000`. */
  url: string;
  env: LocalStackEnv;
  dataDir: string;
  /** The development OpenID provider, unless started with `oidc: false`. */
  oidc?: LocalOidc;
  /** Closes the HTTP server, then stops DynamoDB Local and s3rver; all ports are closed when it
   * resolves. Idempotent. */
  stop(): Promise<void>;
}

/** Refuses to wipe a folder whose loss would hurt: the root, the home folder, the project. */
function assertSafeToWipe(dir: string): void {
  const resolved = path.resolve(dir);
  const forbidden = [path.parse(resolved).root, os.homedir(), PROJECT_ROOT, process.cwd()].map((p) =>
    path.resolve(p),
  );
  const toProject = path.relative(resolved, PROJECT_ROOT);
  const isAncestorOfProject = !toProject.startsWith("..") && !path.isAbsolute(toProject);
  if (forbidden.includes(resolved) || isAncestorOfProject) {
    throw new Error(`Refusing to wipe ${resolved}: choose a dedicated DATA_DIR for the local data.`);
  }
}

export async function wipeDataDir(dir: string): Promise<void> {
  assertSafeToWipe(dir);
  await rm(dir, { recursive: true, force: true });
}

/** Imports functions/{fn}/handler.ts for every function named in the routes. Call it only once
 * process.env is set: handlers may read it when their module loads. */
export async function loadHandlers(
  functions: readonly FunctionName[] = routes.map((r) => r.fn),
): Promise<Partial<Record<FunctionName, LocalHandler>>> {
  const handlers: Partial<Record<FunctionName, LocalHandler>> = {};
  for (const fn of new Set(functions)) {
    const file = path.join(PROJECT_ROOT, "functions", fn, "handler.ts");
    if (!existsSync(file)) {
      throw new Error(
        `functions/${fn}/handler.ts does not exist, but shared/api/routes.ts routes to "${fn}".`,
      );
    }
    let mod: { handler?: unknown };
    try {
      mod = (await import(new URL(`../functions/${fn}/handler.ts`, import.meta.url).href)) as {
        handler?: unknown;
      };
    } catch (error) {
      throw new Error(`Cannot load functions/${fn}/handler.ts: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (typeof mod.handler !== "function") {
      throw new Error(`functions/${fn}/handler.ts must export a function named handler.`);
    }
    handlers[fn] = mod.handler as LocalHandler;
  }
  return handlers;
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => undefined);
  const temporary = opts.dataDir === undefined;
  const dataDir = path.resolve(opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "onestop-local-"))));
  if (opts.fresh && !temporary) {
    await wipeDataDir(dataDir);
    log(`wiped ${dataDir}`);
  }
  await mkdir(dataDir, { recursive: true });

  const services = opts.services
    ? { ...opts.services, stop: async () => undefined }
    : await startServices({
        dataDir,
        dynamoPort: opts.dynamoPort,
        s3Port: opts.s3Port,
        log,
      });
  const env: LocalStackEnv = {
    DYNAMODB_ENDPOINT: services.dynamoEndpoint,
    S3_ENDPOINT: services.s3Endpoint,
    TABLE_NAME: opts.tableName ?? DEFAULT_TABLE_NAME,
    BUCKET_NAME: opts.bucketName ?? DEFAULT_BUCKET_NAME,
    AWS_REGION: opts.region ?? process.env.AWS_REGION ?? DEFAULT_REGION,
    LOCAL_DEFAULTS: "1",
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_TRACE_ENABLED: "false",
  };
  const previousEnv: Partial<Record<keyof LocalStackEnv, string | undefined>> = {};
  const setEnv = opts.setProcessEnv ?? true;
  const exportEnv = (entries: Partial<LocalStackEnv>) => {
    Object.assign(env, entries);
    if (!setEnv) return;
    for (const [key, value] of Object.entries(entries) as [keyof LocalStackEnv, string][]) {
      previousEnv[key] = process.env[key];
      process.env[key] = value;
    }
  };
  exportEnv({ ...env });
  const restoreEnv = () => {
    if (!setEnv) return;
    for (const [key, value] of Object.entries(previousEnv) as [keyof LocalStackEnv, string | undefined][]) {
      if (process.env[key] !== env[key]) continue; // changed by someone else since: leave it
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };

  let api: Awaited<ReturnType<typeof startLocalApi>> | undefined;
  let oidc: LocalOidc | undefined;
  try {
    const dynamo = dynamoClientFromEnv({ ...env });
    const s3 = s3ClientFromEnv({ ...env });
    try {
      const table = await ensureTable(dynamo, env.TABLE_NAME);
      const bucket = await ensureBucket(s3, env.BUCKET_NAME);
      // docs/api.md#local-defaults: the development reader token, allowed for every unit (stored hashed, idempotent).
      await seedDemoReaderToken(dynamo, env.TABLE_NAME);
      // docs/people.md#demo-people: their grants, bound at each one's first sign-in.
      if (opts.oidc !== false) await seedDemoGrants(dynamo, env.TABLE_NAME);
      log(
        `table ${env.TABLE_NAME} ${table.created ? "created" : "found"}, ` +
          `bucket ${env.BUCKET_NAME} ${bucket.created ? "created" : "found"}`,
      );
    } finally {
      dynamo.destroy();
      s3.destroy();
    }
    const handlers = opts.handlers ?? (await loadHandlers(opts.functions));
    // The server reads this object on every answer: the provider's origin joins its CSP once known.
    const responseHeaders = securityHeaders();
    const webRoot = opts.webRoot ?? WEB_DIST;
    api = await startLocalApi({
      port: opts.port ?? 3000,
      host: opts.host ?? "127.0.0.1",
      handlers,
      log,
      region: env.AWS_REGION,
      ...(webRoot === false ? {} : { staticFiles: serveStaticFiles(webRoot) }),
      responseHeaders,
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    });
    // After the API: the portal's origin is the provider's redirect URI. The handlers read the
    // OIDC_* variables when they are built, on their first request.
    if (opts.oidc !== false) {
      oidc = await startLocalOidc({ ...opts.oidc, portalOrigins: [api.url], log });
      Object.assign(responseHeaders, securityHeaders([oidc.issuer]));
      exportEnv({
        OIDC_ISSUER: oidc.issuer,
        OIDC_CLIENT_ID: oidc.clientId,
        OIDC_AUDIENCE: oidc.resource,
        OIDC_SCOPE: oidc.scope,
      });
    }
  } catch (error) {
    await api?.close().catch(() => undefined);
    await services.stop().catch(() => undefined);
    restoreEnv();
    if (temporary) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const httpApi = api;
  let stopping: Promise<void> | undefined;
  return {
    url: httpApi.url,
    env,
    dataDir,
    ...(oidc ? { oidc } : {}),
    stop() {
      stopping ??= (async () => {
        try {
          await httpApi.close();
          await oidc?.stop();
        } finally {
          await services.stop();
          restoreEnv();
          if (temporary) await rm(dataDir, { recursive: true, force: true });
        }
      })();
      return stopping;
    },
  };
}

/**
 * SIGINT / SIGTERM → stop the stack (waiting for it if it is still starting) and exit 0; a second
 * signal exits at once with 130 (the services' exit hook still signals the Java process).
 * `getStack` returns the stack or the promise of it, once there is one.
 */
export function stopOnSignals(
  getStack: () => Promise<LocalStack> | LocalStack | undefined,
  log: (line: string) => void = console.log,
): void {
  let signalled = false;
  const onSignal = async (signal: NodeJS.Signals) => {
    if (signalled) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    signalled = true;
    log(`${signal}: stopping the local stack (send it again to force)`);
    try {
      const stack = await Promise.resolve(getStack()).catch(() => undefined);
      await stack?.stop();
      log("stopped");
      process.exit(0);
    } catch (error) {
      log(`error while stopping: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  process.on("SIGINT", (signal) => void onSignal(signal));
  process.on("SIGTERM", (signal) => void onSignal(signal));
}
