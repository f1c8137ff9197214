import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { BatchGetItemCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { createLinksHandler } from "../../functions/links/handler";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { DynamoCommitMarkers } from "../../shared/adapters/dynamo/commit-markers";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { DynamoTokenStore, seedDemoReaderToken } from "../../shared/adapters/dynamo/token-store";
import { S3ReportStore } from "../../shared/adapters/s3/report-store";
import type { Event } from "../../shared/domain/events";
import { signPayload } from "../../shared/intake/signature";
import { DEMO_READER_TOKEN, DEMO_SOURCE, loadSources } from "../../shared/intake/sources";
import { createAuthenticator } from "../../shared/people/authenticate";
import { FiguresCache } from "../../shared/reports/figures-cache";
import { communeExists, communesOfProvince, provinceOf } from "../../shared/units/registry";
import { createTestBucket, createTestTable, type TestTable } from "../support/aws";
import { received } from "../support/events";

// After the 2023 reporting year: 2023 is a closed period, its figures change only by the intake.
const NOW = new Date("2024-03-01T03:00:00Z");
const PROVINCE = "30";
const COMMUNE = "10621";

let table: TestTable;
let intake: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
let figures: ReturnType<typeof createLinksHandler>;
/** Aggregate Queries of the figures computations, and BatchGetItem calls of the marker reads. */
const calls = { readRecords: 0, batchGets: 0 };

beforeAll(async () => {
  table = await createTestTable("figures-cache");
  const bucket = await createTestBucket("figures-cache");
  await seedDemoReaderToken(table.client, table.tableName);
  process.env.LOCAL_DEFAULTS = "1";
  const { createIntakeHandler } = await import("../../functions/intake/handler");
  const { createLogger } = await import("../../functions/runtime");
  intake = createIntakeHandler({
    store: new DynamoSubjectStore(table.client, table.tableName),
    sources: loadSources({ LOCAL_DEFAULTS: "1" }),
    units: { communeExists, provinceOf },
    logger: createLogger(),
  });

  const reader = new DynamoAggregateReader(table.client, table.tableName);
  const aggregates = Object.assign(Object.create(reader), {
    readRecords: (...args: Parameters<typeof reader.readRecords>) => {
      calls.readRecords += 1;
      return reader.readRecords(...args);
    },
  });
  const realSend = table.client.send.bind(table.client);
  const counting = new Proxy(table.client, {
    get: (target, key) =>
      key === "send"
        ? (command: unknown) => {
            if (command instanceof BatchGetItemCommand) calls.batchGets += 1;
            return realSend(command as never);
          }
        : Reflect.get(target, key),
  });
  figures = createLinksHandler({
    reports: { aggregates, store: new S3ReportStore(bucket.s3, bucket.bucketName) },
    authenticator: createAuthenticator({ readerTokens: new DynamoTokenStore(table.client, table.tableName) }),
    logger: new Logger({ logLevel: "SILENT" }),
    now: () => NOW,
    // A ten-minute safety bound: nothing below waits for it.
    figuresCache: new FiguresCache(new DynamoCommitMarkers(counting, table.tableName), 600_000),
  });
});

async function send(events: Event[]): Promise<{ id: string; status: string }[]> {
  const body = JSON.stringify({ events });
  const headers = signPayload({ secret: DEMO_SOURCE.secrets[0]!, id: randomUUID(), body });
  const response = await intake({
    version: "2.0",
    routeKey: "POST /v1/sources/{sourceId}/events",
    rawPath: "/v1/sources/demo/events",
    rawQueryString: "",
    headers: { ...headers, "content-type": "application/json" },
    pathParameters: { sourceId: "demo" },
    body,
    isBase64Encoded: false,
    requestContext: {} as APIGatewayProxyEventV2["requestContext"],
  });
  return JSON.parse(response.body as string).results;
}

async function getFigures(query: Record<string, string>) {
  const response = await figures({
    version: "2.0",
    routeKey: "GET /v1/figures",
    rawPath: "/v1/figures",
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { authorization: `Bearer ${DEMO_READER_TOKEN}` },
    queryStringParameters: query,
    requestContext: { http: { method: "GET", path: "/v1/figures" } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2);
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.body as string);
}

const communeReceived = async () =>
  (await getFigures({ communeCode: COMMUNE, year: "2023" })).dossiers.total.received.online as number;
const provinceReceived = async () =>
  (await getFigures({ provinceCode: PROVINCE, year: "2023" })).total.received.online as number;

async function marker(communeCode: string): Promise<number | undefined> {
  const { Item } = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: { pk: { S: `CM#${communeCode}` }, sk: { S: "COMMITS" } },
      ConsistentRead: true,
    }),
  );
  return Item && (unmarshall(Item).commits as number);
}

describe("live figures cache, exact by the intake's commit markers (DynamoDB Local)", () => {
  it("serves cached figures while nothing was committed, and the next figures after a commit reflect it at once", async () => {
    expect(await send([received("2023-03-01T08:00:00+07:00", { communeCode: COMMUNE }, "cache-1")])).toEqual([
      expect.objectContaining({ status: "applied" }),
    ]);
    expect(await marker(COMMUNE)).toBe(1);
    expect(await communeReceived()).toBe(1);

    const computed = calls.readRecords;
    expect(await communeReceived()).toBe(1);
    expect(calls.readRecords).toBe(computed); // served from the cache: no aggregate read

    await send([received("2023-04-02T09:00:00+07:00", { communeCode: COMMUNE }, "cache-2")]);
    expect(await marker(COMMUNE)).toBe(2);
    expect(await communeReceived()).toBe(2);
    expect(calls.readRecords).toBeGreaterThan(computed);
  });

  it("bumps no marker for a duplicate event, and keeps serving the cached figures", async () => {
    const event = received("2023-05-03T10:00:00+07:00", { communeCode: COMMUNE }, "cache-3");
    await send([event]);
    const before = await marker(COMMUNE);
    expect(await communeReceived()).toBe(3);
    const computed = calls.readRecords;

    expect(await send([event])).toEqual([expect.objectContaining({ status: "duplicate" })]);
    expect(await marker(COMMUNE)).toBe(before);
    expect(await communeReceived()).toBe(3);
    expect(calls.readRecords).toBe(computed);
  });

  it("reads a province's markers in one BatchGetItem per 100 communes, and reflects a commit to one of them", async () => {
    const communes = communesOfProvince(PROVINCE, "2023-12-31").length;
    expect(communes).toBeGreaterThan(100);
    const first = await provinceReceived();
    const batchGets = calls.batchGets;
    expect(await provinceReceived()).toBe(first);
    // Every commune of the province is read (with its full predecessors, if any): at least ⌈n/100⌉ calls.
    expect(calls.batchGets - batchGets).toBeGreaterThanOrEqual(Math.ceil(communes / 100));
    expect(calls.batchGets - batchGets).toBeLessThanOrEqual(Math.ceil(communes / 100) + 1);

    await send([received("2023-06-04T11:00:00+07:00", { communeCode: COMMUNE }, "cache-4")]);
    expect(await provinceReceived()).toBe(first + 1);
  });
});
