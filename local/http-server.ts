/**
 * The local stand-in for API Gateway (HTTP API, Lambda proxy integration, payload format 2.0):
 * a node:http server that matches each request against `routes`, builds the very event API
 * Gateway would send, calls the function's handler in-process, and writes its result back.
 *
 * Local-only behaviour, kept close to API Gateway's: unknown path → 404 `not_found`, known path
 * with another method → 405 `method_not_allowed` (API Gateway itself answers 404 there), body over
 * 10 MB → 413 `payload_too_large`, handler throws → the answer of the functions' error boundary
 * (shared/api/errors.ts: 503 for a dependency, 500 otherwise), handler slower than the
 * 30 s integration timeout → 503 `integration_timeout`.
 *
 * With `staticFiles`, it also stands in for the CloudFront distribution in front of the API: a GET
 * or HEAD that no route matches (and that is not under `/v1/`) is answered from the portal's built
 * files (local/static-files.ts), and `responseHeaders` (the distribution's security headers) go
 * with every answer, API included.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { answerForError } from "../shared/api/errors";
import { routes as defaultRoutes, type FunctionName, type RouteSpec } from "../shared/api/routes";
import type { StaticFiles } from "./static-files";

/** What a function's `handler.ts` exports as `handler` (a middy handler fits). */
export type LocalHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface LocalApiOptions {
  /** 0 picks a free port. Default 3000. */
  port?: number;
  host?: string;
  handlers: Partial<Record<FunctionName, LocalHandler>>;
  /** Defaults to shared/api/routes.ts. */
  routes?: readonly RouteSpec[];
  log?: (line: string) => void;
  /** API Gateway's payload cap: 10 MB. */
  maxBodyBytes?: number;
  /** API Gateway's integration timeout: 30 s. */
  timeoutMs?: number;
  region?: string;
  /** The portal's built files, answered for GET and HEAD requests no API route matches. */
  staticFiles?: StaticFiles;
  /** Headers added to every answer (the distribution's security headers). */
  responseHeaders?: Readonly<Record<string, string>>;
}

export interface LocalApi {
  url: string;
  port: number;
  /** Stops accepting connections, ends idle ones, waits for in-flight requests. */
  close(): Promise<void>;
}

export const API_GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const API_GATEWAY_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Route matching

interface CompiledRoute {
  spec: RouteSpec;
  method: string;
  segments: string[];
  literalCount: number;
}

function compile(spec: RouteSpec): CompiledRoute {
  const [method = "", template = ""] = spec.routeKey.split(" ");
  const segments = template.split("/").slice(1);
  return { spec, method, segments, literalCount: segments.filter((s) => !s.startsWith("{")).length };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Matches a raw (still percent-encoded) path against a template; returns decoded path params. */
function matchPath(route: CompiledRoute, rawPath: string): Record<string, string> | undefined {
  const parts = rawPath.split("/").slice(1);
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i]!;
    const greedy = /^\{(.+)\+\}$/.exec(segment);
    if (greedy && i === route.segments.length - 1) {
      const rest = parts.slice(i).join("/");
      if (rest === "") return undefined;
      params[greedy[1]!] = safeDecode(rest);
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    const param = /^\{(.+)\}$/.exec(segment);
    if (param) {
      if (part === "") return undefined;
      params[param[1]!] = safeDecode(part);
    } else if (part !== segment) {
      return undefined;
    }
  }
  return parts.length === route.segments.length ? params : undefined;
}

type Match =
  | { kind: "route"; route: CompiledRoute; pathParameters: Record<string, string> }
  | { kind: "method_not_allowed"; allow: string[] }
  | { kind: "not_found" };

function findRoute(compiled: CompiledRoute[], method: string, rawPath: string): Match {
  let best: { route: CompiledRoute; pathParameters: Record<string, string> } | undefined;
  const allow = new Set<string>();
  for (const route of compiled) {
    const params = matchPath(route, rawPath);
    if (!params) continue;
    allow.add(route.method);
    if (route.method !== method) continue;
    // The most specific template wins, as in API Gateway ("/a/b" before "/a/{x}").
    if (!best || route.literalCount > best.route.literalCount) best = { route, pathParameters: params };
  }
  if (best) return { kind: "route", ...best };
  if (allow.size > 0) return { kind: "method_not_allowed", allow: [...allow].sort() };
  return { kind: "not_found" };
}

// ---------------------------------------------------------------------------------------------
// Event and context

/** Content types API Gateway passes as text; every other body (or none given) arrives base64. */
export function isTextualContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return (
    type.startsWith("text/") ||
    type === "application/json" ||
    type.endsWith("+json") ||
    type === "application/xml" ||
    type.endsWith("+xml") ||
    type === "application/javascript" ||
    type === "application/x-www-form-urlencoded" ||
    type === "application/graphql"
  );
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** API Gateway's `requestContext.time`: `12/Mar/2020:19:03:58 +0000`. */
export function apiGatewayTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

function buildEvent(
  req: IncomingMessage,
  routeKey: string,
  rawPath: string,
  rawQueryString: string,
  pathParameters: Record<string, string>,
  body: Buffer | undefined,
  now: Date,
  requestId: string,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (!values) continue;
    if (name === "cookie") {
      // Format 2.0 moves cookies out of the headers into `cookies`, one entry per cookie.
      cookies = values.flatMap((v) => v.split(";").map((c) => c.trim())).filter(Boolean);
      continue;
    }
    headers[name] = values.join(",");
  }
  // The content length API Gateway reports is the one it received; node already de-chunked.
  if (body && headers["transfer-encoding"] && !headers["content-length"]) {
    headers["content-length"] = String(body.length);
  }

  let queryStringParameters: Record<string, string> | undefined;
  if (rawQueryString !== "") {
    const grouped = new Map<string, string[]>();
    for (const [key, value] of new URLSearchParams(rawQueryString)) {
      grouped.set(key, [...(grouped.get(key) ?? []), value]);
    }
    queryStringParameters = Object.fromEntries([...grouped].map(([k, v]) => [k, v.join(",")]));
  }

  const domainName = headers.host ?? "localhost";
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName,
      domainPrefix: domainName.split(".")[0] ?? domainName,
      http: {
        method: req.method ?? "GET",
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: (req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, ""),
        userAgent: headers["user-agent"] ?? "",
      },
      requestId,
      routeKey,
      stage: "$default",
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    isBase64Encoded: false,
  };
  if (body && body.length > 0) {
    if (isTextualContentType(headers["content-type"])) {
      event.body = body.toString("utf8");
    } else {
      event.body = body.toString("base64");
      event.isBase64Encoded = true;
    }
  }
  return event;
}

function buildContext(fn: FunctionName, region: string, timeoutMs: number): Context {
  const functionName = `onestop-${fn}-local`;
  const deadline = Date.now() + timeoutMs;
  const unsupported = () => {
    throw new Error("the local stack supports async handlers only (no done/succeed/fail)");
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll("-", "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

// ---------------------------------------------------------------------------------------------
// Response

interface HttpResult {
  statusCode: number;
  headers: Record<string, string | number | boolean>;
  cookies: string[];
  body: Buffer;
  /** The content length announced when the body is left out (HEAD); default: the body's. */
  contentLength?: number;
}

function errorResult(statusCode: number, code: string, message?: string, extraHeaders = {}): HttpResult {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...extraHeaders },
    cookies: [],
    body: Buffer.from(JSON.stringify({ error: message ? { code, message } : { code } })),
  };
}

/** API Gateway's reading of a 2.0 handler result, including its format inference. */
function toHttpResult(result: unknown): HttpResult {
  if (typeof result === "object" && result !== null && "statusCode" in result) {
    const r = result as APIGatewayProxyStructuredResultV2;
    const body =
      r.body === undefined || r.body === null
        ? Buffer.alloc(0)
        : r.isBase64Encoded
          ? Buffer.from(r.body, "base64")
          : Buffer.from(r.body, "utf8");
    return { statusCode: r.statusCode ?? 200, headers: { ...r.headers }, cookies: r.cookies ?? [], body };
  }
  // Not a structured response: API Gateway answers 200 with the value as JSON.
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    cookies: [],
    body: Buffer.from(typeof result === "string" ? result : JSON.stringify(result)),
  };
}

function send(res: ServerResponse, result: HttpResult, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, String(value));
  if (result.cookies.length > 0) res.setHeader("set-cookie", result.cookies);
  res.setHeader("apigw-requestid", requestId);
  res.setHeader("content-length", result.contentLength ?? result.body.length);
  res.statusCode = result.statusCode;
  res.end(result.body);
}

// ---------------------------------------------------------------------------------------------

class PayloadTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > limit) {
      req.resume(); // discard the rest so the answer reaches the client
      reject(new PayloadTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        reject(new PayloadTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!tooLarge) resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

/** Officials' e-mails are never logged (docs/people.md#audit): an `{email}` path parameter shows as such. */
function loggedPath(match: Match, rawPath: string): string {
  if (match.kind !== "route" || match.pathParameters.email === undefined) return rawPath;
  return match.route.spec.routeKey.split(" ")[1] ?? rawPath;
}

export async function startLocalApi(opts: LocalApiOptions): Promise<LocalApi> {
  const host = opts.host ?? "127.0.0.1";
  const log = opts.log ?? (() => undefined);
  const maxBodyBytes = opts.maxBodyBytes ?? API_GATEWAY_MAX_BODY_BYTES;
  const timeoutMs = opts.timeoutMs ?? API_GATEWAY_TIMEOUT_MS;
  const region = opts.region ?? process.env.AWS_REGION ?? "ap-southeast-1";
  const compiled = (opts.routes ?? defaultRoutes).map(compile);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const now = new Date();
    const requestId = randomUUID();
    const method = (req.method ?? "GET").toUpperCase();
    const target = req.url ?? "/";
    const queryIndex = target.indexOf("?");
    const rawPath = queryIndex === -1 ? target : target.slice(0, queryIndex);
    const rawQueryString = queryIndex === -1 ? "" : target.slice(queryIndex + 1);

    let result: HttpResult;
    const match = findRoute(compiled, method, rawPath);
    const file =
      match.kind === "not_found" && opts.staticFiles && !rawPath.startsWith("/v1/")
        ? await opts.staticFiles.answer(method, rawPath, req.headers["if-none-match"])
        : undefined;
    if (file) {
      req.resume();
      const { "content-length": length, ...headers } = file.headers;
      result = {
        statusCode: file.statusCode,
        headers,
        cookies: [],
        body: file.body,
        ...(length !== undefined && method === "HEAD" ? { contentLength: Number(length) } : {}),
      };
    } else if (match.kind === "not_found") {
      req.resume();
      const unbuilt = opts.staticFiles && rawPath === "/" && (method === "GET" || method === "HEAD");
      result = unbuilt
        ? errorResult(
            404,
            "not_found",
            `The portal is not built in ${opts.staticFiles!.root}: run npm run web:build`,
          )
        : errorResult(404, "not_found", `No route for ${method} ${rawPath}`);
    } else if (match.kind === "method_not_allowed") {
      req.resume();
      result = errorResult(405, "method_not_allowed", `${rawPath} accepts ${match.allow.join(", ")}`, {
        allow: match.allow.join(", "),
      });
    } else {
      const { route, pathParameters } = match;
      const fn = route.spec.fn;
      let body: Buffer | undefined;
      try {
        body = await readBody(req, maxBodyBytes);
      } catch (error) {
        if (!(error instanceof PayloadTooLarge)) throw error;
      }
      const handler = opts.handlers[fn];
      if (body === undefined) {
        result = errorResult(413, "payload_too_large", `The request body exceeds ${maxBodyBytes} bytes`);
      } else if (!handler) {
        log(`no handler wired for function ${fn} (${route.spec.routeKey})`);
        result = errorResult(500, "internal_error");
      } else {
        const event = buildEvent(
          req,
          route.spec.routeKey,
          rawPath,
          rawQueryString,
          pathParameters,
          body,
          now,
          requestId,
        );
        const context = buildContext(fn, region, timeoutMs);
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise<"timeout">((resolve) => {
            timer = setTimeout(() => resolve("timeout"), timeoutMs);
          });
          const output = await Promise.race([Promise.resolve().then(() => handler(event, context)), timeout]);
          if (output === "timeout") {
            log(`${fn} did not answer within ${timeoutMs} ms (${route.spec.routeKey})`);
            result = errorResult(503, "integration_timeout");
          } else if (output === undefined || output === null) {
            log(`${fn} returned no result for ${route.spec.routeKey}`);
            result = errorResult(500, "internal_error");
          } else {
            result = toHttpResult(output);
          }
        } catch (error) {
          // The functions' own boundary (functions/runtime.ts) answers their errors; this one is for a
          // handler without it, and answers the same way (shared/api/errors.ts).
          log(
            `${fn} threw on ${method} ${loggedPath(match, rawPath)}: ${(error as Error)?.stack ?? String(error)}`,
          );
          result = toHttpResult(answerForError(error, context.awsRequestId).response);
        } finally {
          clearTimeout(timer);
        }
      }
    }
    if (opts.responseHeaders) Object.assign(result.headers, opts.responseHeaders);
    send(res, result, requestId);
    log(
      `${method} ${loggedPath(match, rawPath)} ${result.statusCode} ${(performance.now() - started).toFixed(0)}ms`,
    );
  };

  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      const method = (req.method ?? "GET").toUpperCase();
      const path = (req.url ?? "/").split("?")[0]!;
      const logged = loggedPath(findRoute(compiled, method, path), path);
      log(`local API failure on ${method} ${logged}: ${(error as Error)?.stack ?? String(error)}`);
      send(res, errorResult(500, "internal_error"), "");
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 3000, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
        // In-flight requests get a grace period, then their sockets are cut.
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      });
      return closing;
    },
  };
}
