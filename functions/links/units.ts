import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { gzipped } from "../../shared/api/compress";
import { errorResponse, jsonResponse } from "../../shared/api/http";
import { ReportPeriodError } from "../../shared/reports/build-model";
import type { TokenScope } from "../../shared/reports/ports";
import { unitsInScope } from "../../shared/reports/units-in-scope";
import { unitsQuerySchema } from "../../shared/reports/units-schema";

/**
 * `GET /v1/units?year=Y[&q=…][&limit=N]`: the units the (already verified) token may read, for the
 * portal's unit picker, at most `limit` communes (searched with `q`), gzipped when the caller takes
 * it; 400 on a malformed query or a year not started yet. The page also signs in with it: 401 means
 * a wrong access code.
 */
export function unitsResponse(
  scope: TokenScope,
  query: Record<string, string | undefined> | undefined,
  now: Date,
  acceptEncoding?: string,
): APIGatewayProxyStructuredResultV2 {
  const parsed = unitsQuerySchema.safeParse(query ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join(".") ?? "";
    return errorResponse(
      400,
      "invalid_body",
      `${path ? `${path}: ` : ""}${issue?.message ?? "invalid query"}`,
      {
        path,
      },
    );
  }
  try {
    const units = unitsInScope(scope, parsed.data, now);
    return gzipped(jsonResponse(200, units, { "cache-control": "no-store" }), acceptEncoding);
  } catch (error) {
    if (error instanceof ReportPeriodError) return errorResponse(400, "invalid_body", error.message);
    throw error;
  }
}
