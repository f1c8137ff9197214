/**
 * Builds one function's bundle the way the CDK app does (the settings are FUNCTION_BUNDLING of
 * infra/constructs/node-function.ts), without synthesizing the app: esbuild straight from the entry,
 * with its metafile. Used by the bundle-size budget test (test/infra/bundles.test.ts) and
 * `npm run bench:cold`; `functionEntries` reads which functions exist from the CDK app itself.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { App } from "aws-cdk-lib";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { build, type Metafile } from "esbuild";
import { AppFunction, FUNCTION_BUNDLING, PROJECT_ROOT } from "./constructs/node-function";
import { OneStopStack } from "./stack";

export interface FunctionBundle {
  /** The entry from the project root, e.g. `functions/intake/handler.ts`. */
  entry: string;
  /** The folder holding `index.mjs` (and the data files), as in the Lambda zip. */
  dir: string;
  /** Size of `index.mjs`, in bytes: what Node parses at every cold start. */
  bytes: number;
  /** Size of the data files copied next to it (read only when a request needs them). */
  fileBytes: number;
  metafile: Metafile;
}

/** Bundles `entry` into `outDir` (created), as NodejsFunction does, plus the data files. */
export async function bundleFunction(entry: string, outDir: string): Promise<FunctionBundle> {
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, "index.mjs");
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [path.join(PROJECT_ROOT, entry)],
    outfile,
    bundle: true,
    platform: "node",
    tsconfig: path.join(PROJECT_ROOT, "tsconfig.json"),
    target: FUNCTION_BUNDLING.target,
    format: FUNCTION_BUNDLING.format,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    minify: FUNCTION_BUNDLING.minify,
    keepNames: FUNCTION_BUNDLING.keepNames,
    sourcemap: FUNCTION_BUNDLING.sourcemap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    charset: FUNCTION_BUNDLING.charset,
    external: [...FUNCTION_BUNDLING.external],
    logLevel: "warning",
    metafile: true,
  });
  let fileBytes = 0;
  for (const { from, to } of FUNCTION_BUNDLING.files) {
    const target = path.join(outDir, to);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(PROJECT_ROOT, from), target);
    fileBytes += statSync(target).size;
  }
  return { entry, dir: outDir, bytes: statSync(outfile).size, fileBytes, metafile: result.metafile };
}

export interface FunctionEntry {
  /** The construct path in the stack, e.g. `OneStopReports/Reports/Worker`. */
  id: string;
  entry: string;
}

/**
 * Every function of the CDK app (infra/stack.ts) with its entry, read from the constructs (bundling
 * skipped, so this takes seconds). A Node.js function that is not an AppFunction has no known entry:
 * an error, so that no function escapes the budget.
 */
export function functionEntries(): FunctionEntry[] {
  const webAssets = mkdtempSync(path.join(os.tmpdir(), "portal-dist-"));
  try {
    mkdirSync(path.join(webAssets, "assets"));
    writeFileSync(path.join(webAssets, "index.html"), "<!doctype html>");
    const app = new App({ context: { "aws:cdk:bundling-stacks": [] }, analyticsReporting: false });
    const stack = new OneStopStack(app, "OneStopReports", { webAssets });
    const all = stack.node.findAll();
    const functions = all.filter((c): c is AppFunction => c instanceof AppFunction);
    const known = new Set(functions.map((f) => f.function));
    const stray = all.filter((c) => c instanceof NodejsFunction && !known.has(c));
    if (stray.length > 0) {
      throw new Error(
        `Node.js functions not built by AppFunction (no entry to measure): ${stray.map((c) => c.node.path).join(", ")}`,
      );
    }
    return functions.map((f) => ({ id: f.node.path, entry: f.entry }));
  } finally {
    rmSync(webAssets, { recursive: true, force: true });
  }
}
