import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { errorResponse, jsonResponse } from "../../shared/api/http";
import { ReportPeriodError } from "../../shared/reports/build-model";
import type { TokenScope } from "../../shared/reports/ports";
import { unitsInScope } from "../../shared/reports/units-in-scope";
import { unitsQuerySchema } from "../../shared/reports/units-schema";

/**
 * `GET /v1/units?year=Y`: the units the (already verified) token may read, for the portal's unit
 * picker; 400 on a malformed or not yet started year. The page also signs in with it: 401 means a
 * wrong access code.
 */
export function unitsResponse(
  scope: TokenScope,
  query: Record<string, string | undefined> | undefined,
  now: Date,
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
    return jsonResponse(200, unitsInScope(scope, parsed.data.year, now), { "cache-control": "no-store" });
  } catch (error) {
    if (error instanceof ReportPeriodError) return errorResponse(400, "invalid_body", error.message);
    throw error;
  }
}
