import { Logger } from "@aws-lambda-powertools/logger";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { createLinksHandler } from "../../functions/links/handler";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { DynamoTokenStore, hashToken, seedDemoReaderToken } from "../../shared/adapters/dynamo/token-store";
import { S3ReportStore } from "../../shared/adapters/s3/report-store";
import { ingestBatch } from "../../shared/intake/intake";
import { DEMO_READER_TOKEN } from "../../shared/intake/sources";
import { createAuthenticator } from "../../shared/people/authenticate";
import type { CommuneReport, ProvinceReport } from "../../shared/reports/model";
import { communesOfProvince } from "../../shared/units/registry";
import { createTestBucket, createTestTable, type TestTable } from "../support/aws";
import { dossierEvent, received } from "../support/events";

// One clock for the whole file: the handler's `now` and every expiry below derive from it, so a
// slow setup on a loaded machine cannot turn the "expired" token valid again.
const NOW = new Date();
const DAY_MS = 86_400_000;
let table: TestTable;
let handler: ReturnType<typeof createLinksHandler>;
const haiPhongCommune = communesOfProvince("31", "2023-12-14")[0]!.code;

beforeAll(async () => {
  table = await createTestTable("links");
  const bucket = await createTestBucket("links");
  const tokens = new DynamoTokenStore(table.client, table.tableName);
  await seedDemoReaderToken(table.client, table.tableName);
  await tokens.put("province-30", { scope: { provinces: ["30"] } });
  await tokens.put("commune-10621", { scope: { communes: ["10621"] } });
  await tokens.put("expired", {
    scope: { provinces: ["*"] },
    // Relative to the handler's clock (NOW), not to when this runs: a loaded machine may take seconds.
    expiresAt: new Date(NOW.getTime() - 1000).toISOString(),
  });
  await tokens.put("later", {
    scope: { provinces: ["*"] },
    expiresAt: new Date(NOW.getTime() + DAY_MS).toISOString(),
  });

  const store = new DynamoSubjectStore(table.client, table.tableName);
  const units = { communeExists: () => true, provinceOf: () => "30" };
  await ingestBatch(
    { id: "demo" },
    [
      received("2023-03-01T08:00:00+07:00", { dueAt: "2023-03-02T17:00:00+07:00" }, "L1"),
      dossierEvent("dossier.resolved", "2023-03-01T15:00:00+07:00", {}, "L1"),
      received(
        "2023-04-01T08:00:00+07:00",
        { channel: "direct", fieldCode: "CT", fieldName: "Chứng thực" },
        "L2",
      ),
    ],
    { store, units },
  );
  // A broken aggregate in another province: received online, neither resolved nor pending.
  await table.client.send(
    new PutItemCommand({
      TableName: table.tableName,
      Item: marshall({ pk: `A#${haiPhongCommune}`, sk: "2023-05#HT", rcv: 1, rcvOnline: 1, dgFull: 1 }),
    }),
  );

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

function request(
  method: "GET" | "POST",
  options: { token?: string; authorization?: string; body?: unknown; query?: Record<string, string> },
): Promise<APIGatewayProxyStructuredResultV2> {
  const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
  const event = {
    version: "2.0",
    routeKey: `${method} /v1/reports`,
    rawPath: "/v1/reports",
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { ...(authorization ? { authorization } : {}), "content-type": "application/json" },
    queryStringParameters: options.query,
    requestContext: { http: { method, path: "/v1/reports" } },
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  return handler(event);
}

const json = (response: APIGatewayProxyStructuredResultV2) => JSON.parse(response.body as string);
const quocTuan2023 = { communeCode: "10621", year: 2023 };

describe("reader tokens", () => {
  it("are stored hashed: the table holds the SHA-256 of the token, never the token", async () => {
    const { GetItemCommand } = await import("@aws-sdk/client-dynamodb");
    const item = await table.client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: marshall({ pk: `T#${hashToken(DEMO_READER_TOKEN)}`, sk: "TOKEN" }),
      }),
    );
    expect(item.Item).toBeDefined();
    expect(JSON.stringify(item.Item)).not.toContain(DEMO_READER_TOKEN);
  });
});

describe("POST and GET /v1/reports: authentication (401)", () => {
  it.each([
    ["no Authorization header", {}],
    ["another scheme", { authorization: "Basic ZGVtbzpkZW1v" }],
    ["an unknown token", { token: "not-a-token" }],
    ["an expired token", { token: "expired" }],
  ])("refuses %s with 401 unauthorized", async (_, options) => {
    for (const method of ["GET", "POST"] as const) {
      const response = await request(method, {
        ...options,
        body: quocTuan2023,
        query: { communeCode: "10621", year: "2023" },
      });
      expect(response.statusCode).toBe(401);
      expect(json(response).error.code).toBe("unauthorized");
      expect(response.headers?.["www-authenticate"]).toMatch(/^Bearer/);
    }
  });
});

describe("POST and GET /v1/reports: input (400)", () => {
  it.each([
    ["no year", { communeCode: "10621" }],
    ["both a commune and a province", { communeCode: "10621", provinceCode: "30", year: 2023 }],
    ["neither a commune nor a province", { year: 2023 }],
    ["a malformed commune code", { communeCode: "1062", year: 2023 }],
    ["links valid longer than 7 days", { ...quocTuan2023, expiresIn: 604_801 }],
    ["a quarter without its number", { ...quocTuan2023, period: "quarter" }],
    ["an unknown field", { ...quocTuan2023, format: "pdf" }],
  ])("refuses a body with %s", async (_, body) => {
    const response = await request("POST", { token: DEMO_READER_TOKEN, body });
    expect(response.statusCode).toBe(400);
    expect(json(response).error.code).toBe("invalid_body");
  });

  it("refuses a period that has not started yet", async () => {
    const response = await request("POST", {
      token: DEMO_READER_TOKEN,
      body: { communeCode: "10621", year: 2099 },
    });
    expect(response.statusCode).toBe(400);
    expect(json(response).error.message).toMatch(/has not started yet: it starts on 2098-12-15/);
  });

  it("refuses a body that is not JSON and a query whose year is not a number", async () => {
    expect((await request("POST", { token: DEMO_READER_TOKEN, body: "{" })).statusCode).toBe(400);
    const response = await request("GET", {
      token: DEMO_READER_TOKEN,
      query: { communeCode: "10621", year: "20x3" },
    });
    expect(response.statusCode).toBe(400);
    expect(json(response).error.path).toBe("year");
  });
});

describe("POST and GET /v1/reports: scope (403) and existence (404)", () => {
  it("answers 404 report_not_found before a report was built, and for a commune the registry does not know", async () => {
    const before = await request("GET", {
      token: DEMO_READER_TOKEN,
      query: { communeCode: "10630", year: "2023" },
    });
    expect(before.statusCode).toBe(404);
    expect(json(before).error.code).toBe("report_not_found");
    const unknown = await request("POST", {
      token: DEMO_READER_TOKEN,
      body: { communeCode: "99999", year: 2023 },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it("forbids a commune outside the token's communes, and outside its province", async () => {
    const other = await request("POST", {
      token: "commune-10621",
      body: { communeCode: "10618", year: 2023 },
    });
    expect(other.statusCode).toBe(403);
    expect(json(other).error.code).toBe("forbidden");
    const otherProvince = await request("GET", {
      token: "province-30",
      query: { communeCode: haiPhongCommune, year: "2023" },
    });
    expect(otherProvince.statusCode).toBe(403);
  });

  it("forbids a province roll-up to a token scoped to communes", async () => {
    const response = await request("POST", {
      token: "commune-10621",
      body: { provinceCode: "30", year: 2023 },
    });
    expect(response.statusCode).toBe(403);
  });
});

describe("POST and GET /v1/reports: building and links (200)", () => {
  it("builds a commune's report for a token of its province and answers three presigned links", async () => {
    const response = await request("POST", { token: "province-30", body: quocTuan2023 });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.["cache-control"]).toBe("no-store");
    const { reports } = json(response) as { reports: { format: string; url: string; expiresAt: string }[] };
    expect(reports.map((r) => r.format)).toEqual(["json", "xlsx", "docx"]);
    const report = (await (await fetch(reports[0]!.url)).json()) as CommuneReport;
    expect(report).toMatchObject({
      schema: "report.v1",
      unit: { communeCode: "10621", communeName: "Xã Quốc Tuấn", provinceCode: "30" },
      period: { year: 2023, from: "2022-12-15", to: "2023-12-14" },
    });
    expect(report.dossiers.total.received).toEqual({
      total: 2,
      online: 1,
      directOrPostal: 1,
      carriedOver: 0,
    });
    for (const link of reports.slice(1)) {
      const file = await fetch(link.url);
      expect(file.status).toBe(200);
      expect(
        Buffer.from(await file.arrayBuffer())
          .subarray(0, 2)
          .toString(),
      ).toBe("PK"); // a zip: xlsx, docx
    }
  });

  it("gives the links of the last build to a token of that commune, valid 15 minutes by default", async () => {
    const response = await request("GET", {
      token: "commune-10621",
      query: { communeCode: "10621", year: "2023" },
    });
    expect(response.statusCode).toBe(200);
    const { reports } = json(response);
    for (const link of reports) {
      expect(link.expiresAt).toBe(new Date(NOW.getTime() + 900_000).toISOString());
      expect(new URL(link.url).searchParams.get("X-Amz-Expires")).toBe("900");
    }
  });

  it("signs links for the lifetime asked, up to 7 days", async () => {
    const response = await request("GET", {
      token: "later",
      query: { communeCode: "10621", year: "2023", expiresIn: "604800" },
    });
    const [link] = json(response).reports;
    expect(link.expiresAt).toBe(new Date(NOW.getTime() + 604_800_000).toISOString());
    expect(new URL(link.url).searchParams.get("X-Amz-Expires")).toBe("604800");
  });

  it("builds other periods under their own keys", async () => {
    const response = await request("POST", {
      token: DEMO_READER_TOKEN,
      body: { ...quocTuan2023, period: "quarter", quarter: 2 },
    });
    expect(response.statusCode).toBe(200);
    const [jsonLink] = json(response).reports;
    expect(new URL(jsonLink.url).pathname).toMatch(/reports\/2023\/30\/10621\/q2\.json$/);
    const report = (await (await fetch(jsonLink.url)).json()) as CommuneReport;
    expect(report.period).toMatchObject({
      kind: "quarter",
      quarter: 2,
      from: "2023-03-15",
      to: "2023-06-14",
    });
  });

  it("builds a province roll-up (JSON and Excel) for a token of that province", async () => {
    const response = await request("POST", {
      token: "province-30",
      body: { provinceCode: "30", year: 2023 },
    });
    expect(response.statusCode).toBe(200);
    const { reports } = json(response);
    expect(reports.map((r: { format: string }) => r.format)).toEqual(["json", "xlsx"]);
    const rollUp = (await (await fetch(reports[0].url)).json()) as ProvinceReport;
    expect(rollUp.schema).toBe("province-report.v1");
    expect(rollUp.communes.length).toBe(communesOfProvince("30", "2023-12-14").length);
    expect(rollUp.communes.find((c) => c.communeCode === "10621")?.received.total).toBe(2);
  });

  it("does not publish a report that breaks an identity: 500, and nothing to download", async () => {
    const response = await request("POST", {
      token: DEMO_READER_TOKEN,
      body: { communeCode: haiPhongCommune, year: 2023 },
    });
    expect(response.statusCode).toBe(500);
    expect(json(response).error.message).toMatch(/received total = resolved total \+ pending total/);
    const links = await request("GET", {
      token: DEMO_READER_TOKEN,
      query: { communeCode: haiPhongCommune, year: "2023" },
    });
    expect(links.statusCode).toBe(404);
  });

  it("answers figures that break an identity as a report does: 500 with the violations, nothing served", async () => {
    const response = await handler({
      version: "2.0",
      routeKey: "GET /v1/figures",
      rawPath: "/v1/figures",
      rawQueryString: `communeCode=${haiPhongCommune}&year=2023`,
      headers: { authorization: `Bearer ${DEMO_READER_TOKEN}` },
      queryStringParameters: { communeCode: haiPhongCommune, year: "2023" },
      requestContext: { http: { method: "GET", path: "/v1/figures" } },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2);
    expect(response.statusCode).toBe(500);
    const { error } = json(response);
    expect(error.code).toBe("internal_error");
    expect(error.violations).toContainEqual(
      expect.stringMatching(/received total = resolved total \+ pending total/),
    );
  });
});
