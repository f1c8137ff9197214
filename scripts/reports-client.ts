/**
 * A small HTTP client of the report API (docs/api.md#reports), shared by `npm run report` and the demos:
 * it talks to the API like any reader does (bearer token, presigned links), so it works against the
 * local stack and a deployed stack alike.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { DEMO_READER_TOKEN } from "../shared/intake/sources";

export interface ReportLink {
  format: "json" | "xlsx" | "docx";
  url: string;
  expiresAt: string;
}

export interface ReportQuery {
  communeCode?: string;
  provinceCode?: string;
  year: number;
  period?: string;
  quarter?: number;
  month?: number;
  expiresIn?: number;
}

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body}`);
  }
}

/** POST /v1/reports (build now) or GET /v1/reports (links to the last build). */
export async function reportLinks(
  baseUrl: string,
  token: string,
  query: ReportQuery,
  build: boolean,
): Promise<ReportLink[]> {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const defined = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  const response = build
    ? await fetch(`${baseUrl}/v1/reports`, { method: "POST", headers, body: JSON.stringify(defined) })
    : await fetch(
        `${baseUrl}/v1/reports?${new URLSearchParams(Object.entries(defined).map(([k, v]) => [k, String(v)] as [string, string]))}`,
        {
          headers,
        },
      );
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, text);
  return (JSON.parse(text) as { reports: ReportLink[] }).reports;
}

/** Downloads every link into `dir` (with a plain GET: the URLs are presigned); returns the paths. */
export async function downloadAll(links: ReportLink[], dir: string, stem: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const link of links) {
    const response = await fetch(link.url);
    if (!response.ok) throw new ApiError(response.status, await response.text());
    const file = path.join(dir, `${stem}.${link.format}`);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    written.push(file);
  }
  return written;
}

export function printLinks(links: ReportLink[], log: (line: string) => void = console.log): void {
  for (const link of links) {
    log(`  ${link.format.padEnd(4)}  ${link.url}`);
    log(`        valid until ${link.expiresAt}`);
  }
}

/** The demos' year: xã Quốc Tuấn (Hải Dương), 2023, sent as events or as a DVCQG sync. */
export const DEMO_COMMUNE = "10621";
export const DEMO_YEAR = 2023;

/** The command-line options both demos take (`parseArgs`). */
export const DEMO_OPTIONS = {
  url: { type: "string" },
  dossiers: { type: "string" },
  out: { type: "string" },
  token: { type: "string" },
} as const;

/** Options the demos share: where the API is and whose token reads the reports. */
export function apiOptions(values: { url?: string; token?: string }): { baseUrl: string; token: string } {
  return {
    baseUrl: (values.url ?? process.env.REPORTS_API_URL ?? "http://127.0.0.1:3000").replace(/\/$/, ""),
    token: values.token ?? process.env.REPORTS_TOKEN ?? DEMO_READER_TOKEN,
  };
}

/** Exits with a hint to `npm start` when the local stack does not answer. */
export async function requireRunningStack(baseUrl: string): Promise<void> {
  try {
    const health = await fetch(`${baseUrl}/health`);
    if (!health.ok) throw new Error(`GET /health answered ${health.status}`);
  } catch (error) {
    console.error(
      `The local stack does not answer at ${baseUrl} (${(error as Error).message}).\nStart it first: npm start`,
    );
    process.exit(1);
  }
}

/**
 * The demos' last step: builds the report now, prints `heading` (given the build time) and the
 * links, and downloads the files into `out` when asked.
 */
export async function buildAndPrintReport(
  baseUrl: string,
  token: string,
  query: ReportQuery,
  heading: (buildMs: number) => string,
  download: { out: string | undefined; stem: string },
): Promise<void> {
  const building = performance.now();
  const links = await reportLinks(baseUrl, token, { ...query, expiresIn: 3600 }, true);
  console.log(heading(Math.round(performance.now() - building)));
  printLinks(links);
  if (download.out) {
    for (const file of await downloadAll(links, download.out, download.stem)) console.log(`  wrote ${file}`);
  }
}

/** Runs a demo's `main`, printing an API refusal or any other failure and exiting with 1. */
export function runDemo(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ApiError) console.error(`\nThe API answered ${error.status}: ${error.body}`);
    else console.error(`\n${(error as Error).message}`);
    process.exit(1);
  });
}
