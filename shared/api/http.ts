import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { REJECTION_CODES, type RejectionCode } from "../intake/intake";

/**
 * The few HTTP helpers every handler shares: JSON answers, the one error shape, header lookup and
 * the raw body. No framework, no I/O.
 */

/**
 * Every stable error code the API answers with, and what it means. Codes are part of the public
 * contract: clients branch on them, so they never change meaning; new ones may be added.
 * The per-event codes (REJECTION_CODES, owned by the intake core) appear in `results[].error.code`
 * of an intake answer, never as the code of a whole response.
 */
export const ERROR_CODES = {
  invalid_body:
    "400: the body is not JSON, or not of the expected shape or within the limits; nothing applied",
  invalid_content_type: "400: the request must be sent with `Content-Type: application/json`",
  payload_too_large: "413: the body is over 1 MiB; nothing applied",
  unknown_source: "401: no source with that id is configured; nothing applied",
  missing_signature: "401: a `webhook-id`, `webhook-timestamp` or `webhook-signature` header is missing",
  invalid_signature: "401: no `v1` signature entry matches any of the source's secrets; nothing applied",
  stale_timestamp:
    "401: `webhook-timestamp` is more than 5 minutes from the receiver's clock; nothing applied",
  not_found: "404: no such route",
  method_not_allowed: "405: the route exists but not with this method",
  unauthorized: "401: a missing, malformed or unknown bearer token",
  forbidden: "403: the token is valid but the unit is outside its scope",
  no_grant: "403: the person is signed in but no role was granted to them: ask the unit's administrator",
  report_not_found: "404: no report was built for that commune and year",
  unit_not_found: "404: the unit registry has no commune or province with that code for the period",
  edition_not_found: "404: the unit has no report edition for that period (or no such edition or revision)",
  edition_exists:
    "409: the unit already has an edition for that period (or a correction was started already)",
  edition_issued: "409: the edition is issued and cannot change: start a correction",
  edition_not_issued: "409: only an issued edition can be corrected",
  edition_conflict:
    "412: `If-Match` names a revision that is no longer the edition's; the answer holds the edition as `current`",
  precondition_required: "428: send `If-Match` with the revision (the ETag) the change was made on",
  edition_incomplete: "400: the edition lacks what an issue needs; `missing` lists it",
  edition_too_large: "413: the edition's texts, numbers and document would be over 200 KB; nothing saved",
  service_unavailable: "503: a dependency (database, object store, secret store) is unreachable; retry later",
  internal_error: "500: an unexpected failure; nothing is half-applied and retrying is safe",
  ...REJECTION_CODES,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes that describe one rejected event inside a 207/422 answer (docs/api.md#error-codes): the
 * intake core's REJECTION_CODES. */
export const EVENT_ERROR_CODES = Object.keys(REJECTION_CODES) as [RejectionCode, ...RejectionCode[]];
export type EventErrorCode = RejectionCode;

// Header access lives below the API layer (the intake reads headers too); re-exported for handlers.
export { type HttpHeaders, headerValue } from "../http-headers";

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { "content-type": JSON_CONTENT_TYPE, ...headers },
    body: JSON.stringify(body),
  };
}

/** The one error shape of the API: `{"error": {"code", "message", ...extra}}`. */
export function errorResponse(
  statusCode: number,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  // code and message first, and never overridden by `extra`
  const error = Object.assign({ code, message }, extra, { code, message });
  return jsonResponse(statusCode, { error }, headers);
}

/**
 * A refusal the contract defines, thrown from deep inside a handler: the error boundary
 * (shared/api/errors.ts) answers it with its status and code, like a returned `errorResponse`.
 */
export class ContractError extends Error {
  override name = "ContractError";
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The request body exactly as sent (base64-decoded when API Gateway encoded it), `""` when there is none. */
export function rawBody(event: Pick<APIGatewayProxyEventV2, "body" | "isBase64Encoded">): string {
  if (event.body === undefined || event.body === null) return "";
  return event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
}

/** Size in bytes of the body as sent, for the 1 MiB limit (the decoded size when base64-encoded). */
export function rawBodyByteLength(event: Pick<APIGatewayProxyEventV2, "body" | "isBase64Encoded">): number {
  if (event.body === undefined || event.body === null) return 0;
  return event.isBase64Encoded
    ? Buffer.from(event.body, "base64").byteLength
    : Buffer.byteLength(event.body, "utf8");
}
