/**
 * The local stack's stand-in for CloudFront: the portal's built files at `/` beside the API, over
 * real HTTP, from a throw-away folder shaped like web/dist.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import os from "node:os";
import path from "node:path";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalApi, startLocalApi } from "../../local/http-server";
import { relativeFilePath, serveStaticFiles } from "../../local/static-files";
import {
  IMMUTABLE_CACHE_CONTROL,
  PAGE_CACHE_CONTROL,
  securityHeaders,
} from "../../shared/api/portal-headers";

const INDEX =
  '<!doctype html><html lang="vi"><head><script type="module" src="/assets/app-1a2b.js"></script></head></html>';
let base: string;
let root: string;
let api: LocalApi;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "portal-static-"));
  root = path.join(base, "dist");
  await mkdir(path.join(root, "assets", "fonts"), { recursive: true });
  await writeFile(path.join(root, "index.html"), INDEX);
  await writeFile(path.join(root, "assets", "app-1a2b.js"), "console.log('portal');\n");
  await writeFile(path.join(root, "assets", "app-1a2b.css"), "body{margin:0}\n");
  await writeFile(path.join(root, "assets", "logo.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  await writeFile(path.join(root, "assets", "fonts", "inter.woff2"), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  await writeFile(path.join(root, "assets", "data.bin"), Buffer.from([1, 2, 3]));
  // Beside the root: what a traversal would be after.
  await writeFile(path.join(base, "secret.txt"), "do not serve");
  await symlink(path.join(base, "secret.txt"), path.join(root, "assets", "link.txt"));
  api = await startLocalApi({
    port: 0,
    handlers: {
      meta: async (event: APIGatewayProxyEventV2) => ({
        statusCode: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ route: event.routeKey }),
      }),
    },
    routes: [
      { routeKey: "GET /health", fn: "meta" },
      { routeKey: "GET /v1/openapi.json", fn: "meta" },
      // A route whose path a file could also have: the route wins.
      { routeKey: "GET /index.html", fn: "meta" },
    ],
    staticFiles: serveStaticFiles(root),
    responseHeaders: securityHeaders(),
  });
});

afterAll(async () => {
  await api?.close();
  await rm(base, { recursive: true, force: true });
});

/** A request with the path sent exactly as given (fetch would normalise `..` away). */
function raw(
  rawPath: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const { port } = api;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path: rawPath, method: options.method ?? "GET", headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("the portal's files at / (local stand-in for CloudFront)", () => {
  it("answers index.html at / with its query strings (the page's deep links), never cached without revalidation", async () => {
    for (const target of ["/", "/?unit=10621&year=2023", "/?unit=30&year=2023&period=quarter&quarter=2"]) {
      const response = await raw(target);
      expect(response.status, target).toBe(200);
      expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(response.headers["cache-control"]).toBe(PAGE_CACHE_CONTROL);
      expect(response.body.toString()).toBe(INDEX);
    }
  });

  it.each([
    ["/assets/app-1a2b.js", "text/javascript; charset=utf-8"],
    ["/assets/app-1a2b.css", "text/css; charset=utf-8"],
    ["/assets/logo.svg", "image/svg+xml"],
    ["/assets/fonts/inter.woff2", "font/woff2"],
    ["/assets/data.bin", "application/octet-stream"],
  ])("answers %s as %s, cached for good (hashed names)", async (target, contentType) => {
    const response = await raw(target);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(contentType);
    expect(response.headers["cache-control"]).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(Number(response.headers["content-length"])).toBe(response.body.length);
  });

  it("sends the distribution's security headers with the page, the assets and the API alike", async () => {
    const expected = securityHeaders();
    expect(expected["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(expected["content-security-policy"]).not.toContain("unsafe-inline");
    for (const target of ["/", "/assets/app-1a2b.js", "/health", "/nothing-here"]) {
      const response = await raw(target);
      for (const [name, value] of Object.entries(expected))
        expect(response.headers[name], `${target} ${name}`).toBe(value);
    }
  });

  it("answers HEAD with the length and no body, and 304 to a matching If-None-Match", async () => {
    const full = await raw("/assets/app-1a2b.js");
    const head = await raw("/assets/app-1a2b.js", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers["content-length"])).toBe(full.body.length);
    const etag = full.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await raw("/assets/app-1a2b.js", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it("keeps API routes first: a route answers even where a file of that name exists, and /v1/* never falls to files", async () => {
    const route = await raw("/index.html");
    expect(JSON.parse(route.body.toString())).toEqual({ route: "GET /index.html" });
    expect(JSON.parse((await raw("/health")).body.toString())).toEqual({ route: "GET /health" });
    const unknown = await raw("/v1/nothing");
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body.toString()).error.code).toBe("not_found");
  });

  it.each([
    "/../secret.txt",
    "/assets/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/assets/..%5c..%5csecret.txt",
    "/assets/link.txt",
    "/assets/app-1a2b.js%00.html",
    "/assets/%zz",
    "/assets/",
    "/assets",
    "//etc/passwd",
  ])("refuses %s with 404, showing nothing outside the built files", async (target) => {
    const response = await raw(target);
    expect(response.status).toBe(404);
    expect(response.body.toString()).not.toContain("do not serve");
    expect(JSON.parse(response.body.toString()).error.code).toBe("not_found");
  });

  it("serves files to GET and HEAD only", async () => {
    const response = await raw("/assets/app-1a2b.js", { method: "POST" });
    expect(response.status).toBe(404);
  });

  it("tells what to do at / before the portal is built", async () => {
    const empty = await startLocalApi({
      port: 0,
      handlers: {},
      routes: [],
      staticFiles: serveStaticFiles(path.join(base, "not-built")),
    });
    try {
      const response = await fetch(`${empty.url}/`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
        /npm run web:build/,
      );
    } finally {
      await empty.close();
    }
  });
});

describe("request paths to file paths", () => {
  it("maps / to index.html and keeps plain paths, refusing dot segments, empty segments and bad encoding", () => {
    expect(relativeFilePath("/")).toBe("index.html");
    expect(relativeFilePath("/assets/app.js")).toBe("assets/app.js");
    expect(relativeFilePath("/assets/t%C3%AAn.svg")).toBe("assets/tên.svg");
    for (const refused of [
      "/a/../b",
      "/./a",
      "/a//b",
      "/a/",
      "/%E0%A4%A",
      "/a%2F..%2Fb",
      "/a%5Cb",
      "/a%00",
    ]) {
      expect(relativeFilePath(refused), refused).toBeUndefined();
    }
  });
});
