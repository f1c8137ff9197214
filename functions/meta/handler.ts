import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../../shared/adapters/aws-clients";
import { errorResponse, jsonResponse } from "../../shared/api/http";
import { openApiDocument } from "../../shared/api/openapi";
import { createLogger } from "../runtime";

/**
 * `GET /health` (readiness: DynamoDB and S3 answer) and `GET /v1/openapi.json`.
 */

const logger = createLogger();
const dynamodb = dynamoClientFromEnv();
const s3 = s3ClientFromEnv();

/** Each dependency gets this long to answer before the check counts as failed. */
const CHECK_TIMEOUT_MS = 3000;

type CheckName = "dynamodb" | "s3";
type CheckStatus = "ok" | "failed";

async function check(name: CheckName, run: (signal: AbortSignal) => Promise<unknown>): Promise<CheckStatus> {
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

async function health(): Promise<APIGatewayProxyStructuredResultV2> {
  const tableName = process.env.TABLE_NAME;
  const bucketName = process.env.BUCKET_NAME;
  const [dynamodbStatus, s3Status] = await Promise.all([
    check("dynamodb", async (abortSignal) => {
      if (!tableName) throw new Error("TABLE_NAME is not set");
      await dynamodb.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal });
    }),
    check("s3", async (abortSignal) => {
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

async function route(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  logger.appendKeys({ routeKey: event.routeKey, apiRequestId: event.requestContext?.requestId });
  switch (event.routeKey) {
    case "GET /health":
      return health();
    case "GET /v1/openapi.json":
      return jsonResponse(200, openApiDocument(), { "cache-control": "public, max-age=300" });
    default:
      return errorResponse(404, "not_found", `no route ${event.routeKey}`);
  }
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .onError((request) => {
    logger.error("unhandled error", request.error ?? "unknown");
    request.response = errorResponse(500, "internal_error", "internal error");
  })
  .handler(route);
