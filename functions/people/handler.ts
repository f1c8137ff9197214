import type { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import * as z from "zod";
import { dynamoClientFromEnv } from "../../shared/adapters/aws-clients";
import { DynamoGrantStore, GrantConflictError } from "../../shared/adapters/dynamo/grant-store";
import { type OidcSettings, oidcSettingsFromEnv } from "../../shared/adapters/oidc/access-tokens";
import { authenticatorFromEnv } from "../../shared/adapters/people-from-env";
import { errorResponse, headerValue, jsonResponse, rawBody } from "../../shared/api/http";
import { communeCodeSchema, provinceCodeSchema } from "../../shared/domain/unit-codes";
import { type Authenticator, type Person, roleIncludes } from "../../shared/people/caller";
import {
  auditSeenBy,
  emailSchema,
  grantBodySchema,
  grantsOfUnit,
  isKnownUnit,
  mayAdministerUnit,
  publicGrant,
  unitsSeenBy,
} from "../../shared/people/grants";
import { type GrantRepository, putGrant, revokeGrant } from "../../shared/people/manage-grants";
import { httpHandler, logger, requiredEnv } from "../runtime";

export interface PeopleHandlerDeps {
  authenticator: Authenticator;
  grants: GrantRepository & Pick<DynamoGrantStore, "list" | "auditOf">;
  /** The identity provider the portal signs in with; absent: `GET /v1/auth/config` answers 404. */
  oidc: OidcSettings | undefined;
  logger: Logger;
  now?: () => Date;
}

const NO_STORE = { "cache-control": "no-store" };
const CHALLENGE = { "www-authenticate": 'Bearer realm="reports"' };
/** A write that met a concurrent change is decided again from a fresh read, this many times. */
const WRITE_ATTEMPTS = 3;

const unitQuerySchema = z.object({ unit: z.union([communeCodeSchema, provinceCodeSchema]) });
const auditQuerySchema = unitQuerySchema.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .max(300)
    // `{at}#{requestId}#{action}`: API Gateway's request ids hold `=`, `_` and the like.
    .regex(/^[^#\s]{1,40}#[^#\s]{1,100}#[a-z.]{1,40}$/, "a cursor from a previous answer")
    .optional(),
});

function invalid(error: z.ZodError): APIGatewayProxyStructuredResultV2 {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  return errorResponse(400, "invalid_body", `${path ? `${path}: ` : ""}${issue?.message ?? "invalid"}`, {
    path,
  });
}

const forbidden = (message: string) => errorResponse(403, "forbidden", message);

/**
 * The people routes (docs/people.md, docs/api.md#people): `GET /v1/auth/config` (public: which
 * provider the portal signs in with), `GET /v1/me`, `GET /v1/grants?unit=`, `PUT` and `DELETE
 * /v1/grants/{email}` (admins, within their units) and `GET /v1/audit?unit=` (admins of the unit).
 * Order of checks: the token (401, 403 `no_grant`/`forbidden` for a disabled grant), the role
 * (403), the input (400), the unit against the grant (403), then the work. Logs carry the
 * person's `sub`, never an e-mail or a name.
 */
export function createPeopleHandler(deps: PeopleHandlerDeps) {
  const clock = deps.now ?? (() => new Date());
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const now = clock();
    if (event.routeKey === "GET /v1/auth/config") {
      const { oidc } = deps;
      if (!oidc)
        return errorResponse(404, "not_found", "no identity provider is configured: use an access code");
      return jsonResponse(
        200,
        {
          issuer: oidc.issuer,
          clientId: oidc.clientId,
          scope: oidc.scope,
          ...(oidc.audience ? { resource: oidc.audience } : {}),
          ...(oidc.logoutUrl ? { logoutUrl: oidc.logoutUrl } : {}),
        },
        NO_STORE,
      );
    }

    const auth = await deps.authenticator.authenticate(headerValue(event.headers, "authorization"), now);
    if (!auth.ok)
      return errorResponse(auth.status, auth.code, auth.message, {}, auth.status === 401 ? CHALLENGE : {});
    if (auth.caller.kind !== "person") {
      return forbidden("an access code reads reports only: sign in as yourself");
    }
    const person = auth.caller.person;
    deps.logger.appendKeys({ sub: person.subject, role: person.role });

    switch (event.routeKey) {
      case "GET /v1/me":
        return jsonResponse(200, { name: person.name, role: person.role, units: person.units }, NO_STORE);
      case "GET /v1/grants":
        return listGrants(deps, person, event);
      case "PUT /v1/grants/{email}":
        return writeGrant(deps, person, event, now);
      case "DELETE /v1/grants/{email}":
        return deleteGrant(deps, person, event, now);
      case "GET /v1/audit":
        return readAudit(deps, person, event);
      default:
        return errorResponse(404, "not_found", `no route ${event.routeKey}`);
    }
  };
}

async function listGrants(deps: PeopleHandlerDeps, person: Person, event: APIGatewayProxyEventV2) {
  if (!roleIncludes(person.role, "admin")) return forbidden("only admins list grants");
  const query = unitQuerySchema.safeParse(event.queryStringParameters ?? {});
  if (!query.success) return invalid(query.error);
  const { unit } = query.data;
  if (!mayAdministerUnit(person, unit)) return forbidden(`unit ${unit} is outside your grant`);
  const grants = grantsOfUnit(await deps.grants.list(), unit).sort((a, b) => (a.email < b.email ? -1 : 1));
  const seen = grants.map((grant) => publicGrant({ ...grant, units: unitsSeenBy(person, grant.units) }));
  return jsonResponse(200, { grants: seen }, NO_STORE);
}

function emailOf(event: APIGatewayProxyEventV2) {
  return emailSchema.safeParse(event.pathParameters?.email ?? "");
}

function requestIdOf(event: APIGatewayProxyEventV2): string {
  return event.requestContext?.requestId ?? "unknown";
}

async function retried<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof GrantConflictError) || attempt >= WRITE_ATTEMPTS) throw error;
    }
  }
}

async function writeGrant(deps: PeopleHandlerDeps, person: Person, event: APIGatewayProxyEventV2, now: Date) {
  if (!roleIncludes(person.role, "admin")) return forbidden("only admins grant roles");
  const email = emailOf(event);
  if (!email.success) return invalid(email.error);
  let json: unknown;
  try {
    json = JSON.parse(rawBody(event) || "null");
  } catch {
    return errorResponse(400, "invalid_body", "the body is not valid JSON");
  }
  const body = grantBodySchema.safeParse(json);
  if (!body.success) return invalid(body.error);
  const unknown = body.data.units.filter((unit) => !isKnownUnit(unit));
  if (unknown.length > 0) {
    return errorResponse(400, "invalid_body", `the unit registry has no unit ${unknown.join(", ")}`, {
      path: "units",
    });
  }
  const context = { now, requestId: requestIdOf(event) };
  const outcome = await retried(() =>
    putGrant(deps.grants, { kind: "person", person }, email.data, body.data, context),
  );
  if (!outcome.ok) return forbidden(outcome.message);
  deps.logger.info("grant written", {
    role: outcome.grant.role,
    units: outcome.grant.units,
    created: outcome.created,
  });
  return jsonResponse(200, publicGrant(outcome.grant), NO_STORE);
}

async function deleteGrant(
  deps: PeopleHandlerDeps,
  person: Person,
  event: APIGatewayProxyEventV2,
  now: Date,
) {
  if (!roleIncludes(person.role, "admin")) return forbidden("only admins revoke roles");
  const email = emailOf(event);
  if (!email.success) return invalid(email.error);
  const context = { now, requestId: requestIdOf(event) };
  const outcome = await retried(() =>
    revokeGrant(deps.grants, { kind: "person", person }, email.data, context),
  );
  if (!outcome.ok) {
    return outcome.reason === "not_found"
      ? errorResponse(404, "grant_not_found", "no grant for that e-mail")
      : forbidden(outcome.message);
  }
  deps.logger.info("grant revoked", { grantUnits: outcome.revoked.units });
  return { statusCode: 204, headers: NO_STORE };
}

async function readAudit(deps: PeopleHandlerDeps, person: Person, event: APIGatewayProxyEventV2) {
  if (!roleIncludes(person.role, "admin")) return forbidden("only admins read the audit");
  const query = auditQuerySchema.safeParse(event.queryStringParameters ?? {});
  if (!query.success) return invalid(query.error);
  const { unit, limit, cursor } = query.data;
  if (!mayAdministerUnit(person, unit)) return forbidden(`unit ${unit} is outside your grant`);
  const page = await deps.grants.auditOf(unit, limit, cursor);
  const records = page.records.map((record) => auditSeenBy(person, record));
  return jsonResponse(200, { ...page, records }, NO_STORE);
}

/** Built on the first request of a container (functions/runtime.ts). */
export const handler = httpHandler(() => {
  const dynamo = dynamoClientFromEnv();
  const tableName = requiredEnv("TABLE_NAME");
  return createPeopleHandler({
    authenticator: authenticatorFromEnv(dynamo, tableName),
    grants: new DynamoGrantStore(dynamo, tableName),
    oidc: oidcSettingsFromEnv(),
    logger,
  });
});
