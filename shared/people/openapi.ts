import * as z from "zod";
import type { ZodOpenApiPathsObject, ZodOpenApiResponseObject } from "zod-openapi";
import { communeCodeSchema, provinceCodeSchema } from "../domain/unit-codes";
import { AUDIT_ACTIONS } from "./audit-record";
import { ROLES } from "./caller";
import { emailSchema, grantBodySchema } from "./grants";

/**
 * The people routes in the OpenAPI document (docs/people.md), from the schemas the handler
 * (functions/people) validates with. `errorResponse` and `serviceUnavailable` are the document's own
 * (shared/api/openapi.ts), so every error answer has the one shape.
 */

const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const unitSchema = z.union([communeCodeSchema, provinceCodeSchema]);
const roleSchema = z.enum(ROLES).meta({
  description: "Each role includes the one before: viewer < editor < issuer < admin.",
});

const authConfigSchema = z
  .strictObject({
    issuer: z.string().meta({ example: "http://127.0.0.1:3001" }),
    clientId: z.string().meta({ example: "onestop-portal" }),
    scope: z.string().meta({ example: "openid email profile" }),
    resource: z.string().optional().meta({
      description: "The resource indicator (RFC 8707) to ask tokens for, when the provider needs one.",
      example: "urn:onestop:reports-api",
    }),
    logoutUrl: z.string().optional().meta({
      description:
        "Where the portal sends a person to sign out, when the provider lists no end_session_endpoint (Cognito's /logout).",
      example:
        "https://onestop-111122223333.auth.ap-southeast-1.amazoncognito.com/logout?client_id=abc&logout_uri=https%3A%2F%2Fbaocao.example%2F",
    }),
  })
  .meta({ id: "AuthConfig" });

const meSchema = z
  .strictObject({ name: z.string(), role: roleSchema, units: z.array(z.string()) })
  .meta({ id: "Me" });

const grantSchema = z
  .strictObject({
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    units: z.array(z.string()),
    disabled: z.boolean(),
    grantedBy: z.string().meta({ description: "The granting admin's `sub`, or `cli:<operator>`." }),
    grantedAt: z.string().meta({ description: "RFC 3339." }),
  })
  .meta({ id: "Grant" });

const auditRecordSchema = z
  .object({
    by: z.object({ issuer: z.string(), subject: z.string(), name: z.string() }),
    action: z.enum(AUDIT_ACTIONS),
    target: z.string().meta({ description: "The edition, or the grantee's e-mail." }),
    unit: z.string(),
    period: z.string().optional(),
    at: z.string(),
    requestId: z.string(),
    detail: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: "AuditRecord" });

const personOnly: Record<string, string[]>[] = [{ personToken: [] }];
const emailParam = z.object({ email: emailSchema });

export function peoplePaths(
  errorResponse: (description: string) => ZodOpenApiResponseObject,
  serviceUnavailable: ZodOpenApiResponseObject,
) {
  const common = {
    "401": errorResponse("No valid access token (`unauthorized`)."),
    "500": errorResponse("Unexpected failure (`internal_error`); retry."),
    "503": serviceUnavailable,
  };
  const adminRefusal = errorResponse(
    "Not an admin of that unit, an access code, a disabled grant (`forbidden`), or no grant (`no_grant`).",
  );
  return {
    "/v1/auth/config": {
      get: {
        operationId: "getAuthConfig",
        tags: ["people"],
        summary: "Which OpenID provider the portal signs in with (public)",
        security: [],
        responses: {
          "200": { description: "The provider and the portal's client.", content: json(authConfigSchema) },
          "404": errorResponse("No provider is configured: access codes only (`not_found`)."),
        },
      },
    },
    "/v1/me": {
      get: {
        operationId: "getMe",
        tags: ["people"],
        summary: "The signed-in person's name, role and units (from their grant)",
        security: personOnly,
        responses: {
          "200": { description: "The person's grant.", content: json(meSchema) },
          ...common,
          "403": errorResponse("No grant (`no_grant`), a disabled grant or an access code (`forbidden`)."),
        },
      },
    },
    "/v1/grants": {
      get: {
        operationId: "listGrants",
        tags: ["people"],
        summary: "The grants naming a unit within `unit` (admins of the unit)",
        security: personOnly,
        requestParams: { query: z.object({ unit: unitSchema }) },
        responses: {
          "200": {
            description: "The grants.",
            content: json(z.strictObject({ grants: z.array(grantSchema) })),
          },
          "400": errorResponse("Missing or malformed `unit` (`invalid_body`)."),
          ...common,
          "403": adminRefusal,
        },
      },
    },
    "/v1/grants/{email}": {
      put: {
        operationId: "putGrant",
        tags: ["people"],
        summary: "Grant (or change) a role within your units; binds at the person's first sign-in",
        security: personOnly,
        requestParams: { path: emailParam },
        requestBody: { required: true, content: json(grantBodySchema) },
        responses: {
          "200": {
            description: "The grant as stored (an audit record was written with it).",
            content: json(grantSchema),
          },
          "400": errorResponse(
            "Malformed e-mail or body, or a unit the registry does not know (`invalid_body`).",
          ),
          ...common,
          "403": adminRefusal,
        },
      },
      delete: {
        operationId: "deleteGrant",
        tags: ["people"],
        summary: "Revoke a grant within your units (an audit record is written with it)",
        security: personOnly,
        requestParams: { path: emailParam },
        responses: {
          "204": { description: "Revoked." },
          "400": errorResponse("Malformed e-mail (`invalid_body`)."),
          ...common,
          "403": adminRefusal,
          "404": errorResponse("No grant for that e-mail (`grant_not_found`)."),
        },
      },
    },
    "/v1/audit": {
      get: {
        operationId: "getAudit",
        tags: ["people"],
        summary: "A unit's audit records, newest first (admins of the unit)",
        security: personOnly,
        requestParams: {
          query: z.object({
            unit: unitSchema,
            limit: z.number().int().min(1).max(200).optional().meta({ description: "Default 50." }),
            cursor: z.string().optional().meta({ description: "`next` of the previous page." }),
          }),
        },
        responses: {
          "200": {
            description: "The records.",
            content: json(
              z.strictObject({ records: z.array(auditRecordSchema), next: z.string().optional() }),
            ),
          },
          "400": errorResponse("Missing or malformed `unit`, `limit` or `cursor` (`invalid_body`)."),
          ...common,
          "403": adminRefusal,
        },
      },
    },
  } satisfies ZodOpenApiPathsObject;
}
