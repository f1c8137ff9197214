import { randomUUID } from "node:crypto";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../../shared/adapters/aws-clients";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { DynamoEditionStore } from "../../shared/adapters/dynamo/edition-store";
import { authenticatorFromEnv } from "../../shared/adapters/people-from-env";
import { S3EditionFileStore } from "../../shared/adapters/s3/edition-files";
import {
  ContractError,
  errorResponse,
  headerValue,
  jsonResponse,
  rawBody,
  rawBodyByteLength,
} from "../../shared/api/http";
import type { PeriodSpec } from "../../shared/domain/calendar";
import { MAX_BODY_BYTES } from "../../shared/domain/events";
import { type EditionRecord, editionPutSchema } from "../../shared/editions/edition";
import { editionView, issueEdition, previewEdition } from "../../shared/editions/issue";
import { exportProvinceEditions, provinceBundle, provinceEditions } from "../../shared/editions/province";
import {
  editionPathSchema,
  editionQuerySchema,
  etagOf,
  parseQuery,
  parseWith,
  periodOf,
  provinceEditionsQuerySchema,
  revisionOfIfMatch,
} from "../../shared/editions/request";
import {
  correctEdition,
  createEdition,
  type EditionDeps,
  type EditionTarget,
  editionTarget,
  listRevisions,
  readEdition,
  readRevision,
  saveEdition,
  type WriteContext,
} from "../../shared/editions/service";
import { type Authenticator, type Caller, type Role, roleIncludes, roleOf } from "../../shared/people/caller";
import { mayReadCommune, mayReadProvince } from "../../shared/reports/access";
import { ReportPeriodError } from "../../shared/reports/build-model";
import { httpHandler, logger, requiredEnv } from "../runtime";

export interface EditionsHandlerDeps {
  editions: EditionDeps;
  authenticator: Authenticator;
  logger: Logger;
  now?: () => Date;
}

const NO_STORE = { "cache-control": "no-store" };
const CHALLENGE = { "www-authenticate": 'Bearer realm="reports"' };

type Result = APIGatewayProxyStructuredResultV2;

/** Who may call each route: viewers read, editors write drafts, issuers issue (docs/editions.md#routes). */
const NEEDS: Record<string, Role> = {
  "POST /v1/editions/{unit}/{year}": "editor",
  "GET /v1/editions/{unit}/{year}": "viewer",
  "PUT /v1/editions/{unit}/{year}": "editor",
  "GET /v1/editions/{unit}/{year}/revisions": "viewer",
  "GET /v1/editions/{unit}/{year}/revisions/{revision}": "viewer",
  "POST /v1/editions/{unit}/{year}/preview": "editor",
  "POST /v1/editions/{unit}/{year}/issue": "issuer",
  "POST /v1/editions/{unit}/{year}/correction": "editor",
  "GET /v1/editions": "viewer",
  "GET /v1/editions/bundle": "viewer",
};

/**
 * The editions routes (docs/editions.md). Order of checks, alike for all: the bearer token (401,
 * 403 from the authenticator), the input (400), the unit (404), the caller's scope and role (403),
 * the preconditions (428), then the work, whose refusals (404, 409, 412, 400 incomplete, 413) are
 * thrown by the use cases as ContractErrors and answered by the error boundary. Logs carry the
 * person's `sub`, never a name.
 */
export function createEditionsHandler(deps: EditionsHandlerDeps) {
  const clock = deps.now ?? (() => new Date());
  return async (event: APIGatewayProxyEventV2): Promise<Result> => {
    const now = clock();
    const routeKey = event.routeKey;
    const needs = NEEDS[routeKey];
    if (!needs) return errorResponse(404, "not_found", `no route ${routeKey}`);

    const auth = await deps.authenticator.authenticate(headerValue(event.headers, "authorization"), now);
    if (!auth.ok)
      return errorResponse(auth.status, auth.code, auth.message, {}, auth.status === 401 ? CHALLENGE : {});
    const { caller } = auth;
    if (caller.kind === "person") deps.logger.appendKeys({ sub: caller.person.subject });
    const editionDeps: EditionDeps = { ...deps.editions, now: () => now };

    if (routeKey === "GET /v1/editions" || routeKey === "GET /v1/editions/bundle") {
      const query = parseQuery(provinceEditionsQuerySchema, event.queryStringParameters);
      if (!query.ok) return errorResponse(400, "invalid_body", query.message, { path: query.path });
      const period = periodOf(query.value.year, query.value);
      if (!period.ok) return errorResponse(400, "invalid_body", period.message, { path: period.path });
      const target = resolve(query.value.provinceCode, period.value, now);
      if (!target.ok) return target.answer;
      if (!mayReadProvince(caller.scope, query.value.provinceCode)) {
        return errorResponse(
          403,
          "forbidden",
          `province ${query.value.provinceCode} is outside the caller's scope`,
        );
      }
      if (routeKey === "GET /v1/editions/bundle") {
        return jsonResponse(
          200,
          await provinceBundle(editionDeps, query.value.provinceCode, period.value),
          NO_STORE,
        );
      }
      if (query.value.format === "xlsx") {
        return jsonResponse(
          200,
          await exportProvinceEditions(editionDeps, query.value.provinceCode, period.value),
          NO_STORE,
        );
      }
      return jsonResponse(
        200,
        await provinceEditions(editionDeps, query.value.provinceCode, period.value),
        NO_STORE,
      );
    }

    const path = parseWith(editionPathSchema, event.pathParameters ?? {});
    if (!path.ok) return errorResponse(400, "invalid_body", path.message, { path: path.path });
    const query = parseQuery(editionQuerySchema, event.queryStringParameters);
    if (!query.ok) return errorResponse(400, "invalid_body", query.message, { path: query.path });
    const period = periodOf(path.value.year, query.value);
    if (!period.ok) return errorResponse(400, "invalid_body", period.message, { path: period.path });
    const resolved = resolve(path.value.unit, period.value, now);
    if (!resolved.ok) return resolved.answer;
    const target = resolved.target;
    const refusal = authorize(caller, target, needs);
    if (refusal) return refusal;
    deps.logger.appendKeys({ unit: target.unit.code, period: period.value });
    const context: WriteContext | undefined =
      caller.kind === "person"
        ? {
            actor: { issuer: caller.person.issuer, subject: caller.person.subject, name: caller.person.name },
            requestId: event.requestContext?.requestId ?? randomUUID(),
          }
        : undefined;
    const view = async (record: EditionRecord, status = 200) =>
      jsonResponse(status, await editionView(editionDeps, target, record), {
        ...NO_STORE,
        etag: etagOf(record.revision),
      });

    // A 412's `current` is the edition as GET answers it (the contract's shape), not the stored record.
    const conflictAsViewed = async (write: Promise<EditionRecord>): Promise<EditionRecord> => {
      try {
        return await write;
      } catch (error) {
        if (!(error instanceof ContractError && error.code === "edition_conflict" && error.extra.current)) {
          throw error;
        }
        const current = await editionView(editionDeps, target, error.extra.current as EditionRecord);
        throw new ContractError(error.statusCode, error.code, error.message, { current });
      }
    };

    switch (routeKey) {
      case "GET /v1/editions/{unit}/{year}":
        return view(await readEdition(editionDeps, target, query.value.edition));
      case "GET /v1/editions/{unit}/{year}/revisions":
        return jsonResponse(200, await listRevisions(editionDeps, target, query.value.edition), NO_STORE);
      case "GET /v1/editions/{unit}/{year}/revisions/{revision}":
        if (path.value.revision === undefined)
          return errorResponse(400, "invalid_body", "revision: a whole number");
        return jsonResponse(
          200,
          await readRevision(editionDeps, target, path.value.revision, query.value.edition),
          NO_STORE,
        );
      case "POST /v1/editions/{unit}/{year}":
        return view(await createEdition(editionDeps, target, context!), 201);
      case "POST /v1/editions/{unit}/{year}/correction":
        return view(await correctEdition(editionDeps, target, context!), 201);
      case "POST /v1/editions/{unit}/{year}/preview":
        return jsonResponse(200, await previewEdition(editionDeps, target), NO_STORE);
      case "PUT /v1/editions/{unit}/{year}": {
        const expected = ifMatch(event);
        if (typeof expected !== "number") return expected;
        const body = jsonBody(event);
        if (!body.ok) return body.answer;
        const put = parseWith(editionPutSchema, body.value);
        if (!put.ok) return errorResponse(400, "invalid_body", put.message, { path: put.path });
        return view(await conflictAsViewed(saveEdition(editionDeps, target, put.value, expected, context!)));
      }
      case "POST /v1/editions/{unit}/{year}/issue": {
        const expected = ifMatch(event);
        if (typeof expected !== "number") return expected;
        return view(await conflictAsViewed(issueEdition(editionDeps, target, expected, context!)));
      }
    }
    return errorResponse(404, "not_found", `no route ${routeKey}`);
  };
}

function resolve(
  code: string,
  period: PeriodSpec,
  now: Date,
): { ok: true; target: EditionTarget } | { ok: false; answer: Result } {
  try {
    const target = editionTarget(code, period, now);
    if (target) return { ok: true, target };
    return {
      ok: false,
      answer: errorResponse(404, "unit_not_found", `no unit ${code} in the unit registry for ${period.year}`),
    };
  } catch (error) {
    if (error instanceof ReportPeriodError)
      return { ok: false, answer: errorResponse(400, "invalid_body", error.message) };
    throw error;
  }
}

/** The unit within the caller's scope, and a role that includes what the route needs; reader tokens only read. */
function authorize(caller: Caller, target: EditionTarget, needs: Role): Result | undefined {
  const { unit } = target;
  const inScope =
    unit.kind === "commune"
      ? mayReadCommune(caller.scope, unit.code, unit.provinceCode)
      : mayReadProvince(caller.scope, unit.code);
  if (!inScope) return errorResponse(403, "forbidden", `unit ${unit.code} is outside the caller's scope`);
  if (needs !== "viewer" && caller.kind !== "person") {
    return errorResponse(403, "forbidden", "an access code only reads: sign in to write or issue");
  }
  if (!roleIncludes(roleOf(caller), needs)) {
    return errorResponse(403, "forbidden", `this needs the ${needs} role`);
  }
  return undefined;
}

function ifMatch(event: APIGatewayProxyEventV2): number | Result {
  const header = headerValue(event.headers, "if-match");
  if (header === undefined) {
    return errorResponse(
      428,
      "precondition_required",
      'send If-Match: "<revision>" (the ETag of the edition you changed)',
    );
  }
  const revision = revisionOfIfMatch(header);
  if (revision === undefined) {
    return errorResponse(400, "invalid_body", 'If-Match must be an ETag of this API: "<revision>"', {
      path: "If-Match",
    });
  }
  return revision;
}

function jsonBody(
  event: APIGatewayProxyEventV2,
): { ok: true; value: unknown } | { ok: false; answer: Result } {
  if (rawBodyByteLength(event) > MAX_BODY_BYTES) {
    return { ok: false, answer: errorResponse(413, "payload_too_large", "the body is over 1 MiB") };
  }
  try {
    return { ok: true, value: JSON.parse(rawBody(event)) };
  } catch {
    return { ok: false, answer: errorResponse(400, "invalid_body", "the body is not valid JSON") };
  }
}

/** The deps of the Lambda and of the local stack, from the environment. */
export function editionsDepsFromEnv(
  dynamo = dynamoClientFromEnv(),
  tableName = requiredEnv("TABLE_NAME"),
): EditionDeps {
  return {
    editions: new DynamoEditionStore(dynamo, tableName),
    files: new S3EditionFileStore(
      s3ClientFromEnv(),
      requiredEnv("BUCKET_NAME"),
      process.env.ISSUED_RETENTION_DAYS ? Number(process.env.ISSUED_RETENTION_DAYS) : undefined,
    ),
    aggregates: new DynamoAggregateReader(dynamo, tableName),
  };
}

/** Built on the first request of a container (functions/runtime.ts). */
export const handler = httpHandler(() => {
  const dynamo = dynamoClientFromEnv();
  const tableName = requiredEnv("TABLE_NAME");
  return createEditionsHandler({
    editions: editionsDepsFromEnv(dynamo, tableName),
    authenticator: authenticatorFromEnv(dynamo, tableName),
    logger,
  });
});
