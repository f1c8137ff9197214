import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { isDependencyFailure } from "../adapters/dependency-failure";
import { ContractError, errorResponse } from "./http";

/**
 * The one mapping from a thrown error to the contract's answer, used by every function's error
 * boundary in AWS (functions/runtime.ts) and by the local API (local/http-server.ts):
 * - a ContractError: its own status and code;
 * - a dependency failure (shared/adapters/dependency-failure.ts): 503 `service_unavailable` with
 *   `Retry-After`, since nothing was committed and the same request may succeed later;
 * - anything else: 500 `internal_error`.
 * Both 5xx carry the Lambda request id, which every log line of the invocation carries too
 * (`function_request_id`), so a caller's report leads to the logs. Never a stack or an error message
 * of ours: those stay in the logs.
 */

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 1;

export type ErrorKind = "contract" | "dependency" | "internal";

export interface ErrorAnswer {
  kind: ErrorKind;
  response: APIGatewayProxyStructuredResultV2;
}

export function answerForError(error: unknown, requestId: string): ErrorAnswer {
  if (error instanceof ContractError) {
    return {
      kind: "contract",
      response: errorResponse(error.statusCode, error.code, error.message, error.extra),
    };
  }
  if (isDependencyFailure(error)) {
    return {
      kind: "dependency",
      response: errorResponse(
        503,
        "service_unavailable",
        "a dependency (database, object store or secret store) is unavailable; nothing was changed, retry the same request later",
        { requestId },
        { "retry-after": String(RETRY_AFTER_SECONDS) },
      ),
    };
  }
  return {
    kind: "internal",
    response: errorResponse(
      500,
      "internal_error",
      "internal error; nothing was half-applied, retrying is safe (quote the requestId when reporting it)",
      { requestId },
    ),
  };
}
