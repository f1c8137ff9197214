import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { createLinksHandler } from "../../functions/links/handler";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { DynamoTokenStore, seedDemoReaderToken } from "../../shared/adapters/dynamo/token-store";
import { S3ReportStore } from "../../shared/adapters/s3/report-store";
import { DEMO_READER_TOKEN } from "../../shared/intake/sources";
import type { UnitsInScope } from "../../shared/reports/units-schema";
import { communesOfProvince, listProvinces } from "../../shared/units/registry";
import { createTestBucket, createTestTable } from "../support/aws";

let handler: ReturnType<typeof createLinksHandler>;

beforeAll(async () => {
  const table = await createTestTable("units");
  const bucket = await createTestBucket("units");
  const tokens = new DynamoTokenStore(table.client, table.tableName);
  await seedDemoReaderToken(table.client, table.tableName);
  await tokens.put("province-30", { scope: { provinces: ["30"] } });
  await tokens.put("commune-10621", { scope: { communes: ["10621"] } });
  handler = createLinksHandler({
    reports: {
      aggregates: new DynamoAggregateReader(table.client, table.tableName),
      store: new S3ReportStore(bucket.s3, bucket.bucketName),
    },
    tokens,
    logger: new Logger({ logLevel: "SILENT" }),
    now: () => new Date("2026-11-29T05:00:00Z"),
  });
});

async function units(token: string | undefined, query: Record<string, string>) {
  const event = {
    version: "2.0",
    routeKey: "GET /v1/units",
    rawPath: "/v1/units",
    rawQueryString: new URLSearchParams(query).toString(),
    headers: token ? { authorization: `Bearer ${token}` } : {},
    queryStringParameters: query,
    requestContext: { http: { method: "GET", path: "/v1/units" } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const result = (await handler(event)) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, body: JSON.parse(result.body ?? "null") };
}

describe("GET /v1/units (the portal's unit picker)", () => {
  it("answers a commune token with its one commune, named as in that year's registry, and no province", async () => {
    const { status, body } = await units("commune-10621", { year: "2023" });
    expect(status).toBe(200);
    expect(body).toEqual({
      year: 2023,
      provinces: [],
      communes: [{ code: "10621", name: "Xã Quốc Tuấn", provinceCode: "30", districtName: "Huyện Nam Sách" }],
    } satisfies UnitsInScope);
  });

  it("answers a province token with the province and every commune the registry places in it", async () => {
    const { status, body } = await units("province-30", { year: "2023" });
    expect(status).toBe(200);
    expect(body.provinces).toEqual([{ code: "30", name: "Tỉnh Hải Dương" }]);
    expect(body.communes.map((c: { code: string }) => c.code)).toEqual(
      communesOfProvince("30", "2023-12-14").map((c) => c.code),
    );
  });

  it("names the units of a year after the 2025 reorganization from the new list (no districts)", async () => {
    const { body } = await units(DEMO_READER_TOKEN, { year: "2026" });
    expect(body.provinces).toHaveLength(listProvinces("2026-11-29").length);
    expect(body.provinces).toHaveLength(34);
    expect(body.communes.some((c: { districtName?: string }) => c.districtName !== undefined)).toBe(false);
  });

  it("refuses a missing or unknown token with 401 and a malformed or future year with 400", async () => {
    expect((await units(undefined, { year: "2023" })).status).toBe(401);
    expect((await units("wrong-code", { year: "2023" })).status).toBe(401);
    const malformed = await units("province-30", { year: "23" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("invalid_body");
    expect((await units("province-30", { year: "2027" })).status).toBe(400);
    expect((await units("province-30", {})).status).toBe(400);
  });
});
