/**
 * The floor of `npm run bench:cold` (cold-floor.ts) plus what every function of the product adds to
 * it at its cold start: the Powertools tracer (the X-Ray SDK), its handler middleware, and the
 * metrics. The gap between the two floors is the tracing's share of every function's module init.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import middy from "@middy/core";
import * as z from "zod/mini";

const logger = new Logger({ serviceName: "floor" });
const tracer = new Tracer({ serviceName: "floor" });
const metrics = new Metrics({ namespace: "floor" });
const endpoint = process.env.DYNAMODB_ENDPOINT;
const client = tracer.captureAWSv3Client(
  new DynamoDBClient(
    endpoint
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? "local",
          credentials: { accessKeyId: "x", secretAccessKey: "x" },
        }
      : {},
  ),
);
const eventSchema = z.object({ id: z.string().check(z.minLength(1)) });

export const handler = middy(async (event: unknown) => {
  const { id } = eventSchema.parse(event);
  const item = await client.send(
    new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: id }, sk: { S: id } } }),
  );
  logger.info("read", { found: item.Item !== undefined });
  metrics.addDimension("floor", "traced");
  return { statusCode: 200 };
}).use(captureLambdaHandler(tracer, { captureResponse: false }));
