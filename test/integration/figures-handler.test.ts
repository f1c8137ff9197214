import { Logger } from "@aws-lambda-powertools/logger";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregatesOf, relabel, writeAggregates } from "../../bench/aggregates";
import { generateCommuneYear } from "../../bench/realistic-year";
import { createLinksHandler } from "../../functions/links/handler";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { DynamoTokenStore, seedDemoReaderToken } from "../../shared/adapters/dynamo/token-store";
import { S3ReportStore } from "../../shared/adapters/s3/report-store";
import { DEMO_READER_TOKEN } from "../../shared/intake/sources";
import { createAuthenticator } from "../../shared/people/authenticate";
import type { CommuneFigures, ProvinceFigures } from "../../shared/reports/figures";
import type { MonthFigures } from "../../shared/reports/months";
import { communesOfProvince } from "../../shared/units/registry";
import { createTestBucket, createTestTable, type TestBucket } from "../support/aws";

// A fixed "now" after the 2023 reporting year, so that 2023 is a closed period.
const NOW = new Date("2024-03-01T03:00:00Z");
const PROVINCE = "30";
const COMMUNE = "10621";
let bucket: TestBucket;
let handler: ReturnType<typeof createLinksHandler>;
const otherCommunes = communesOfProvince(PROVINCE, "2023-12-14")
  .map((c) => c.code)
  .filter((code) => code !== COMMUNE)
  .slice(0, 2);

beforeAll(async () => {
  const table = await createTestTable("figures");
  bucket = await createTestBucket("figures");
  const tokens = new DynamoTokenStore(table.client, table.tableName);
  await seedDemoReaderToken(table.client, table.tableName);
  await tokens.put("province-30", { scope: { provinces: [PROVINCE] } });
  await tokens.put("commune-10621", { scope: { communes: [COMMUNE] } });
  await tokens.put("expired", {
    scope: { provinces: ["*"] },
    expiresAt: new Date(NOW.getTime() - 1000).toISOString(),
  });

  // A realistic year for the commune and two smaller ones for neighbours, as the intake stores them.
  const year = aggregatesOf(
    generateCommuneYear({ communeCode: COMMUNE, year: 2023, dossiers: 400, seed: 3 }),
  );
  await writeAggregates(table.client, table.tableName, year);
  const small = aggregatesOf(
    generateCommuneYear({ communeCode: "00000", year: 2023, dossiers: 120, seed: 4 }),
  );
  for (const code of otherCommunes)
    await writeAggregates(table.client, table.tableName, relabel(small, code));

  handler = createLinksHandler({
    reports: {
      aggregates: new DynamoAggregateReader(table.client, table.tableName),
      store: new S3ReportStore(bucket.s3, bucket.bucketName),
    },
    authenticator: createAuthenticator({ readerTokens: tokens }),
    logger: new Logger({ logLevel: "SILENT" }),
    now: () => NOW,
  });
});

function getFigures(
  query: Record<string, string>,
  options: { token?: string; authorization?: string } = { token: DEMO_READER_TOKEN },
): Promise<APIGatewayProxyStructuredResultV2> {
  const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
  const event = {
    version: "2.0",
    routeKey: "GET /v1/figures",
    rawPath: "/v1/figures",
    rawQueryString: new URLSearchParams(query).toString(),
    headers: authorization ? { authorization } : {},
    queryStringParameters: query,
    requestContext: { http: { method: "GET", path: "/v1/figures" } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  return handler(event);
}

const json = (response: APIGatewayProxyStructuredResultV2) => JSON.parse(response.body as string);

function expectMonthsAddUp(
  months: MonthFigures[],
  total: CommuneFigures["dossiers"]["total"] | ProvinceFigures["total"],
): void {
  const sum = (pick: (month: MonthFigures) => number) => months.reduce((acc, m) => acc + pick(m), 0);
  expect(sum((m) => m.received.online)).toBe(total.received.online);
  expect(sum((m) => m.received.directOrPostal)).toBe(total.received.directOrPostal);
  expect(sum((m) => m.resolved.early)).toBe(total.resolved.early);
  expect(sum((m) => m.resolved.onTime)).toBe(total.resolved.onTime);
  expect(sum((m) => m.resolved.late)).toBe(total.resolved.late);
  expect(months.at(-1)?.pendingAtEnd).toEqual({
    withinDeadline: total.pending.withinDeadline,
    overdue: total.pending.overdue,
  });
}

describe("GET /v1/figures: authentication (401) and scope (403)", () => {
  it.each([
    ["no Authorization header", {}],
    ["another scheme", { authorization: "Basic ZGVtbzpkZW1v" }],
    ["an unknown token", { token: "not-a-token" }],
    ["an expired token", { token: "expired" }],
  ])("refuses %s with 401 unauthorized and a Bearer challenge", async (_, options) => {
    const response = await getFigures({ communeCode: COMMUNE, year: "2023" }, options);
    expect(response.statusCode).toBe(401);
    expect(json(response).error.code).toBe("unauthorized");
    expect(response.headers?.["www-authenticate"]).toMatch(/^Bearer/);
  });

  it("forbids another commune to a commune token, and a province roll-up to it", async () => {
    const other = await getFigures(
      { communeCode: otherCommunes[0]!, year: "2023" },
      { token: "commune-10621" },
    );
    expect(other.statusCode).toBe(403);
    expect(json(other).error.code).toBe("forbidden");
    const rollUp = await getFigures({ provinceCode: PROVINCE, year: "2023" }, { token: "commune-10621" });
    expect(rollUp.statusCode).toBe(403);
  });

  it("forbids a commune of another province to a province token", async () => {
    const haiPhong = communesOfProvince("31", "2023-12-14")[0]!.code;
    const response = await getFigures({ communeCode: haiPhong, year: "2023" }, { token: "province-30" });
    expect(response.statusCode).toBe(403);
    expect(json(response).error.code).toBe("forbidden");
  });

  it("lets a province token read its communes and its roll-up, and a commune token its commune", async () => {
    for (const [query, token] of [
      [{ communeCode: COMMUNE, year: "2023" }, "commune-10621"],
      [{ communeCode: otherCommunes[0]!, year: "2023" }, "province-30"],
      [{ provinceCode: PROVINCE, year: "2023" }, "province-30"],
    ] as const) {
      expect((await getFigures(query, { token })).statusCode).toBe(200);
    }
  });
});

describe("GET /v1/figures: input (400) and unknown units (404)", () => {
  it.each([
    ["no year", { communeCode: COMMUNE }],
    ["a year that is not a number", { communeCode: COMMUNE, year: "20x3" }],
    ["both a commune and a province", { communeCode: COMMUNE, provinceCode: PROVINCE, year: "2023" }],
    ["neither a commune nor a province", { year: "2023" }],
    ["a malformed commune code", { communeCode: "1062", year: "2023" }],
    ["a quarter without its number", { communeCode: COMMUNE, year: "2023", period: "quarter" }],
    ["a month out of range", { communeCode: COMMUNE, year: "2023", period: "month", month: "13" }],
    ["an unknown period", { communeCode: COMMUNE, year: "2023", period: "decade" }],
    ["a link lifetime (figures have no links)", { communeCode: COMMUNE, year: "2023", expiresIn: "900" }],
    ["an unknown parameter", { communeCode: COMMUNE, year: "2023", format: "csv" }],
  ])("refuses %s with 400 invalid_body", async (_, query) => {
    const response = await getFigures(query);
    expect(response.statusCode).toBe(400);
    expect(json(response).error.code).toBe("invalid_body");
  });

  it("names the offending parameter in `path`", async () => {
    const response = await getFigures({ communeCode: COMMUNE, year: "2023", period: "month" });
    expect(json(response).error.path).toBe("month");
  });

  it("refuses a period that has not started yet with 400", async () => {
    const response = await getFigures({ communeCode: COMMUNE, year: "2025" });
    expect(response.statusCode).toBe(400);
    expect(json(response).error.message).toMatch(/has not started yet/);
  });

  it("answers 404 unit_not_found for a commune or a province the registry does not know", async () => {
    const queries: Record<string, string>[] = [
      { communeCode: "99999", year: "2023" },
      { provinceCode: "99", year: "2023" },
    ];
    for (const query of queries) {
      const response = await getFigures(query);
      expect(response.statusCode).toBe(404);
      expect(json(response).error.code).toBe("unit_not_found");
    }
  });
});

describe("GET /v1/figures: the report computed now, with its months (200)", () => {
  it("answers a commune's report.v1 with twelve months that add up to its totals, and stores nothing", async () => {
    const response = await getFigures({ communeCode: COMMUNE, year: "2023" });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.["cache-control"]).toBe("no-store");
    const figures = json(response) as CommuneFigures;
    expect(figures).toMatchObject({
      schema: "report.v1",
      unit: { communeCode: COMMUNE, communeName: "Xã Quốc Tuấn", provinceCode: PROVINCE },
      period: { year: 2023, from: "2022-12-15", to: "2023-12-14" },
      generatedAt: NOW.toISOString(),
    });
    expect(figures.period.asOf).toBeUndefined();
    expect(figures.dossiers.total.received.total).toBeGreaterThan(400);
    expect(figures.months.map((m) => m.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(figures.months[0]).toMatchObject({ year: 2023, month: 1, from: "2022-12-15", to: "2023-01-14" });
    expectMonthsAddUp(figures.months, figures.dossiers.total);
    const stored = await bucket.s3.send(new ListObjectsV2Command({ Bucket: bucket.bucketName }));
    expect(stored.KeyCount ?? 0).toBe(0);
  });

  it.each([
    [{ period: "six-months" }, [1, 2, 3, 4, 5, 6], "2023-06-14"],
    [{ period: "nine-months" }, [1, 2, 3, 4, 5, 6, 7, 8, 9], "2023-09-14"],
    [{ period: "quarter", quarter: "3" }, [7, 8, 9], "2023-09-14"],
    [{ period: "month", month: "5" }, [5], "2023-05-14"],
  ])(
    "answers the period %o with its months only, adding up to its totals",
    async (period, expectedMonths, to) => {
      const response = await getFigures({ communeCode: COMMUNE, year: "2023", ...period });
      expect(response.statusCode).toBe(200);
      const figures = json(response) as CommuneFigures;
      expect(figures.period).toMatchObject({ kind: period.period, to });
      expect(figures.months.map((m) => m.month)).toEqual(expectedMonths);
      expectMonthsAddUp(figures.months, figures.dossiers.total);
    },
  );

  it("answers a province roll-up whose months add up to the province total", async () => {
    const response = await getFigures({ provinceCode: PROVINCE, year: "2023" }, { token: "province-30" });
    expect(response.statusCode).toBe(200);
    const figures = json(response) as ProvinceFigures;
    expect(figures.schema).toBe("province-report.v1");
    expect(figures.communes.length).toBe(communesOfProvince(PROVINCE, "2023-12-14").length);
    const withData = figures.communes.filter((c) => c.received.total > 0).map((c) => c.communeCode);
    expect(withData.sort()).toEqual([COMMUNE, ...otherCommunes].sort());
    expect(figures.months).toHaveLength(12);
    expectMonthsAddUp(figures.months, figures.total);
  });

  it("equals the report POST /v1/reports stores, apart from the months", async () => {
    const figures = json(await getFigures({ communeCode: COMMUNE, year: "2023" })) as CommuneFigures;
    const built = await handler({
      version: "2.0",
      routeKey: "POST /v1/reports",
      rawPath: "/v1/reports",
      rawQueryString: "",
      headers: { authorization: `Bearer ${DEMO_READER_TOKEN}`, "content-type": "application/json" },
      requestContext: { http: { method: "POST", path: "/v1/reports" } },
      body: JSON.stringify({ communeCode: COMMUNE, year: 2023 }),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2);
    expect(built.statusCode).toBe(200);
    // The links are signed at the handler's fixed clock (long ago): read the stored object directly.
    const listed = await bucket.s3.send(new ListObjectsV2Command({ Bucket: bucket.bucketName }));
    const key = listed.Contents?.map((o) => o.Key!).find((k) => k.endsWith(`/${COMMUNE}/year.json`));
    expect(key).toBeDefined();
    const object = await bucket.s3.send(new GetObjectCommand({ Bucket: bucket.bucketName, Key: key }));
    const stored = JSON.parse(await object.Body!.transformToString());
    const { months, ...report } = figures;
    expect(months).toHaveLength(12);
    expect(report).toEqual(stored);
  });
});
