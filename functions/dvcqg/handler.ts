import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { dynamoClientFromEnv } from "../../shared/adapters/aws-clients";
import { DynamoDossierReader } from "../../shared/adapters/dynamo/dossier-reader";
import { DynamoSessionStore } from "../../shared/adapters/dynamo/dvcqg-sessions";
import { defaultRetryPolicy } from "../../shared/adapters/dynamo/retry";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { writeStatsObserver } from "../../shared/adapters/dynamo/write-stats";
import type { ErrorAnswer } from "../../shared/api/errors";
import { headerValue, jsonResponse, rawBody, rawBodyByteLength } from "../../shared/api/http";
import { MAX_BODY_BYTES } from "../../shared/domain/events";
import type { DossierState } from "../../shared/domain/subject-state";
import { DVCQG_ERROR, type DvcqgErrorCode } from "../../shared/dvcqg/answers";
import {
  loginSchema,
  lookupSchema,
  MAX_PROGRESS_ENTRIES_PER_REQUEST,
  MAX_SNAPSHOTS_PER_REQUEST,
  progressBatchSchema,
  snapshotBatchSchema,
  syncEnvelopeSchema,
} from "../../shared/dvcqg/payload";
import { hashSession, logIn, type SessionStore } from "../../shared/dvcqg/sessions";
import {
  type DvcqgSource,
  lookupRow,
  syncProgress,
  syncSnapshots,
  syncStatusCode,
} from "../../shared/dvcqg/sync";
import type { SubjectStore, UnitLookup } from "../../shared/intake/ports";
import { loadSources, type SourceDirectory } from "../../shared/intake/sources";
import { communeExists, provinceOf } from "../../shared/units/registry";
import { httpHandler, logger, metrics, requiredEnv } from "../runtime";

export interface DvcqgHandlerDeps {
  metrics?: Metrics;
  store: SubjectStore;
  sessions: SessionStore;
  dossiers: { dossierState(sourceId: string, dossierCode: string): Promise<DossierState | undefined> };
  sources: SourceDirectory;
  units: UnitLookup;
  logger: Logger;
  now?: () => number;
}

/** Every answer in the portal's shape: `error_code`, `message`, and an HTTP status that says the same. */
function answer(
  statusCode: number,
  code: DvcqgErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return jsonResponse(statusCode, { error_code: DVCQG_ERROR[code], message, ...extra }, headers);
}

function parseJson(
  event: APIGatewayProxyEventV2,
): { ok: true; json: unknown } | { ok: false; result: APIGatewayProxyStructuredResultV2 } {
  if (rawBodyByteLength(event) > MAX_BODY_BYTES) {
    return {
      ok: false,
      result: answer(413, "bad_request", `the body is over ${MAX_BODY_BYTES} bytes; nothing applied`),
    };
  }
  const contentType = headerValue(event.headers, "content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    return { ok: false, result: answer(400, "bad_request", "Content-Type must be application/json") };
  }
  try {
    return { ok: true, json: JSON.parse(rawBody(event)) };
  } catch {
    return { ok: false, result: answer(400, "bad_request", "the body is not valid JSON; nothing applied") };
  }
}

const firstIssue = (error: { issues: { message: string; path: PropertyKey[] }[] }) => {
  const issue = error.issues[0];
  return issue ? `${issue.path.map(String).join(".") || "body"}: ${issue.message}` : "invalid body";
};

/**
 * `POST /v1/sources/{sourceId}/dvcqg/auth` and `POST /v1/sources/{sourceId}/dvcqg` (docs/dvcqg.md). The order of checks is the order of trust: which source, how much, is it JSON, whose
 * session, which service, then each item on its own. Bodies are never logged: they hold personal data.
 */
export function createDvcqgHandler(deps: DvcqgHandlerDeps) {
  const { logger } = deps;
  const now = deps.now ?? Date.now;

  const login = async (
    source: Awaited<ReturnType<SourceDirectory["get"]>>,
    event: APIGatewayProxyEventV2,
  ) => {
    const body = parseJson(event);
    if (!body.ok) return body.result;
    const credentials = loginSchema.safeParse(body.json);
    if (!credentials.success)
      return answer(
        400,
        "bad_request",
        `expected {"username", "password"}: ${firstIssue(credentials.error)}`,
      );
    if (!source) return answer(401, "unauthorized", "wrong username or password");
    const outcome = await logIn(
      deps.sessions,
      source,
      credentials.data.username,
      credentials.data.password,
      now(),
    );
    deps.metrics?.addMetric(`Login_${outcome.kind}`, MetricUnit.Count, 1);
    if (outcome.kind === "locked") {
      logger.warn("log-in refused: locked out after repeated failures");
      return answer(
        429,
        "locked",
        `too many failed log-ins for this source; retry in ${outcome.retryAfterSeconds} s`,
        {},
        {
          "retry-after": String(outcome.retryAfterSeconds),
        },
      );
    }
    if (outcome.kind === "refused") {
      logger.warn("log-in refused: wrong credentials");
      return answer(401, "unauthorized", "wrong username or password");
    }
    return answer(200, "ok", "logged in", { session: outcome.session, expires_in: outcome.expiresIn });
  };

  const sync = async (source: Awaited<ReturnType<SourceDirectory["get"]>>, event: APIGatewayProxyEventV2) => {
    const body = parseJson(event);
    if (!body.ok) return body.result;
    const json = body.json as Record<string, unknown> | null;
    const session =
      json !== null && typeof json === "object" && typeof json.session === "string" ? json.session : "";
    const sessionSource =
      session === "" || session.length > 512
        ? undefined
        : await deps.sessions.sourceOf(hashSession(session), now());
    if (!source?.dvcqg || sessionSource !== source.id) {
      return answer(
        401,
        "unauthorized",
        "missing, unknown or expired session: log in again; nothing applied",
      );
    }
    const dvcqgSource: DvcqgSource = { ...source, dvcqg: source.dvcqg };
    const envelope = syncEnvelopeSchema.safeParse(json);
    if (!envelope.success)
      return answer(400, "bad_request", `${firstIssue(envelope.error)}; nothing applied`);
    const { service, madonvi } = envelope.data;
    logger.appendKeys({ dvcqgService: service });

    if (service === "TraCuuHoSo") {
      const lookup = lookupSchema.safeParse(json);
      if (!lookup.success)
        return answer(400, "bad_request", `TraCuuHoSo needs mahoso: ${firstIssue(lookup.error)}`);
      const code = lookup.data.mahoso;
      const state = await deps.dossiers.dossierState(source.id, code);
      return answer(200, "ok", "ok", { result: lookupRow(code, state) });
    }

    const snapshots = service === "DongBoHoSoMC";
    const batch = (snapshots ? snapshotBatchSchema : progressBatchSchema).safeParse(json);
    if (!batch.success) {
      const max = snapshots ? MAX_SNAPSHOTS_PER_REQUEST : MAX_PROGRESS_ENTRIES_PER_REQUEST;
      return answer(
        400,
        "bad_request",
        `${service} needs data: 1 to ${max} items (${firstIssue(batch.error)}); nothing applied`,
      );
    }
    const syncDeps = { store: deps.store, units: deps.units };
    const results = snapshots
      ? await syncSnapshots(dvcqgSource, madonvi, batch.data.data, syncDeps)
      : await syncProgress(dvcqgSource, madonvi, batch.data.data, syncDeps);
    const counts = { applied: 0, unchanged: 0, rejected: 0 };
    for (const result of results) counts[result.status] += 1;
    logger.info("dvcqg batch synced", { items: results.length, ...counts });
    deps.metrics?.addMetric("DvcqgItemsApplied", MetricUnit.Count, counts.applied);
    deps.metrics?.addMetric("DvcqgItemsUnchanged", MetricUnit.Count, counts.unchanged);
    deps.metrics?.addMetric("DvcqgItemsRejected", MetricUnit.Count, counts.rejected);
    const status = syncStatusCode(results);
    const message =
      status === 200
        ? "ok"
        : status === 207
          ? `${counts.rejected} of ${results.length} items rejected`
          : "every item rejected";
    return answer(status, status === 200 ? "ok" : "rejected_items", message, { results });
  };

  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const sourceId = event.pathParameters?.sourceId ?? "";
    logger.appendKeys({ sourceId });
    deps.metrics?.addMetric("DvcqgRequests", MetricUnit.Count, 1);
    const source = await deps.sources.get(sourceId);
    // A store or SDK failure goes on to the shared error boundary (functions/runtime.ts), which
    // answers 503 with Retry-After; `reshapeForDvcqg` writes it in the portal's form.
    return event.routeKey.endsWith("/auth") ? await login(source, event) : await sync(source, event);
  };
}

/** The error boundary's answers in the portal's shape: `error_code` and `message` beside the
 * request id, status and headers (Retry-After) unchanged. */
export function reshapeForDvcqg({ kind, response }: ErrorAnswer): APIGatewayProxyStructuredResultV2 {
  const body = JSON.parse(String(response.body ?? "{}")) as {
    error?: { code?: string; message?: string; requestId?: string };
  };
  const code: DvcqgErrorCode =
    kind === "dependency"
      ? "unavailable"
      : kind === "internal"
        ? "internal"
        : response.statusCode === 401
          ? "unauthorized"
          : "bad_request";
  return answer(
    response.statusCode ?? 500,
    code,
    body.error?.message ?? "error",
    body.error?.requestId ? { requestId: body.error.requestId } : {},
    Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k, String(v)])),
  );
}

/** Built on the first request of a container (functions/runtime.ts); the local stack imports the same module. */
export const handler = httpHandler(
  () => {
    const dynamo = dynamoClientFromEnv();
    const tableName = requiredEnv("TABLE_NAME");
    return createDvcqgHandler({
      store: new DynamoSubjectStore(dynamo, tableName, defaultRetryPolicy, writeStatsObserver),
      sessions: new DynamoSessionStore(dynamo, tableName),
      dossiers: new DynamoDossierReader(dynamo, tableName),
      sources: loadSources(process.env),
      units: { communeExists, provinceOf },
      logger,
      metrics,
    });
  },
  { metrics, reshape: reshapeForDvcqg },
);
