import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, NoSuchKey, PutObjectCommand } from "@aws-sdk/client-s3";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { type LocalApi, type LocalHandler, startLocalApi } from "../../local/http-server";
import { freePort, isPortClosed, startServices } from "../../local/services";
import { type LocalStack, startLocalStack, wipeDataDir } from "../../local/stack";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../../shared/adapters/aws-clients";
import type { FunctionName, RouteSpec } from "../../shared/api/routes";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface Seen {
  event: APIGatewayProxyEventV2;
  context: { awsRequestId: string; functionName: string; remaining: number };
}

/** A handler that answers with the event and context it received. */
function echoHandler(fn: string): LocalHandler {
  return async (event: APIGatewayProxyEventV2, context: Context) => ({
    statusCode: 200,
    headers: { "content-type": "application/json", "x-fn": fn },
    body: JSON.stringify({
      event,
      context: {
        awsRequestId: context.awsRequestId,
        functionName: context.functionName,
        remaining: context.getRemainingTimeInMillis(),
      },
    }),
  });
}

const echoHandlers = {
  intake: echoHandler("intake"),
  meta: echoHandler("meta"),
  links: echoHandler("links"),
};

function portOf(url: string): number {
  return Number(new URL(url).port);
}

describe("local HTTP API (API Gateway HTTP API, payload 2.0)", () => {
  let api: LocalApi;
  const logLines: string[] = [];
  const extraRoutes: RouteSpec[] = [
    { routeKey: "POST /v1/sources/{sourceId}/events", fn: "intake" },
    { routeKey: "GET /health", fn: "meta" },
    { routeKey: "GET /v1/reports", fn: "links" },
    { routeKey: "POST /v1/reports", fn: "links" },
    { routeKey: "GET /throws", fn: "meta" },
    { routeKey: "GET /plain", fn: "links" },
    { routeKey: "GET /binary", fn: "links" },
    { routeKey: "GET /files/{key+}", fn: "links" },
    { routeKey: "GET /v1/reports/latest", fn: "meta" },
    { routeKey: "GET /v1/reports/{reportId}", fn: "links" },
  ];

  beforeAll(async () => {
    const links = echoHandler("links");
    const meta = echoHandler("meta");
    api = await startLocalApi({
      port: 0,
      routes: extraRoutes,
      log: (line) => logLines.push(line),
      handlers: {
        intake: echoHandler("intake"),
        meta: async (event, context) => {
          if (event.rawPath === "/throws") throw new Error("boom from the handler");
          return meta(event, context);
        },
        links: async (event, context) => {
          if (event.rawPath === "/plain") return { ok: true, n: 1 };
          if (event.rawPath === "/binary") {
            return {
              statusCode: 201,
              headers: { "content-type": "application/octet-stream", "x-custom": "yes" },
              cookies: ["a=1; Path=/", "b=2; HttpOnly"],
              isBase64Encoded: true,
              body: Buffer.from([0, 1, 2, 253, 254, 255]).toString("base64"),
            };
          }
          return links(event, context);
        },
      },
    });
  });
  afterAll(async () => {
    await api.close();
  });

  it("builds the 2.0 event: route key, raw path, path parameters, query, headers, cookies, JSON body", async () => {
    const body = JSON.stringify({ events: [{ id: "e-1", note: "Hồ sơ" }] });
    const res = await fetch(`${api.url}/v1/sources/demo%20src/events?x=1&y=a%20b&x=2`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Webhook-Id": "msg_1",
        "X-Multi": "one",
        Cookie: "session=abc; theme=dark",
        "User-Agent": "vitest-agent",
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-fn")).toBe("intake");
    const { event, context } = (await res.json()) as Seen;
    expect(event.version).toBe("2.0");
    expect(event.routeKey).toBe("POST /v1/sources/{sourceId}/events");
    expect(event.rawPath).toBe("/v1/sources/demo%20src/events");
    expect(event.rawQueryString).toBe("x=1&y=a%20b&x=2");
    expect(event.pathParameters).toEqual({ sourceId: "demo src" });
    expect(event.queryStringParameters).toEqual({ x: "1,2", y: "a b" });
    expect(event.cookies).toEqual(["session=abc", "theme=dark"]);
    expect(event.headers["content-type"]).toBe("application/json");
    expect(event.headers["webhook-id"]).toBe("msg_1");
    expect(event.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    expect(event.headers.cookie).toBeUndefined();
    expect(Object.keys(event.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(event.body).toBe(body);
    expect(event.isBase64Encoded).toBe(false);
    const rc = event.requestContext;
    expect(rc).toMatchObject({
      accountId: "local",
      apiId: "local",
      domainName: new URL(api.url).host,
      routeKey: "POST /v1/sources/{sourceId}/events",
      stage: "$default",
      http: {
        method: "POST",
        path: "/v1/sources/demo%20src/events",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "vitest-agent",
      },
    });
    expect(rc.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("apigw-requestid")).toBe(rc.requestId);
    expect(rc.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(rc.timeEpoch - Date.now())).toBeLessThan(10_000);
    expect(context.functionName).toBe("onestop-intake-local");
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.remaining).toBeGreaterThan(25_000);
    expect(context.remaining).toBeLessThanOrEqual(30_000);
  });

  it("joins repeated request headers with commas, as API Gateway does", async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${api.url}/health`, {
        method: "GET",
        // An array value goes out as two header lines.
        headers: { "X-Multi": ["one", "two"], Accept: "application/json" },
      });
      req.on("response", (r) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c));
        r.on("end", () => resolve({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(res.status).toBe(200);
    const { event } = JSON.parse(res.body) as Seen;
    expect(event.headers["x-multi"]).toBe("one,two");
  });

  it("omits queryStringParameters, pathParameters, cookies and body when the request has none", async () => {
    const res = await fetch(`${api.url}/health`);
    const { event } = (await res.json()) as Seen;
    expect(event.routeKey).toBe("GET /health");
    expect(event.rawQueryString).toBe("");
    expect(event).not.toHaveProperty("queryStringParameters");
    expect(event).not.toHaveProperty("pathParameters");
    expect(event).not.toHaveProperty("cookies");
    expect(event).not.toHaveProperty("body");
    expect(event.isBase64Encoded).toBe(false);
  });

  it("passes a non-textual body base64-encoded with isBase64Encoded true", async () => {
    const bytes = Buffer.from([0, 159, 146, 150, 255, 10]);
    const res = await fetch(`${api.url}/v1/reports`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
    });
    const { event } = (await res.json()) as Seen;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, "base64").equals(bytes)).toBe(true);
  });

  it("passes text/*, +json and form bodies as UTF-8 text", async () => {
    for (const contentType of [
      "text/plain; charset=utf-8",
      "application/cloudevents+json",
      "application/x-www-form-urlencoded",
    ]) {
      const res = await fetch(`${api.url}/v1/reports`, {
        method: "POST",
        headers: { "content-type": contentType },
        body: "Xã Quốc Tuấn=1",
      });
      const { event } = (await res.json()) as Seen;
      expect(event.isBase64Encoded, contentType).toBe(false);
      expect(event.body, contentType).toBe("Xã Quốc Tuấn=1");
    }
  });

  it("prefers a literal route over a parameter and supports greedy {key+} parameters", async () => {
    const latest = await fetch(`${api.url}/v1/reports/latest`);
    expect(latest.headers.get("x-fn")).toBe("meta");
    const byId = await fetch(`${api.url}/v1/reports/r-42`);
    expect(((await byId.json()) as Seen).event.pathParameters).toEqual({ reportId: "r-42" });
    const greedy = await fetch(`${api.url}/files/2023/00001/bao%20cao.docx`);
    expect(((await greedy.json()) as Seen).event.pathParameters).toEqual({ key: "2023/00001/bao cao.docx" });
  });

  it("writes the handler's status, headers and cookies and decodes a base64 body", async () => {
    const res = await fetch(`${api.url}/binary`);
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("x-custom")).toBe("yes");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from([0, 1, 2, 253, 254, 255]))).toBe(true);
  });

  it("answers a non-structured handler result as 200 JSON, like API Gateway's format inference", async () => {
    const res = await fetch(`${api.url}/plain`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ ok: true, n: 1 });
  });

  it("answers 404 not_found for a path no route matches", async () => {
    const res = await fetch(`${api.url}/v2/nothing/here`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toContain("/v2/nothing/here");
  });

  it("answers 405 method_not_allowed with Allow for a known path and another method", async () => {
    const res = await fetch(`${api.url}/health`, { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
    const events = await fetch(`${api.url}/v1/sources/demo/events`);
    expect(events.status).toBe(405);
    expect(events.headers.get("allow")).toBe("POST");
  });

  it("answers 413 payload_too_large for a body over API Gateway's 10 MB cap, without calling the handler", async () => {
    const before = logLines.length;
    const res = await fetch(`${api.url}/v1/sources/demo/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    expect(logLines.slice(before).join("\n")).toMatch(/POST \/v1\/sources\/demo\/events 413/);
    const atLimit = await fetch(`${api.url}/v1/sources/demo/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Buffer.alloc(10 * 1024 * 1024, 0x20),
    });
    expect(atLimit.status).toBe(200);
  });

  it("answers 413 for a chunked body (no content-length) once it passes the cap", async () => {
    const small = await startLocalApi({ port: 0, handlers: echoHandlers, maxBodyBytes: 1024 });
    try {
      const chunks = [Buffer.alloc(800, 0x61), Buffer.alloc(800, 0x62)];
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const c of chunks) controller.enqueue(c);
          controller.close();
        },
      });
      const res = await fetch(`${small.url}/v1/reports`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(res.status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it("answers 500 internal_error when the handler throws, and logs the error", async () => {
    const before = logLines.length;
    const res = await fetch(`${api.url}/throws`);
    expect(res.status).toBe(500);
    // The functions' answer (shared/api/errors.ts): a request id, and nothing of the error.
    expect(await res.json()).toEqual({
      error: { code: "internal_error", message: expect.any(String), requestId: expect.any(String) },
    });
    const logged = logLines.slice(before).join("\n");
    expect(logged).toContain("boom from the handler");
    expect(logged).toMatch(/GET \/throws 500 \d+ms/);
  });

  it("logs a function that threw on a path holding an e-mail with the route, not the e-mail", async () => {
    const lines: string[] = [];
    const people = await startLocalApi({
      port: 0,
      log: (line) => lines.push(line),
      handlers: {
        people: () => {
          throw new Error("boom from people");
        },
      },
    });
    try {
      const res = await fetch(`${people.url}/v1/grants/an.nguyen%40x.vn`, { method: "DELETE" });
      expect(res.status).toBe(500);
    } finally {
      await people.close();
    }
    const logged = lines.join("\n");
    expect(logged).toContain("boom from people");
    expect(logged).toContain("/v1/grants/{email}");
    expect(logged).not.toMatch(/an\.nguyen/);
  });

  it("answers 500 internal_error for a route whose function has no handler", async () => {
    const partial = await startLocalApi({ port: 0, handlers: { meta: echoHandlers.meta } });
    try {
      const res = await fetch(`${partial.url}/v1/reports`);
      expect(res.status).toBe(500);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("internal_error");
    } finally {
      await partial.close();
    }
  });

  it("answers 503 integration_timeout when the handler outlives the integration timeout", async () => {
    const slow = await startLocalApi({
      port: 0,
      timeoutMs: 200,
      handlers: {
        meta: () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200 }), 1_000)),
      },
    });
    try {
      const res = await fetch(`${slow.url}/health`);
      expect(res.status).toBe(503);
    } finally {
      await slow.close();
    }
  });

  it("logs one line per request: method, path, status, duration", async () => {
    const before = logLines.length;
    await fetch(`${api.url}/health?verbose=1`);
    expect(logLines.slice(before)).toEqual([expect.stringMatching(/^GET \/health 200 \d+ms$/)]);
  });

  it("close() frees the port", async () => {
    const other = await startLocalApi({ port: 0, handlers: echoHandlers });
    const res = await fetch(`${other.url}/health`); // leaves a keep-alive connection open
    expect(res.status).toBe(200);
    await other.close();
    expect(await isPortClosed(portOf(other.url))).toBe(true);
  });
});

describe("startLocalStack", () => {
  const dirs: string[] = [];
  let stack: LocalStack | undefined;

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "onestop-stack-test-"));
    dirs.push(dir);
    return dir;
  }

  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("serves the given handlers over HTTP with DynamoDB Local and s3rver behind, and sets process.env", async () => {
    stack = await startLocalStack({ port: 0, handlers: echoHandlers });
    expect(stack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(process.env.DYNAMODB_ENDPOINT).toBe(stack.env.DYNAMODB_ENDPOINT);
    expect(process.env.S3_ENDPOINT).toBe(stack.env.S3_ENDPOINT);
    expect(process.env.TABLE_NAME).toBe("onestop-local");
    expect(process.env.BUCKET_NAME).toBe("onestop-reports-local");
    expect(process.env.AWS_REGION).toBe(stack.env.AWS_REGION);
    const res = await fetch(`${stack.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-fn")).toBe("meta");
    const dynamo = dynamoClientFromEnv({ ...stack.env });
    const s3 = s3ClientFromEnv({ ...stack.env });
    await dynamo.send(
      new PutItemCommand({ TableName: stack.env.TABLE_NAME, Item: { pk: { S: "p" }, sk: { S: "s" } } }),
    );
    await s3.send(new PutObjectCommand({ Bucket: stack.env.BUCKET_NAME, Key: "k", Body: Buffer.from("v") }));
    dynamo.destroy();
    s3.destroy();
  });

  it("stop() closes the HTTP, DynamoDB and S3 ports, removes its temporary data and restores process.env", async () => {
    const envBefore = process.env.TABLE_NAME;
    const started = await startLocalStack({ port: 0, handlers: echoHandlers, tableName: "restore-check" });
    expect(process.env.TABLE_NAME).toBe("restore-check");
    await fetch(`${started.url}/health`); // a keep-alive connection must not hold stop() up
    const ports = [
      portOf(started.url),
      portOf(started.env.DYNAMODB_ENDPOINT),
      portOf(started.env.S3_ENDPOINT),
    ];
    for (const port of ports) expect(await isPortClosed(port)).toBe(false);
    await started.stop();
    for (const port of ports) expect(await isPortClosed(port), `port ${port}`).toBe(true);
    await expect(fetch(`${started.url}/health`)).rejects.toThrow();
    await expect(readdir(started.dataDir)).rejects.toThrow(/ENOENT/);
    expect(process.env.TABLE_NAME).toBe(envBefore);
    if (process.platform !== "win32") {
      const processes = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
      expect(processes).not.toContain(`-port ${ports[1]}`);
    }
    await started.stop(); // idempotent
  });

  it("keeps table items and objects between two starts on the same dataDir, and fresh wipes them", async () => {
    const dataDir = await tempDir();
    const item = { pk: { S: "A#00001" }, sk: { S: "2023-01#HT" }, n: { N: "7" } };
    const body = Buffer.from([1, 2, 3, 4, 250]);

    stack = await startLocalStack({ port: 0, dataDir, handlers: echoHandlers });
    let dynamo = dynamoClientFromEnv({ ...stack.env });
    let s3 = s3ClientFromEnv({ ...stack.env });
    await dynamo.send(new PutItemCommand({ TableName: stack.env.TABLE_NAME, Item: item }));
    await s3.send(new PutObjectCommand({ Bucket: stack.env.BUCKET_NAME, Key: "r/1.bin", Body: body }));
    dynamo.destroy();
    s3.destroy();
    await stack.stop();

    stack = await startLocalStack({ port: 0, dataDir, handlers: echoHandlers });
    dynamo = dynamoClientFromEnv({ ...stack.env });
    s3 = s3ClientFromEnv({ ...stack.env });
    const kept = await dynamo.send(
      new GetItemCommand({ TableName: stack.env.TABLE_NAME, Key: { pk: item.pk, sk: item.sk } }),
    );
    expect(kept.Item).toEqual(item);
    const object = await s3.send(new GetObjectCommand({ Bucket: stack.env.BUCKET_NAME, Key: "r/1.bin" }));
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(body)).toBe(true);
    dynamo.destroy();
    s3.destroy();
    await stack.stop();

    stack = await startLocalStack({ port: 0, dataDir, fresh: true, handlers: echoHandlers });
    dynamo = dynamoClientFromEnv({ ...stack.env });
    s3 = s3ClientFromEnv({ ...stack.env });
    const wiped = await dynamo.send(
      new GetItemCommand({ TableName: stack.env.TABLE_NAME, Key: { pk: item.pk, sk: item.sk } }),
    );
    expect(wiped.Item).toBeUndefined();
    await expect(
      s3.send(new GetObjectCommand({ Bucket: stack.env.BUCKET_NAME, Key: "r/1.bin" })),
    ).rejects.toBeInstanceOf(NoSuchKey);
    dynamo.destroy();
    s3.destroy();
  });

  it("fails to start with a clear error, leaving no port open and process.env unchanged, when a handler file is missing", async () => {
    const dataDir = await tempDir();
    const [dynamoPort, s3Port] = [await freePort(), await freePort()];
    await expect(
      startLocalStack({ port: 0, dataDir, dynamoPort, s3Port, functions: ["no-such-fn" as FunctionName] }),
    ).rejects.toThrow("functions/no-such-fn/handler.ts does not exist");
    expect(await isPortClosed(dynamoPort)).toBe(true);
    expect(await isPortClosed(s3Port)).toBe(true);
    expect(process.env.DYNAMODB_ENDPOINT).toBe(inject("dynamoEndpoint"));
    expect(process.env.TABLE_NAME).not.toBe("onestop-local");
  });

  it("refuses to wipe the project folder or the root", async () => {
    await expect(wipeDataDir(ROOT)).rejects.toThrow(/Refusing to wipe/);
    await expect(wipeDataDir(path.dirname(ROOT))).rejects.toThrow(/Refusing to wipe/);
    await expect(wipeDataDir("/")).rejects.toThrow(/Refusing to wipe/);
  });
});

describe("shutdown of a separate process", () => {
  const tsxImport = pathToFileURL(path.join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
  const fixture = path.join(ROOT, "test", "support", "stack-process.ts");

  function launch(
    mode: "stack" | "services",
    env: NodeJS.ProcessEnv = {},
  ): {
    child: ChildProcess;
    ready: Promise<{ httpPort?: number; dynamoPort: number; s3Port: number }>;
    exited: Promise<number | null>;
  } {
    const child = spawn(process.execPath, ["--import", tsxImport, fixture, mode], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const ready = new Promise<{ httpPort?: number; dynamoPort: number; s3Port: number }>(
      (resolve, reject) => {
        let out = "";
        child.stdout?.on("data", (c: Buffer) => {
          out += c.toString();
          const line = out.split("\n").find((l) => l.startsWith("{"));
          if (line) resolve(JSON.parse(line));
        });
        void exited.then((code) => reject(new Error(`fixture exited (${code}) before ready: ${stderr}`)));
      },
    );
    return { child, ready, exited };
  }

  it("SIGTERM stops the stack of a process wired like npm start: exit 0, every port closed", async () => {
    const { child, ready, exited } = launch("stack");
    const ports = await ready;
    expect(await isPortClosed(ports.httpPort!)).toBe(false);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const port of [ports.httpPort!, ports.dynamoPort, ports.s3Port]) {
      expect(await isPortClosed(port), `port ${port}`).toBe(true);
    }
  });

  it("SIGINT does the same", async () => {
    const { child, ready, exited } = launch("stack");
    const ports = await ready;
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(await isPortClosed(ports.dynamoPort)).toBe(true);
  });

  it("a DynamoDB Local orphaned by a SIGKILLed parent is stopped by the next startServices", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "onestop-orphan-test-"));
    const { child, ready, exited } = launch("services", { FIXTURE_DATA_DIR: dataDir });
    const ports = await ready;
    child.kill("SIGKILL");
    await exited;
    // The Java process outlives its parent: nothing could run in the killed process.
    expect(await isPortClosed(ports.dynamoPort)).toBe(false);
    const services = await startServices({});
    try {
      expect(await isPortClosed(ports.dynamoPort)).toBe(true);
    } finally {
      await services.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
