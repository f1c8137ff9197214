import { gunzipSync } from "node:zlib";
import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { createLinksHandler } from "../../functions/links/handler";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { DynamoTokenStore, seedDemoReaderToken } from "../../shared/adapters/dynamo/token-store";
import { S3ReportStore } from "../../shared/adapters/s3/report-store";
import { DEMO_READER_TOKEN } from "../../shared/intake/sources";
import { createAuthenticator } from "../../shared/people/authenticate";
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
    authenticator: createAuthenticator({ readerTokens: tokens }),
    logger: new Logger({ logLevel: "SILENT" }),
    now: () => new Date("2026-11-29T05:00:00Z"),
  });
});

async function units(token: string | undefined, query: Record<string, string>, headers = {}) {
  const event = {
    version: "2.0",
    routeKey: "GET /v1/units",
    rawPath: "/v1/units",
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    queryStringParameters: query,
    requestContext: { http: { method: "GET", path: "/v1/units" } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const result = (await handler(event)) as APIGatewayProxyStructuredResultV2;
  const raw = result.isBase64Encoded
    ? gunzipSync(Buffer.from(result.body ?? "", "base64")).toString("utf8")
    : (result.body ?? "null");
  return { status: result.statusCode, body: JSON.parse(raw), headers: result.headers ?? {}, result };
}

const codes = (body: { communes: { code: string }[] }) => body.communes.map((c) => c.code);

describe("GET /v1/units (the portal's unit picker)", () => {
  it("answers a commune token with its one commune, named as in that year's registry, and no province", async () => {
    const { status, body } = await units("commune-10621", { year: "2023" });
    expect(status).toBe(200);
    expect(body).toEqual({
      year: 2023,
      provinces: [],
      communes: [{ code: "10621", name: "Xã Quốc Tuấn", provinceCode: "30", districtName: "Huyện Nam Sách" }],
      total: 1,
      complete: true,
    } satisfies UnitsInScope);
  });

  it("answers a province token with the province and every commune the registry places in it, up to `limit`", async () => {
    const all = communesOfProvince("30", "2023-12-14").map((c) => c.code);
    expect(all.length).toBeGreaterThan(50);
    const { status, body } = await units("province-30", { year: "2023", limit: "500" });
    expect(status).toBe(200);
    expect(body.provinces).toEqual([{ code: "30", name: "Tỉnh Hải Dương" }]);
    expect(codes(body)).toEqual(all);
    expect(body).toMatchObject({ total: all.length, complete: true });

    const first = await units("province-30", { year: "2023" });
    expect(codes(first.body)).toEqual(all.slice(0, 50));
    expect(first.body).toMatchObject({ total: all.length, complete: false });
  });

  it("sends a whole country's token its provinces and 50 communes at sign-in, not the ten thousand", async () => {
    const { body, result } = await units(DEMO_READER_TOKEN, { year: "2023" });
    expect(body.provinces).toHaveLength(63);
    expect(body.communes).toHaveLength(50);
    expect(body.total).toBe(
      listProvinces("2023-12-14").flatMap((p) => communesOfProvince(p.code, "2023-12-14")).length,
    );
    expect(body.complete).toBe(false);
    expect((result.body ?? "").length).toBeLessThan(10_000);
  });

  it("searches the token's communes on the server: any case, without diacritics, by district or province, or by code", async () => {
    const byName = await units(DEMO_READER_TOKEN, { year: "2023", q: "quoc tuan nam sach" });
    expect(codes(byName.body)).toEqual(["10621"]);
    expect(byName.body).toMatchObject({ total: 1, complete: true, provinces: [] });
    expect(codes((await units(DEMO_READER_TOKEN, { year: "2023", q: "QUỐC TUẤN" })).body)).toContain("10621");
    expect(codes((await units(DEMO_READER_TOKEN, { year: "2023", q: "10621" })).body)).toEqual(["10621"]);
    // The province by its name, and its communes by their province's name (and any commune named so).
    const province = await units(DEMO_READER_TOKEN, { year: "2023", q: "hai duong", limit: "500" });
    expect(province.body.provinces).toEqual([{ code: "30", name: "Tỉnh Hải Dương" }]);
    expect(codes(province.body)).toEqual(
      expect.arrayContaining(communesOfProvince("30", "2023-12-14").map((c) => c.code)),
    );
    // A search never reaches outside the token's scope.
    expect((await units("province-30", { year: "2023", q: "ha noi" })).body).toMatchObject({
      provinces: [],
      communes: [],
      total: 0,
      complete: true,
    });
  });

  it("gzips a sizeable answer for a caller that takes gzip, and only then", async () => {
    const plain = await units("province-30", { year: "2023", limit: "500" });
    expect(plain.result.isBase64Encoded).toBeFalsy();
    expect(plain.headers.vary).toBe("accept-encoding");
    const zipped = await units(
      "province-30",
      { year: "2023", limit: "500" },
      { "accept-encoding": "gzip, br" },
    );
    expect(zipped.result.isBase64Encoded).toBe(true);
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.body).toEqual(plain.body);
    expect((zipped.result.body ?? "").length).toBeLessThan((plain.result.body ?? "").length / 3);
    const refused = await units(
      "province-30",
      { year: "2023", limit: "500" },
      { "accept-encoding": "gzip;q=0" },
    );
    expect(refused.result.isBase64Encoded).toBeFalsy();
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
    expect((await units("province-30", { year: "2023", limit: "0" })).status).toBe(400);
    expect((await units("province-30", { year: "2023", limit: "501" })).status).toBe(400);
    expect((await units("province-30", { year: "2023", q: "x".repeat(101) })).status).toBe(400);
  });
});
