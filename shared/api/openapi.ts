import * as z from "zod";
import { createDocument, type oas31, type ZodOpenApiOperationObject } from "zod-openapi";
import {
  communeCodeSchema,
  EVENT_TYPES,
  eventIdSchema,
  eventSchema,
  eventSchemas,
  MAX_BODY_BYTES,
  MAX_EVENTS_PER_REQUEST,
  timestampSchema,
} from "../domain/events";
import { dvcqgPaths } from "../dvcqg/openapi";
import { editionPaths } from "../editions/openapi";
import { peoplePaths } from "../people/openapi";
import { monthFiguresSchema } from "../reports/months";
import {
  figuresQuerySchema,
  reportBodySchema,
  reportQuerySchema as reportQueryParamsSchema,
} from "../reports/request";
import { unitsInScopeSchema, unitsQuerySchema } from "../reports/units-schema";
import { ERROR_CODES, type ErrorCode, EVENT_ERROR_CODES } from "./http";

/**
 * The OpenAPI 3.1 document served at `GET /v1/openapi.json`, generated from the same zod schemas
 * the handlers validate with, so it cannot drift from the code.
 */

export const OPENAPI_VERSION = "3.1.0";
export const API_VERSION = "1.0.0";

// --- Schemas -------------------------------------------------------------------------------------

const errorCodeList = (codes: readonly ErrorCode[]) => codes.map((code) => `\`${code}\``).join(", ");

const errorSchema = z
  .strictObject({
    error: z.looseObject({
      code: z.string().meta({
        description: "A stable error code (see the API description for the list).",
        example: "invalid_signature",
      }),
      message: z.string().meta({ description: "For humans; may change.", example: "no signature matches" }),
      requestId: z.string().optional().meta({
        description:
          "On `internal_error` and `service_unavailable`: the id of the invocation, which its log lines carry; quote it when reporting the failure.",
      }),
    }),
  })
  .meta({
    id: "Error",
    description: "Every non-2xx answer. Some codes add fields beside `code` and `message`.",
  });

const eventErrorSchema = z
  .strictObject({
    code: z.enum(EVENT_ERROR_CODES).meta({
      description: EVENT_ERROR_CODES.map(
        (code) => `\`${code}\`: ${ERROR_CODES[code].replace(/^per event: /, "")}`,
      ).join("; "),
    }),
    message: z.string(),
    path: z.string().optional().meta({
      description: "The offending field inside the event, e.g. `communeCode`.",
      example: "communeCode",
    }),
  })
  .meta({ id: "EventError" });

const eventResultSchema = z
  .strictObject({
    id: z.string().meta({ description: "The event's `id` as sent.", example: "evt-000123" }),
    status: z.enum(["applied", "duplicate", "rejected"]).meta({
      description:
        "`applied`: stored and counted; `duplicate`: the same id with the same content was already accepted (no effect); `rejected`: see `error`.",
    }),
    error: eventErrorSchema.optional().meta({ description: "Only on rejected events." }),
  })
  .meta({ id: "EventResult" });

const intakeResultsSchema = z
  .strictObject({
    results: z.array(eventResultSchema).meta({ description: "One entry per event, in request order." }),
  })
  .meta({ id: "IntakeResults" });

const eventBatchSchema = z
  .strictObject({
    events: z.array(eventSchema).min(1).max(MAX_EVENTS_PER_REQUEST),
  })
  .meta({
    id: "EventBatch",
    description: `1 to ${MAX_EVENTS_PER_REQUEST} events, at most ${MAX_BODY_BYTES} bytes (1 MiB) of JSON.`,
  });

// The same schemas the links handler validates with (shared/reports/request.ts).
const reportRequestSchema = reportBodySchema.meta({
  id: "ReportRequest",
  description:
    "Exactly one of communeCode and provinceCode; period defaults to the year; expiresIn (seconds) defaults to 900, at most 604800.",
});
const reportQuerySchema = reportQueryParamsSchema;

const reportLinksSchema = z
  .strictObject({
    reports: z.array(
      z.strictObject({
        format: z.enum(["json", "xlsx", "docx"]),
        url: z.string().meta({ description: "A presigned GET URL: download without the bearer token." }),
        expiresAt: z.iso.datetime({ offset: true }).meta({ description: "When `url` stops working." }),
      }),
    ),
  })
  .meta({ id: "ReportLinks" });

const figuresSchema = z
  .looseObject({
    schema: z.enum(["report.v1", "province-report.v1"]).meta({
      description: "`report.v1` for a commune, `province-report.v1` for a province roll-up.",
    }),
    period: z.looseObject({
      year: z.number().int(),
      from: z.string(),
      to: z.string(),
      asOf: z.string().optional().meta({ description: "Present while the period is still running." }),
    }),
    generatedAt: z.iso.datetime({ offset: true }),
    months: z.array(monthFiguresSchema).meta({
      description:
        "One entry per reporting month of the period, in order (up to the current month while the period runs). " +
        "Received and resolved add up to the report's totals; the last month's `pendingAtEnd` is the report's pending.",
    }),
  })
  .meta({
    id: "Figures",
    description:
      "The report JSON exactly as a stored report would hold it (`report.v1`, or the province roll-up), computed now " +
      "from the aggregates, plus `months`. Nothing is stored.",
  });

const healthSchema = z
  .strictObject({
    status: z.literal("ok"),
    checks: z.strictObject({ dynamodb: z.literal("ok"), s3: z.literal("ok") }),
  })
  .meta({ id: "Health" });

const healthFailureSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.literal("service_unavailable"),
      message: z.string(),
      checks: z.strictObject({ dynamodb: z.enum(["ok", "failed"]), s3: z.enum(["ok", "failed"]) }),
    }),
  })
  .meta({ id: "HealthFailure" });

/** Component names of the event variants: `dossier.supplement_received` → `DossierSupplementReceivedEvent`. */
export function eventComponentName(type: string): string {
  return `${type
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("")}Event`;
}

// --- Operations ----------------------------------------------------------------------------------

const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const errorResponse = (description: string) => ({ description, content: json(errorSchema) });
/** The error boundary's answer to a failed dependency (shared/api/errors.ts). */
const serviceUnavailable = {
  ...errorResponse(
    "A dependency (database, object store, secret store) is unavailable (`service_unavailable`); nothing was changed, retry the same request after `Retry-After`.",
  ),
  headers: z.object({
    "retry-after": z.string().meta({ description: "Seconds to wait before retrying.", example: "1" }),
  }),
};

const signatureHeaders = z.object({
  "webhook-id": z.string().min(1).meta({
    description: "A unique message id (reuse it when retrying the same request).",
    example: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
  }),
  "webhook-timestamp": z.string().regex(/^\d+$/).meta({
    description: "Unix seconds when the request was signed; within 5 minutes of the receiver's clock.",
    example: "1700000000",
  }),
  "webhook-signature": z.string().min(1).meta({
    description: "Space-separated `v1,<base64 HMAC-SHA256>` entries; any one valid entry suffices.",
    example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
  }),
});

const intakeOperation: ZodOpenApiOperationObject = {
  operationId: "postEvents",
  tags: ["intake"],
  summary: "Send a batch of signed dossier and feedback events",
  description: [
    "Signed as in [Standard Webhooks](https://www.standardwebhooks.com/) v1 (symmetric): see the API description.",
    "The signature is checked on the raw body before anything else; a request that fails it changes nothing.",
    "Each event is then checked and applied on its own: the answer lists one result per event, in request order.",
    "A 2xx answer means every `applied` event is durably stored and counted. Retrying any request is always safe:",
    "events already accepted come back as `duplicate`.",
  ].join(" "),
  security: [],
  requestParams: {
    path: z.object({
      sourceId: z.string().meta({ description: "The sending system, as configured.", example: "demo" }),
    }),
    header: signatureHeaders,
  },
  requestBody: { required: true, content: json(eventBatchSchema) },
  responses: {
    "200": { description: "Every event is `applied` or `duplicate`.", content: json(intakeResultsSchema) },
    "207": {
      description: "At least one event is `rejected` and at least one is not.",
      content: json(intakeResultsSchema),
    },
    "400": errorResponse(
      `The body is not JSON or not \`{"events": [...]}\` within the limits; nothing applied. Codes: ${errorCodeList(["invalid_body", "invalid_content_type"])}.`,
    ),
    "401": errorResponse(
      `Unknown source, missing or bad signature, stale timestamp; nothing applied. Codes: ${errorCodeList(["unknown_source", "missing_signature", "invalid_signature", "stale_timestamp"])}.`,
    ),
    "413": errorResponse("The body is over 1 MiB; nothing applied. Code: `payload_too_large`."),
    "422": { description: "Every event is `rejected`.", content: json(intakeResultsSchema) },
    "500": errorResponse("Unexpected failure (`internal_error`); retry."),
    "503": serviceUnavailable,
  },
};

/** The report routes take an access code or a person's access token (docs/people.md). */
const readerOrPerson: Record<string, string[]>[] = [{ readerToken: [] }, { personToken: [] }];

const reportResponses = {
  "200": { description: "Download links of every format built.", content: json(reportLinksSchema) },
  "400": errorResponse("Missing or malformed `communeCode` / `year` (`invalid_body`)."),
  "401": errorResponse("No valid bearer token (`unauthorized`)."),
  "403": errorResponse(
    "The unit is outside the token's scope or the grant is disabled (`forbidden`), or a signed-in person has no grant (`no_grant`).",
  ),
  "404": errorResponse("No report was built for that commune and year (`report_not_found`)."),
  "500": errorResponse("Unexpected failure (`internal_error`); retry."),
  "503": serviceUnavailable,
};

const figuresResponses = {
  "200": { description: "The figures, computed now.", content: json(figuresSchema) },
  "400": errorResponse(
    "Missing or malformed unit, year or period, or a period not started yet (`invalid_body`).",
  ),
  "401": errorResponse("No valid bearer token (`unauthorized`)."),
  "403": errorResponse(
    "The unit is outside the token's scope or the grant is disabled (`forbidden`), or a signed-in person has no grant (`no_grant`).",
  ),
  "404": errorResponse("No such commune or province in the unit registry for the period (`unit_not_found`)."),
  "500": errorResponse(
    "Unexpected failure, or figures that break an identity of the form (`internal_error`).",
  ),
};

// --- Document ------------------------------------------------------------------------------------

const apiDescription = `
Signed webhook intake of one-stop ("một cửa") dossier and feedback events, and year-end commune reports.

## Signing (Standard Webhooks v1, symmetric)
Every intake request carries three headers:
- \`webhook-id\`: a unique message id;
- \`webhook-timestamp\`: Unix seconds; a timestamp more than 5 minutes from the receiver's clock is refused (\`stale_timestamp\`);
- \`webhook-signature\`: space-separated \`v1,<base64>\` entries, any one valid entry suffices.

The signed content is \`{webhook-id}.{webhook-timestamp}.{raw body}\`; the signature is the base64 HMAC-SHA256 of it,
keyed with the base64-decoded part of the source's \`whsec_…\` secret (not the string itself). A source may have
several secrets at once, which is how secrets are rotated: any secret matching any entry is accepted.
Any Standard Webhooks library signs correctly (e.g. the \`standardwebhooks\` npm package).

## Limits
- 1 to ${MAX_EVENTS_PER_REQUEST} events per request; body at most ${MAX_BODY_BYTES} bytes (1 MiB), \`Content-Type: application/json\`.
- Event ids: 1–128 characters of \`[A-Za-z0-9._:-]\`, unique per source. The same id with the same content is a
  \`duplicate\` (no effect); with different content it is rejected with \`id_conflict\`.
- Events of one dossier may arrive in any order, more than once, and concurrently.

## Event types
${EVENT_TYPES.map((type) => `\`${type}\``).join(", ")}.

## Error codes
Every error answer is \`{"error": {"code": "...", "message": "..."}}\`; codes are stable strings.
${(Object.entries(ERROR_CODES) as [ErrorCode, string][]).map(([code, meaning]) => `- \`${code}\`: ${meaning}`).join("\n")}

## Reports
\`POST /v1/reports\` builds a commune's report now (idempotent), \`GET /v1/reports\` lists presigned download
links (JSON, XLSX, DOCX). \`GET /v1/figures\` answers the same report computed now, with its monthly series, and
stores nothing. All need \`Authorization: Bearer <token>\` with the unit in the token's scope: an access code
(reader token), or a person's access token, the person's grant being the scope.

## People
People sign in with OpenID Connect (authorization code with PKCE) at the provider \`GET /v1/auth/config\` names,
and send their access token as \`Authorization: Bearer <access token>\`. What they may do is their grant, kept
here: \`GET /v1/me\`, and for admins \`GET /v1/grants\`, \`PUT\`/\`DELETE /v1/grants/{email}\`, \`GET /v1/audit\`.

## Editions
\`/v1/editions/{unit}/{year}\`: officials write the report's own sections, numbers and document block, save
revisions with \`If-Match: "<revision>"\` (the ETag), issue (files frozen, SHA-256 recorded) and correct. Access
codes read; writing needs a signed-in person with the editor role, issuing the issuer role.
`.trim();

function buildDocument(): oas31.OpenAPIObject {
  return createDocument({
    openapi: OPENAPI_VERSION,
    info: {
      title: "One-stop reports API",
      version: API_VERSION,
      description: apiDescription,
      license: { name: "MIT", identifier: "MIT" },
    },
    tags: [
      { name: "intake", description: "Signed webhook intake of events" },
      { name: "reports", description: "Year-end commune reports" },
      { name: "meta", description: "Health and this document" },
      { name: "people", description: "Signing in, grants (roles and units) and the audit" },
      {
        name: "editions",
        description: "Report editions: drafts, revisions, issue, corrections, the province panel",
      },
      {
        name: "dvcqg",
        description:
          "National-portal-compatible intake (DVCQG sync): log-in, snapshots, progress entries, look-up",
      },
    ],
    components: {
      schemas: {
        Timestamp: timestampSchema,
        EventId: eventIdSchema,
        CommuneCode: communeCodeSchema,
        // One component per event type, so that `Event` is a oneOf of $refs with a discriminator mapping.
        ...Object.fromEntries(
          eventSchemas.map((schema) => [eventComponentName(schema.shape.type.value), schema] as const),
        ),
      },
      securitySchemes: {
        readerToken: {
          type: "http",
          scheme: "bearer",
          description: "A report reader token (an access code); its scope lists the units it may read.",
        },
        personToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "A person's OpenID Connect access token from the provider of `GET /v1/auth/config`; the person's grant is its scope.",
        },
      },
    },
    paths: {
      "/v1/sources/{sourceId}/events": { post: intakeOperation },
      ...dvcqgPaths,
      ...peoplePaths(errorResponse, serviceUnavailable),
      ...editionPaths,
      "/health": {
        get: {
          operationId: "getHealth",
          tags: ["meta"],
          summary: "Readiness: the database and the object store are reachable",
          security: [],
          responses: {
            "200": { description: "Every dependency answered.", content: json(healthSchema) },
            "503": {
              description: "A dependency did not answer (`service_unavailable`); `checks` says which.",
              content: json(healthFailureSchema),
            },
          },
        },
      },
      "/v1/openapi.json": {
        get: {
          operationId: "getOpenApi",
          tags: ["meta"],
          summary: "This document",
          security: [],
          responses: {
            "200": {
              description: "The OpenAPI 3.1 document.",
              content: { "application/json": { schema: { type: "object" } } },
            },
          },
        },
      },
      "/v1/reports": {
        post: {
          operationId: "buildReport",
          tags: ["reports"],
          summary:
            "Build a commune's (or a province roll-up's) report for a period now (idempotent: building again replaces it)",
          security: readerOrPerson,
          requestBody: { required: true, content: json(reportRequestSchema) },
          responses: reportResponses,
        },
        get: {
          operationId: "getReports",
          tags: ["reports"],
          summary: "Presigned download links of a built report (a province answers json and xlsx)",
          security: readerOrPerson,
          requestParams: { query: reportQuerySchema },
          responses: reportResponses,
        },
      },
      "/v1/figures": {
        get: {
          operationId: "getFigures",
          tags: ["reports"],
          summary:
            "A commune's (or a province roll-up's) figures for a period, computed now, with the monthly series",
          security: readerOrPerson,
          requestParams: { query: figuresQuerySchema },
          responses: figuresResponses,
        },
      },
      "/v1/units": {
        get: {
          operationId: "getUnits",
          tags: ["reports"],
          summary:
            "The provinces and communes the token may read, named as in the registry of that reporting year",
          security: readerOrPerson,
          requestParams: { query: unitsQuerySchema },
          responses: {
            "200": { description: "The units in the token's scope.", content: json(unitsInScopeSchema) },
            "400": errorResponse("Missing or malformed `year`, or a year not started yet (`invalid_body`)."),
            "401": errorResponse("No valid bearer token (`unauthorized`)."),
          },
        },
      },
    },
  });
}

let memo: oas31.OpenAPIObject | undefined;

/** The document, built on first use and shared afterwards (treat it as read-only). */
export function openApiDocument(): oas31.OpenAPIObject {
  memo ??= buildDocument();
  return memo;
}
