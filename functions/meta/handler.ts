import type { Logger } from "@aws-lambda-powertools/logger";
import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../../shared/adapters/aws-clients";
import { errorResponse, jsonResponse } from "../../shared/api/http";
import { httpHandler, logger } from "../runtime";

/**
 * `GET /health` (readiness: DynamoDB and S3 answer) and `GET /v1/openapi.json`.
 */

/** Each dependency gets this long to answer before the check counts as failed. */
const CHECK_TIMEOUT_MS = 3000;

type CheckName = "dynamodb" | "s3";
type CheckStatus = "ok" | "failed";

export interface MetaHandlerDeps {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  tableName: string | undefined;
  bucketName: string | undefined;
  logger: Logger;
}

async function check(
  logger: Logger,
  name: CheckName,
  run: (signal: AbortSignal) => Promise<unknown>,
): Promise<CheckStatus> {
  try {
    await run(AbortSignal.timeout(CHECK_TIMEOUT_MS));
    return "ok";
  } catch (error) {
    const { name: errorName, message } =
      error instanceof Error ? error : { name: "Error", message: String(error) };
    logger.warn("health check failed", { check: name, errorName, errorMessage: message });
    return "failed";
  }
}

async function health(deps: MetaHandlerDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const { dynamodb, s3, tableName, bucketName, logger } = deps;
  const [dynamodbStatus, s3Status] = await Promise.all([
    check(logger, "dynamodb", async (abortSignal) => {
      if (!tableName) throw new Error("TABLE_NAME is not set");
      await dynamodb.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal });
    }),
    check(logger, "s3", async (abortSignal) => {
      if (!bucketName) throw new Error("BUCKET_NAME is not set");
      await s3.send(new HeadBucketCommand({ Bucket: bucketName }), { abortSignal });
    }),
  ]);
  const noStore = { "cache-control": "no-store" };
  if (dynamodbStatus === "ok" && s3Status === "ok") {
    return jsonResponse(200, { status: "ok", checks: { dynamodb: "ok", s3: "ok" } }, noStore);
  }
  const failed = [
    dynamodbStatus === "failed" ? "dynamodb" : undefined,
    s3Status === "failed" ? "s3" : undefined,
  ]
    .filter(Boolean)
    .join(", ");
  return errorResponse(
    503,
    "service_unavailable",
    `dependency check failed: ${failed}`,
    { checks: { dynamodb: dynamodbStatus, s3: s3Status } },
    noStore,
  );
}

export function createMetaHandler(deps: MetaHandlerDeps) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    deps.logger.appendKeys({ routeKey: event.routeKey, apiRequestId: event.requestContext?.requestId });
    return route(deps, event);
  };
}

async function route(
  deps: MetaHandlerDeps,
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  switch (event.routeKey) {
    case "GET /health":
      return health(deps);
    case "GET /v1/openapi.json": {
      // Imported on first use: the schemas and zod-openapi are evaluated by the rare request that
      // needs them, not at every cold start of /health (docs/benchmarks.md#cold-starts).
      const { openApiDocument } = await import("../../shared/api/openapi");
      return jsonResponse(200, openApiDocument(), { "cache-control": "public, max-age=300" });
    }
    default:
      return errorResponse(404, "not_found", `no route ${event.routeKey}`);
  }
}

/** Built on the first request of a container (functions/runtime.ts). */
export const handler = httpHandler(() =>
  createMetaHandler({
    dynamodb: dynamoClientFromEnv(),
    s3: s3ClientFromEnv(),
    // Read per check, not required: a missing one makes /health answer 503 naming it.
    tableName: process.env.TABLE_NAME,
    bucketName: process.env.BUCKET_NAME,
    logger,
  }),
);
