/**
 * The floor of `npm run bench:cold`: the least a function of this product can be, bundled like the
 * real ones (infra/bundle.ts): the DynamoDB client, the Powertools logger, middy and `zod/mini`,
 * validating an event and reading one item. Each function's size and cold start are given as a
 * ratio to this, built and measured in the same run.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import middy from "@middy/core";
import * as z from "zod/mini";

const logger = new Logger({ serviceName: "floor" });
const endpoint = process.env.DYNAMODB_ENDPOINT;
const client = new DynamoDBClient(
  endpoint
    ? {
        endpoint,
        region: process.env.AWS_REGION ?? "local",
        credentials: { accessKeyId: "x", secretAccessKey: "x" },
      }
    : {},
);
const eventSchema = z.object({ id: z.string().check(z.minLength(1)) });

export const handler = middy(async (event: unknown) => {
  const { id } = eventSchema.parse(event);
  const item = await client.send(
    new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: id }, sk: { S: id } } }),
  );
  logger.info("read", { found: item.Item !== undefined });
  return { statusCode: 200 };
});
