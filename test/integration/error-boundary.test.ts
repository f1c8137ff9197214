/**
 * The error boundary of every function (functions/runtime.ts), proved on the modules' exported
 * handlers, the middy chains Lambda invokes, built from the environment as in AWS. Failures are real
 * where they can be (an endpoint on a closed port, a broken configuration) and injected into the SDK
 * only where DynamoDB Local or Secrets Manager cannot produce them (throttling, a Secrets Manager error).
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { UnexpectedBatchTypeError } from "@aws-lambda-powertools/batch";
import { GetParameterError } from "@aws-lambda-powertools/parameters/errors";
import {
  DynamoDBClient,
  QueryCommand,
  ThrottlingException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { InternalServiceError, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  SQSEvent,
} from "aws-lambda";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { seedDemoReaderToken } from "../../shared/adapters/dynamo/token-store";
import { answerForError } from "../../shared/api/errors";
import { ContractError } from "../../shared/api/http";
import { signPayload } from "../../shared/intake/signature";
import { DEMO_READER_TOKEN, DEMO_SOURCE } from "../../shared/intake/sources";
import { createTestBucket, createTestTable, type TestTable } from "../support/aws";
import { received } from "../support/events";

let table: TestTable;
let bucketName: string;
let closedEndpoint: string;
const savedEnv = { ...process.env };

/** A port that was free a moment ago and that nothing listens on: connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  table = await createTestTable("boundary", { setEnv: false });
  bucketName = (await createTestBucket("boundary", { setEnv: false })).bucketName;
  await seedDemoReaderToken(table.client, table.tableName);
  closedEndpoint = `http://127.0.0.1:${await closedPort()}`;
});

/** Each test builds its handler module afresh (`build()` runs once per module), from this environment. */
function setEnv(env: Record<string, string | undefined>): void {
  for (const key of ["SOURCES_JSON", "SOURCES_FILE", "SOURCES_SECRET_ARN", "LOCAL_DEFAULTS"]) {
    delete process.env[key];
  }
  Object.assign(process.env, { TABLE_NAME: table.tableName, BUCKET_NAME: bucketName }, env);
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
}

let logLines: string[];
beforeEach(() => {
  vi.resetModules();
  logLines = [];
  // Powertools' logger writes JSON lines to stdout / stderr.
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation((chunk: unknown, ...rest: unknown[]) => {
      const text = String(chunk);
      if (text.startsWith("{")) logLines.push(text);
      else return write(chunk as string, ...(rest as []));
      return true;
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

function lambdaContext(name: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:ap-southeast-1:000000000000:function:${name}`,
    memoryLimitInMB: "1024",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: "test",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function httpEvent(
  routeKey: string,
  init: {
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    pathParameters?: Record<string, string>;
  },
): APIGatewayProxyEventV2 {
  const [method = "GET", template = "/"] = routeKey.split(" ");
  const path = init.path ?? template;
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: "",
    headers: init.headers ?? {},
    ...(init.pathParameters ? { pathParameters: init.pathParameters } : {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      routeKey,
      http: { method, path },
    } as unknown as APIGatewayProxyEventV2["requestContext"],
  };
}

function signedIntake(events: unknown[]): APIGatewayProxyEventV2 {
  const body = JSON.stringify({ events });
  const headers = signPayload({ secret: DEMO_SOURCE.secrets[0]!, id: randomUUID(), body });
  return httpEvent("POST /v1/sources/{sourceId}/events", {
    path: "/v1/sources/demo/events",
    pathParameters: { sourceId: "demo" },
    headers: { ...headers, "content-type": "application/json" },
    body,
  });
}

type HttpModule = {
  handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
};
const intakeModule = () => import("../../functions/intake/handler") as Promise<HttpModule>;
const linksModule = () => import("../../functions/links/handler") as Promise<HttpModule>;
const metaModule = () => import("../../functions/meta/handler") as Promise<HttpModule>;
const dvcqgModule = () => import("../../functions/dvcqg/handler") as Promise<HttpModule>;

const errorLogs = () => logLines.filter((line) => JSON.parse(line).level === "ERROR");

/**
 * The contract's error shape, with the invocation's request id, and nothing of the failure's
 * internals: no stack, no message of the error, no file names. Logged exactly once, with the stack.
 */
function expectBoundaryAnswer(
  response: APIGatewayProxyStructuredResultV2,
  context: Context,
  expected: { status: 500 | 503; code: string; internals: string },
): void {
  expect(response.statusCode).toBe(expected.status);
  expect(response.headers?.["content-type"]).toMatch(/^application\/json/);
  const body = JSON.parse(response.body ?? "{}");
  expect(body).toEqual({
    error: { code: expected.code, message: expect.any(String), requestId: context.awsRequestId },
  });
  if (expected.status === 503) expect(response.headers?.["retry-after"]).toBe("1");
  else expect(response.headers).not.toHaveProperty("retry-after");
  expect(response.body).not.toContain(expected.internals);
  expect(response.body).not.toMatch(/\bat .+\(|\.ts:\d+|node_modules|Error:/);

  const logged = errorLogs();
  expect(logged).toHaveLength(1);
  const entry = JSON.parse(logged[0]!);
  expect(entry.function_request_id).toBe(context.awsRequestId);
  expect(JSON.stringify(entry)).toContain(expected.internals);
  expect(entry.error.stack).toEqual(expect.any(String));
}

describe("the intake function's boundary", () => {
  it("answers 503 service_unavailable with Retry-After when DynamoDB keeps throttling, and commits nothing", async () => {
    setEnv({ LOCAL_DEFAULTS: "1" });
    const realSend = DynamoDBClient.prototype.send;
    vi.spyOn(DynamoDBClient.prototype, "send").mockImplementation(function (
      this: DynamoDBClient,
      command: unknown,
      ...rest: unknown[]
    ) {
      if (command instanceof TransactWriteItemsCommand) {
        return Promise.reject(
          new ThrottlingException({ message: "Rate exceeded (injected)", $metadata: {} }),
        );
      }
      return (realSend as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
    } as typeof realSend);
    const { handler } = await intakeModule();
    const context = lambdaContext("intake");

    const response = await handler(
      signedIntake([received("2023-03-01T08:00:00+07:00", {}, "throttled")]),
      context,
    );

    expectBoundaryAnswer(response, context, {
      status: 503,
      code: "service_unavailable",
      internals: "StoreUnavailableError",
    });
    const stored = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "S#demo#D#throttled" } },
      }),
    );
    expect(stored.Items).toEqual([]);
  });

  it("answers 503 when Secrets Manager fails on a cold start, and reads the secret again on the next request", async () => {
    setEnv({ SOURCES_SECRET_ARN: "arn:aws:secretsmanager:ap-southeast-1:000000000000:secret:sources" });
    const send = vi
      .spyOn(SecretsManagerClient.prototype, "send")
      .mockRejectedValueOnce(
        new InternalServiceError({ message: "injected Secrets Manager failure", $metadata: {} }),
      )
      .mockResolvedValue({ SecretString: JSON.stringify([DEMO_SOURCE]), $metadata: {} } as never);
    const { handler } = await intakeModule();
    const context = lambdaContext("intake");

    const response = await handler(signedIntake([received("2023-03-01T08:00:00+07:00", {}, "sm")]), context);
    expectBoundaryAnswer(response, context, {
      status: 503,
      code: "service_unavailable",
      internals: "injected Secrets Manager failure",
    });

    const retried = await handler(
      signedIntake([received("2023-03-01T08:00:00+07:00", {}, "sm")]),
      lambdaContext("intake"),
    );
    expect(retried.statusCode).toBe(200);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("answers 500 internal_error with a request id when the source configuration is broken", async () => {
    setEnv({ SOURCES_JSON: '[{"id": "broken", "secrets": ["not a whsec secret"]}]' });
    const { handler } = await intakeModule();
    const context = lambdaContext("intake");

    const response = await handler(signedIntake([received("2023-03-01T08:00:00+07:00")]), context);

    expectBoundaryAnswer(response, context, {
      status: 500,
      code: "internal_error",
      internals: "invalid sources configuration",
    });
  });
});

function dvcqgLogin(): APIGatewayProxyEventV2 {
  return httpEvent("POST /v1/sources/{sourceId}/dvcqg/auth", {
    path: "/v1/sources/demo/dvcqg/auth",
    pathParameters: { sourceId: "demo" },
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "demo", password: DEMO_SOURCE.dvcqg!.password }),
  });
}

/** The boundary's answer in the national portal's shape (docs/dvcqg.md): error_code and message. */
function expectDvcqgBoundaryAnswer(
  response: APIGatewayProxyStructuredResultV2,
  context: Context,
  expected: { status: 500 | 503; errorCode: number; internals: string },
): void {
  expect(response.statusCode).toBe(expected.status);
  expect(response.headers?.["content-type"]).toMatch(/^application\/json/);
  expect(JSON.parse(response.body ?? "{}")).toEqual({
    error_code: expected.errorCode,
    message: expect.any(String),
    requestId: context.awsRequestId,
  });
  if (expected.status === 503) expect(response.headers?.["retry-after"]).toBe("1");
  expect(response.body).not.toContain(expected.internals);
  expect(errorLogs()).toHaveLength(1);
}

describe("the DVCQG function's boundary", () => {
  it("answers 503 with error_code 5 and Retry-After when DynamoDB is unreachable", async () => {
    setEnv({ LOCAL_DEFAULTS: "1", DYNAMODB_ENDPOINT: closedEndpoint });
    const { handler } = await dvcqgModule();
    const context = lambdaContext("dvcqg");

    const response = await handler(dvcqgLogin(), context);

    expectDvcqgBoundaryAnswer(response, context, {
      status: 503,
      errorCode: 5,
      internals: "ECONNREFUSED",
    });
  });

  it("answers 500 with error_code 99 and a request id when the source configuration is broken", async () => {
    setEnv({ SOURCES_JSON: '[{"id": "broken", "secrets": ["not a whsec secret"]}]' });
    const { handler } = await dvcqgModule();
    const context = lambdaContext("dvcqg");

    const response = await handler(dvcqgLogin(), context);

    expectDvcqgBoundaryAnswer(response, context, {
      status: 500,
      errorCode: 99,
      internals: "invalid sources configuration",
    });
  });
});

describe("the intake function's trace annotation", () => {
  it("reads the commune of events not yet validated without failing on null (per-event rejection, not 500)", async () => {
    setEnv({ LOCAL_DEFAULTS: "1" });
    const { handler } = await intakeModule();

    const response = await handler(signedIntake([null, 7]), lambdaContext("intake"));

    expect(response.statusCode).toBe(422);
    expect(JSON.parse(response.body ?? "{}").results).toHaveLength(2);
    expect(errorLogs()).toEqual([]);
  });
});

describe("the links function's boundary", () => {
  const getReports = () =>
    httpEvent("GET /v1/reports", {
      headers: { authorization: `Bearer ${DEMO_READER_TOKEN}` },
    });

  it("answers 503 when S3 does not answer (its endpoint on a closed port)", async () => {
    setEnv({ S3_ENDPOINT: closedEndpoint });
    const { handler } = await linksModule();
    const context = lambdaContext("links");
    const event = getReports();
    event.rawQueryString = "communeCode=10621&year=2023";
    event.queryStringParameters = { communeCode: "10621", year: "2023" };

    const response = await handler(event, context);

    expectBoundaryAnswer(response, context, {
      status: 503,
      code: "service_unavailable",
      internals: "ECONNREFUSED",
    });
  });

  it("answers 503 when DynamoDB does not answer (the token look-up)", async () => {
    setEnv({ DYNAMODB_ENDPOINT: closedEndpoint });
    const { handler } = await linksModule();
    const context = lambdaContext("links");

    const response = await handler(getReports(), context);

    expectBoundaryAnswer(response, context, {
      status: 503,
      code: "service_unavailable",
      internals: "ECONNREFUSED",
    });
  });

  it("answers 500 with a request id when its configuration is missing (no BUCKET_NAME)", async () => {
    setEnv({ BUCKET_NAME: undefined });
    const { handler } = await linksModule();
    const context = lambdaContext("links");

    const response = await handler(getReports(), context);

    expectBoundaryAnswer(response, context, {
      status: 500,
      code: "internal_error",
      internals: "BUCKET_NAME is not set",
    });
  });
});

describe("the meta function's boundary", () => {
  it("answers 500 with a request id to an event it cannot read", async () => {
    setEnv({});
    const { handler } = await metaModule();
    const context = lambdaContext("meta");

    const response = await handler(null as unknown as APIGatewayProxyEventV2, context);

    expectBoundaryAnswer(response, context, { status: 500, code: "internal_error", internals: "TypeError" });
  });

  it("keeps its own health answer: 503 naming the failed checks, not the boundary's", async () => {
    setEnv({ DYNAMODB_ENDPOINT: closedEndpoint });
    const { handler } = await metaModule();

    const response = await handler(httpEvent("GET /health", {}), lambdaContext("meta"));

    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body ?? "{}")).toMatchObject({
      error: { code: "service_unavailable", checks: { dynamodb: "failed", s3: "ok" } },
    });
  });
});

describe("the report worker's and the dispatcher's boundary", () => {
  const job = (communeCode: string) =>
    JSON.stringify({
      type: "commune",
      communeCode,
      period: { kind: "year", year: 2023 },
      asOf: "2023-12-15",
      runId: "t",
    });
  const sqsEvent = (bodies: string[]): SQSEvent => ({
    Records: bodies.map((body, index) => ({
      messageId: `m${index}`,
      receiptHandle: "r",
      body,
      attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: "0",
        SenderId: "test",
        ApproximateFirstReceiveTimestamp: "0",
      },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:ap-southeast-1:000000000000:jobs",
      awsRegion: "ap-southeast-1",
    })),
  });
  type WorkerModule = {
    handler: (
      event: unknown,
      context: Context,
    ) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
  };

  it("worker: reports the jobs S3 refused as batch item failures, one log line each, without failing the invocation", async () => {
    setEnv({ S3_ENDPOINT: closedEndpoint });
    const { handler } = (await import("../../functions/reports/worker")) as unknown as WorkerModule;

    const response = await handler(sqsEvent([job("10621"), "not json"]), lambdaContext("worker"));

    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(["m0", "m1"]);
    const failures = errorLogs().map((line) => JSON.parse(line));
    expect(failures.map((entry) => entry.message)).toEqual(["report job failed", "report job failed"]);
    expect(failures.map((entry) => entry.messageId).sort()).toEqual(["m0", "m1"]);
  });

  it("worker: an event that is not an SQS batch is logged once and rethrown", async () => {
    setEnv({});
    const { handler } = (await import("../../functions/reports/worker")) as unknown as WorkerModule;

    await expect(handler({ detail: "an EventBridge event" }, lambdaContext("worker"))).rejects.toBeInstanceOf(
      UnexpectedBatchTypeError,
    );
    expect(errorLogs().map((line) => JSON.parse(line).message)).toEqual(["invocation failed"]);
  });

  it("dispatcher: a DynamoDB that does not answer is logged once and rethrown, for the schedule's retries", async () => {
    setEnv({ DYNAMODB_ENDPOINT: closedEndpoint, REPORT_QUEUE_URL: "http://127.0.0.1:1/queue/jobs" });
    const { handler } = (await import("../../functions/reports/dispatcher")) as unknown as {
      handler: (event: unknown, context: Context) => Promise<unknown>;
    };

    await expect(
      handler(
        { schedule: "closed-year", scheduledTime: "2023-12-14T18:00:00Z", provinces: ["30"] },
        lambdaContext("dispatcher"),
      ),
    ).rejects.toThrow(/ECONNREFUSED/);
    const logged = errorLogs().map((line) => JSON.parse(line));
    expect(logged.map((entry) => entry.message)).toEqual(["invocation failed"]);
    expect(logged[0].error.stack).toEqual(expect.any(String));
  });
});

describe("the log line of a refusal", () => {
  it("names the status and the code only: never the message nor the extra, which can carry names", async () => {
    // Refusals are logged at INFO (the tests' default level is WARN); the modules are reset before
    // each test, so the error class must be the one runtime.ts sees.
    setEnv({ POWERTOOLS_LOG_LEVEL: "INFO" });
    const { httpErrorBoundary } = await import("../../functions/runtime");
    const { ContractError } = await import("../../shared/api/http");
    const request = {
      event: {} as APIGatewayProxyEventV2,
      context: lambdaContext("editions"),
      response: undefined as APIGatewayProxyStructuredResultV2 | undefined,
      error: new ContractError(412, "edition_conflict", "the edition of Nguyễn Văn An changed", {
        current: { savedBy: "Nguyễn Văn An", texts: { summary: "an.nguyen@example.vn" } },
      }),
      internal: {},
    };
    // biome-ignore lint/suspicious/noExplicitAny: middy's request, built by hand
    await httpErrorBoundary().onError?.(request as any);
    expect(request.response?.statusCode).toBe(412);
    const refused = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.message === "refused");
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ statusCode: 412, code: "edition_conflict" });
    const text = JSON.stringify(refused);
    expect(text).not.toContain("Nguyễn Văn An");
    expect(text).not.toContain("an.nguyen@example.vn");
  });
});

describe("the one mapping (shared/api/errors.ts), also used by the local API", () => {
  it("answers a ContractError with its own status and code, and no request id", () => {
    const { kind, response } = answerForError(
      new ContractError(400, "invalid_body", "year must be a number", { path: "year" }),
      "req-1",
    );
    expect(kind).toBe("contract");
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? "")).toEqual({
      error: { code: "invalid_body", message: "year must be a number", path: "year" },
    });
  });

  it("follows causes: a Powertools GetParameterError around an SDK error is a dependency failure", () => {
    const sdkError = new InternalServiceError({ message: "boom", $metadata: {} });
    const wrapped = new GetParameterError("boom", { cause: sdkError });
    expect(answerForError(wrapped, "req-2").kind).toBe("dependency");
    expect(answerForError(new Error("boom"), "req-3").kind).toBe("internal");
  });
});
