/**
 * The local stand-in for CloudFront's default behaviour: the portal's built files (web/dist) at
 * `/`, read-only. `GET /` (whatever its query: the page's deep links are `/?unit=…&year=…`) answers
 * index.html, as the distribution's default root object does; any other path answers the file of
 * that name or nothing (the caller's 404). API routes are matched before this is asked.
 *
 * A path is refused (nothing, hence 404) when it is not valid percent-encoding, holds a `.` or `..`
 * segment, a backslash or a NUL, names a folder, or leads outside the root by a symbolic link.
 */
import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { cacheControlOf } from "../shared/api/portal-headers";

/** Content types of what Vite emits and a page may hold; anything else is sent as bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
};

export function contentTypeOf(fileName: string): string {
  return CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? "application/octet-stream";
}

export interface StaticAnswer {
  statusCode: 200 | 304;
  headers: Record<string, string>;
  /** Empty for HEAD and 304. */
  body: Buffer;
}

export interface StaticFiles {
  /** The folder served (absolute). */
  readonly root: string;
  /** The answer for a GET or HEAD of `rawPath` (still percent-encoded), or undefined: no such file. */
  answer(method: string, rawPath: string, ifNoneMatch?: string): Promise<StaticAnswer | undefined>;
}

/** The path relative to the root a request names, or undefined when it is refused. */
export function relativeFilePath(rawPath: string): string | undefined {
  if (rawPath === "/" || rawPath === "") return "index.html";
  if (!rawPath.startsWith("/") || rawPath.endsWith("/")) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath.slice(1));
  } catch {
    return undefined;
  }
  if (decoded.includes("\\") || decoded.includes("\0")) return undefined;
  const segments = decoded.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) return undefined;
  return segments.join("/");
}

export function serveStaticFiles(root: string): StaticFiles {
  const absoluteRoot = path.resolve(root);
  let realRoot: Promise<string> | undefined;
  return {
    root: absoluteRoot,
    async answer(method, rawPath, ifNoneMatch) {
      if (method !== "GET" && method !== "HEAD") return undefined;
      const relative = relativeFilePath(rawPath);
      if (relative === undefined) return undefined;
      const file = path.join(absoluteRoot, relative);
      let real: string;
      try {
        // Resolved once it exists (a build may create it while the server runs).
        realRoot ??= realpath(absoluteRoot).catch((error: unknown) => {
          realRoot = undefined;
          throw error;
        });
        const rootReal = await realRoot;
        real = await realpath(file);
        const inside = path.relative(rootReal, real);
        if (inside === "" || inside.startsWith("..") || path.isAbsolute(inside)) return undefined;
      } catch {
        return undefined;
      }
      const info = await stat(real).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
      const headers = {
        "content-type": contentTypeOf(relative),
        "cache-control": cacheControlOf(relative),
        etag,
        "last-modified": info.mtime.toUTCString(),
      };
      if (ifNoneMatch?.split(",").some((tag) => tag.trim() === etag)) {
        return { statusCode: 304, headers, body: Buffer.alloc(0) };
      }
      const body = method === "HEAD" ? Buffer.alloc(0) : await readFile(real);
      return { statusCode: 200, headers: { ...headers, "content-length": String(info.size) }, body };
    },
  };
}
