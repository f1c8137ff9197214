/**
 * The browser part of `npm run bench:portal`: what the first view of the page costs to download
 * (its JavaScript and CSS, gzipped, as index.html references them) and how long real Chromium takes
 * from navigation to the commune view's Form II.06a table rendered (figures fetched and drawn).
 *
 * The page is signed in beforehand (the access code put in sessionStorage before any script runs),
 * so the time is the deep link's: HTML, assets, GET /v1/units and /v1/figures, rendering.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { WEB_DIST } from "../local/web-build";
import { launchChromium } from "../test/support/browser";

/** The budget for the first view's JavaScript, gzipped. */
export const FIRST_VIEW_JS_BUDGET_BYTES = 150 * 1024;

export interface BundleSize {
  files: { file: string; bytes: number; gzipBytes: number }[];
  jsGzipBytes: number;
  cssGzipBytes: number;
}

/** The scripts and styles index.html loads (the first view), raw and gzipped (level 9). */
export function firstViewBundle(dist = WEB_DIST): BundleSize {
  const html = readFileSync(path.join(dist, "index.html"), "utf8");
  const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const files = [...new Set(refs)].map((file) => {
    const body = readFileSync(path.join(dist, file));
    return { file, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
  });
  const sum = (ext: string) => files.filter((f) => f.file.endsWith(ext)).reduce((s, f) => s + f.gzipBytes, 0);
  return { files, jsGzipBytes: sum(".js"), cssGzipBytes: sum(".css") };
}

export interface BrowserTiming {
  /** Each run's milliseconds from navigation start to the table rendered; the first is a cold cache. */
  runsMs: number[];
  coldMs: number;
  medianWarmMs: number;
}

/** Opens `/?unit=<commune>&year=<year>` `runs` times in one browser profile and times the table. */
export async function timeCommuneView(options: {
  baseUrl: string;
  token: string;
  communeCode: string;
  year: number;
  runs?: number;
}): Promise<BrowserTiming> {
  const runs = options.runs ?? 5;
  const browser = await launchChromium();
  try {
    browser.context.setDefaultTimeout(120_000);
    await browser.context.addInitScript(([key, token]) => globalThis.sessionStorage.setItem(key, token), [
      "portal.accessCode",
      options.token,
    ] as const);
    const runsMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const page = await browser.context.newPage();
      await page.goto(`${options.baseUrl}/?unit=${options.communeCode}&year=${options.year}`);
      await page.waitForSelector('[data-table="form-ii06a"] tfoot tr', { state: "attached" });
      // performance.now() counts from the navigation's start (the page's time origin).
      runsMs.push((await page.evaluate("performance.now()")) as number);
      await page.close();
    }
    const warm = runsMs.slice(1).sort((a, b) => a - b);
    return {
      runsMs,
      coldMs: runsMs[0]!,
      medianWarmMs: warm.length ? warm[Math.floor(warm.length / 2)]! : runsMs[0]!,
    };
  } finally {
    await browser.close();
  }
}

/** The target for the first figures of a commune after signing in. */
export const SIGN_IN_TO_FIGURES_TARGET_MS = 500;

/**
 * Signing in on a deep link `/?unit=<commune>&year=<year>`: from the Enter on the access code to the
 * commune view's Form II.06a table rendered (GET /v1/units, then GET /v1/figures, then drawing),
 * `runs` times in one browser profile (the page's assets cached after the first), each in a new tab
 * that starts signed out.
 */
export async function timeSignInToFigures(options: {
  baseUrl: string;
  token: string;
  communeCode: string;
  year: number;
  runs?: number;
}): Promise<number[]> {
  const runs = options.runs ?? 5;
  const browser = await launchChromium();
  try {
    browser.context.setDefaultTimeout(120_000);
    const runsMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const page = await browser.context.newPage();
      await page.goto(`${options.baseUrl}/?unit=${options.communeCode}&year=${options.year}`);
      await page.fill("#access-code", options.token);
      const pressed = (await page.evaluate("performance.now()")) as number;
      await page.press("#access-code", "Enter");
      await page.waitForSelector('[data-table="form-ii06a"] tfoot tr', { state: "attached" });
      runsMs.push(((await page.evaluate("performance.now()")) as number) - pressed);
      await page.evaluate("sessionStorage.clear()");
      await page.close();
    }
    return runsMs;
  } finally {
    await browser.close();
  }
}

/** Rows for the sign-in timing: the median of the runs, and each run. */
export function signInRows(runsMs: number[]): [string, string, string][] {
  const sorted = [...runsMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return [
    [
      `sign-in → commune's first figures (Enter → Form II.06a), median of ${runsMs.length}`,
      `${Math.round(median)} ms`,
      `≤ ${SIGN_IN_TO_FIGURES_TARGET_MS} ms${median <= SIGN_IN_TO_FIGURES_TARGET_MS ? "" : "  SLOWER"}`,
    ],
    ["— each run", runsMs.map((ms) => Math.round(ms)).join(", "), ""],
  ];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Rows for the benchmark's table: [measure, value, target]. */
export function browserRows(bundle: BundleSize, timing: BrowserTiming): [string, string, string][] {
  return [
    [
      "first view JS, gzipped",
      kb(bundle.jsGzipBytes),
      `≤ ${kb(FIRST_VIEW_JS_BUDGET_BYTES)}${bundle.jsGzipBytes <= FIRST_VIEW_JS_BUDGET_BYTES ? "" : "  OVER BUDGET"}`,
    ],
    ["first view CSS, gzipped", kb(bundle.cssGzipBytes), ""],
    ["commune view in Chromium, cold (navigation → Form II.06a)", `${Math.round(timing.coldMs)} ms`, ""],
    [
      `commune view in Chromium, warm median of ${timing.runsMs.length - 1}`,
      `${Math.round(timing.medianWarmMs)} ms`,
      "",
    ],
  ];
}
