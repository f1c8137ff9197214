/**
 * The first invocation of each function's bundle, as AWS would make it: the event, and the status the
 * answer must have. Shared by the bundle test (test/infra/bundles.test.ts), which makes these calls
 * against DynamoDB Local and s3rver so that a bundling mistake (a data file left out, a dynamic
 * require) fails CI, and by `npm run bench:cold`, which times them.
 *
 * Each call touches what a real first request touches: the unit registry's data file (intake, dvcqg,
 * links, dispatcher, worker), the renderers (worker), the SDK clients. A function of the CDK app with
 * no entry here (one added since) gets `importOnly`: its bundle is loaded and must export `handler`.
 */
import { randomUUID } from "node:crypto";
import { signPayload } from "../shared/intake/signature";
import { DEMO_READER_TOKEN, DEMO_SOURCE } from "../shared/intake/sources";

export interface FirstCall {
  /** What the call shows, for the test's name and the bench's table. */
  what: string;
  event: unknown;
  /** The answer's `statusCode` (HTTP functions), or a check of a non-HTTP answer. */
  expect: { statusCode: number } | { batchItemFailures: 0 } | { returns: "object" };
}

export interface FirstInvocation {
  /** Variables the function's construct sets (table, bucket, queue), beyond the local endpoints. */
  env: Record<string, string>;
  calls: FirstCall[];
}

export interface StackNames {
  tableName: string;
  bucketName: string;
}

function httpEvent(
  routeKey: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string; query?: Record<string, string> } = {},
) {
  const [method] = routeKey.split(" ");
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(init.query ?? {}).toString(),
    headers: init.headers ?? {},
    ...(init.query ? { queryStringParameters: init.query } : {}),
    ...(path.startsWith("/v1/sources/") ? { pathParameters: { sourceId: path.split("/")[3] } } : {}),
    ...(init.body !== undefined ? { body: init.body, isBase64Encoded: false } : {}),
    requestContext: {
      requestId: randomUUID(),
      routeKey,
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "bench" },
    },
  };
}

function signedEvents(): FirstCall {
  const body = JSON.stringify({
    events: [
      {
        id: `first-${randomUUID()}`,
        type: "dossier.received",
        dossierCode: `FIRST-${randomUUID()}`,
        occurredAt: "2023-03-02T08:15:00+07:00",
        communeCode: "10621",
        fieldCode: "HT",
        fieldName: "Hộ tịch",
        procedureCode: "1.001193",
        procedureName: "Thủ tục đăng ký khai sinh",
        channel: "online",
        dueAt: "2023-03-03T17:00:00+07:00",
      },
    ],
  });
  const headers = {
    "content-type": "application/json",
    ...signPayload({ secret: DEMO_SOURCE.secrets[0]!, id: randomUUID(), body }),
  };
  return {
    what: "one signed event of xã Quốc Tuấn",
    event: httpEvent("POST /v1/sources/{sourceId}/events", "/v1/sources/demo/events", { headers, body }),
    expect: { statusCode: 200 },
  };
}

const bearer = { authorization: `Bearer ${DEMO_READER_TOKEN}` };

/** Keyed by the entry of the function (infra/constructs/*.ts). */
export function firstInvocations(names: StackNames): Record<string, FirstInvocation> {
  const table = { TABLE_NAME: names.tableName };
  return {
    "functions/intake/handler.ts": { env: table, calls: [signedEvents()] },
    "functions/dvcqg/handler.ts": {
      env: table,
      calls: [
        {
          what: "a DVCQG log-in",
          event: httpEvent("POST /v1/sources/{sourceId}/dvcqg/auth", "/v1/sources/demo/dvcqg/auth", {
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              username: DEMO_SOURCE.dvcqg!.username,
              password: DEMO_SOURCE.dvcqg!.password,
            }),
          }),
          expect: { statusCode: 200 },
        },
      ],
    },
    "functions/meta/handler.ts": {
      env: { ...table, BUCKET_NAME: names.bucketName },
      calls: [
        { what: "GET /health", event: httpEvent("GET /health", "/health"), expect: { statusCode: 200 } },
        {
          what: "GET /v1/openapi.json",
          event: httpEvent("GET /v1/openapi.json", "/v1/openapi.json"),
          expect: { statusCode: 200 },
        },
      ],
    },
    "functions/links/handler.ts": {
      env: { ...table, BUCKET_NAME: names.bucketName },
      calls: [
        {
          what: "GET /v1/units (the portal's sign-in)",
          event: httpEvent("GET /v1/units", "/v1/units", { headers: bearer, query: { year: "2023" } }),
          expect: { statusCode: 200 },
        },
        {
          what: "GET /v1/figures of a commune",
          event: httpEvent("GET /v1/figures", "/v1/figures", {
            headers: bearer,
            query: { communeCode: "10621", year: "2023" },
          }),
          expect: { statusCode: 200 },
        },
        {
          what: "POST /v1/reports (renders Word and Excel)",
          event: httpEvent("POST /v1/reports", "/v1/reports", {
            headers: { ...bearer, "content-type": "application/json" },
            body: JSON.stringify({ communeCode: "10621", year: 2023 }),
          }),
          expect: { statusCode: 200 },
        },
      ],
    },
    "functions/people/handler.ts": {
      env: table,
      calls: [
        {
          // No OIDC_ISSUER here: an access code is no person, so /v1/me refuses it after reading it.
          what: "GET /v1/me with an access code",
          event: httpEvent("GET /v1/me", "/v1/me", { headers: bearer }),
          expect: { statusCode: 403 },
        },
      ],
    },
    "functions/editions/handler.ts": {
      env: { ...table, BUCKET_NAME: names.bucketName },
      calls: [
        {
          what: "GET /v1/editions as Excel (renders a workbook)",
          event: httpEvent("GET /v1/editions", "/v1/editions", {
            headers: bearer,
            query: { provinceCode: "30", year: "2023", format: "xlsx" },
          }),
          expect: { statusCode: 200 },
        },
        {
          what: "GET /v1/editions/bundle (zips the issued reports)",
          event: httpEvent("GET /v1/editions/bundle", "/v1/editions/bundle", {
            headers: bearer,
            query: { provinceCode: "30", year: "2023" },
          }),
          expect: { statusCode: 200 },
        },
      ],
    },
    "functions/reports/dispatcher.ts": {
      // No commune of the province has data: nothing is sent (no SQS stand-in locally).
      env: { ...table, REPORT_QUEUE_URL: "http://127.0.0.1:1/no-queue" },
      calls: [
        {
          what: "a closed-year run of one province",
          event: { schedule: "closed-year", scheduledTime: "2024-12-15T01:00:00+07:00", provinces: ["89"] },
          expect: { returns: "object" },
        },
      ],
    },
    "functions/reports/worker.ts": {
      env: { ...table, BUCKET_NAME: names.bucketName },
      calls: [
        {
          what: "one commune report job (renders Word and Excel)",
          event: {
            Records: [
              {
                messageId: randomUUID(),
                body: JSON.stringify({
                  type: "commune",
                  communeCode: "10621",
                  period: { kind: "year", year: 2023 },
                  runId: "first-invocation",
                }),
                attributes: { ApproximateReceiveCount: "1" },
                eventSource: "aws:sqs",
              },
            ],
          },
          expect: { batchItemFailures: 0 },
        },
      ],
    },
  };
}
