import { randomUUID } from "node:crypto";
import { QueryCommand, ThrottlingException, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../shared/adapters/dynamo/retry";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { signPayload } from "../../shared/intake/signature";
import { DEMO_SOURCE, loadSources } from "../../shared/intake/sources";
import { communeExists, provinceOf } from "../../shared/units/registry";
import { createTestTable, type TestTable } from "../support/aws";
import { received } from "../support/events";

let table: TestTable;
let createIntakeHandler: typeof import("../../functions/intake/handler").createIntakeHandler;
let createLogger: typeof import("../../functions/runtime").createLogger;

beforeAll(async () => {
  table = await createTestTable("intake-handler");
  process.env.LOCAL_DEFAULTS = "1";
  ({ createIntakeHandler } = await import("../../functions/intake/handler"));
  ({ createLogger } = await import("../../functions/runtime"));
});

/** DynamoDB Local with every transaction throttled: what AWS does under a hot partition. */
function throttledStore() {
  const client = table.client;
  const realSend = client.send.bind(client);
  const proxy = new Proxy(client, {
    get: (target, key) =>
      key === "send"
        ? async (command: unknown) => {
            if (command instanceof TransactWriteItemsCommand) {
              throw new ThrottlingException({ message: "Rate exceeded", $metadata: {} });
            }
            return realSend(command as never);
          }
        : Reflect.get(target, key),
  });
  const retry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5, sleep: async () => {} };
  return new DynamoSubjectStore(proxy, table.tableName, retry);
}

function signedRequest(events: unknown[]): APIGatewayProxyEventV2 {
  const body = JSON.stringify({ events });
  const headers = signPayload({ secret: DEMO_SOURCE.secrets[0]!, id: randomUUID(), body });
  return {
    version: "2.0",
    routeKey: "POST /v1/sources/{sourceId}/events",
    rawPath: "/v1/sources/demo/events",
    rawQueryString: "",
    headers: { ...headers, "content-type": "application/json" },
    pathParameters: { sourceId: "demo" },
    body,
    isBase64Encoded: false,
    requestContext: {} as APIGatewayProxyEventV2["requestContext"],
  };
}

describe("intake handler when DynamoDB keeps refusing", () => {
  it("gives up with StoreUnavailableError for the error boundary to answer 503, and commits nothing", async () => {
    const handler = createIntakeHandler({
      store: throttledStore(),
      sources: loadSources({ LOCAL_DEFAULTS: "1" }),
      units: { communeExists, provinceOf },
      logger: createLogger(),
    });
    await expect(
      handler(signedRequest([received("2023-03-01T08:00:00+07:00", {}, "throttled")])),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    const stored = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "S#demo#D#throttled" } },
      }),
    );
    expect(stored.Items).toEqual([]);
  });
});
