/**
 * The functions' bundles without synthesizing the app: `bundleFunction` (infra/bundle-build.ts)
 * builds one as the CDK construct does, `functionEntries` reads which functions exist from the CDK
 * app itself. Used by the bundle-size budget test (test/infra/bundles.test.ts) and `npm run bench:cold`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { App } from "aws-cdk-lib";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { AppFunction } from "./constructs/node-function";
import { OneStopStack } from "./stack";

export { bundleFunction, type FunctionBundle } from "./bundle-build";

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
