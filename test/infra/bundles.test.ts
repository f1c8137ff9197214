/**
 * The functions' bundles, built as the CDK app builds them (infra/bundle.ts, the settings of
 * infra/constructs/node-function.ts) for every function the app defines at test time: each stays
 * within its size budget (infra/bundle-budgets.ts, measured from esbuild's output, never by a clock),
 * carries only what it needs, and answers its first invocation in a fresh Node process against
 * DynamoDB Local and s3rver: the code AWS runs, not the sources the local stack imports, so a data
 * file left out of the bundle or a dynamic require fails here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FirstInvocation, firstInvocations } from "../../bench/first-invocations";
import { runBundle } from "../../bench/run-bundle";
import { bundleFunction, type FunctionBundle, functionEntries } from "../../infra/bundle";
import { BUNDLE_BUDGETS, bundleBudgetOf } from "../../infra/bundle-budgets";
import { seedDemoReaderToken } from "../../shared/adapters/dynamo/token-store";
import { createTestBucket, createTestTable, useLocalAws } from "../support/aws";

const functions = functionEntries();
const outDir = mkdtempSync(path.join(os.tmpdir(), "bundles-"));
const bundles = new Map<string, FunctionBundle>();

beforeAll(async () => {
  const built = await Promise.all(
    functions.map(({ entry }) => bundleFunction(entry, path.join(outDir, entry.replace(/[/.]/g, "_")))),
  );
  for (const bundle of built) bundles.set(bundle.entry, bundle);
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Bundled bytes per package (or source folder), largest first: what to look at when over budget. */
function heaviest(bundle: FunctionBundle, top = 8): string {
  const output = Object.values(bundle.metafile.outputs).find((o) => o.entryPoint !== undefined)!;
  const sizes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const key =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split("/").slice(0, 2).join("/");
    sizes.set(key, (sizes.get(key) ?? 0) + bytesInOutput);
  }
  return [...sizes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, bytes]) => `${key} ${Math.round(bytes / 1000)} KB`)
    .join(", ");
}

function bundledPackages(bundle: FunctionBundle): Set<string> {
  const packages = new Set<string>();
  for (const input of Object.keys(bundle.metafile.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    if (name) packages.add(name);
  }
  return packages;
}

describe("function bundles", () => {
  it("are read from the CDK app: every function it defines, each with an entry under functions/", () => {
    expect(functions.length).toBeGreaterThanOrEqual(Object.keys(BUNDLE_BUDGETS).length);
    for (const { entry } of functions) expect(entry).toMatch(/^functions\/.+\.ts$/);
    // A budget for an entry the app no longer has is a stale line.
    const entries = new Set(functions.map((f) => f.entry));
    expect(Object.keys(BUNDLE_BUDGETS).filter((entry) => !entries.has(entry))).toEqual([]);
  });

  it("stay within their size budgets (1.2 MB for a function without a budget of its own)", () => {
    const over = functions
      .map(({ entry }) => bundles.get(entry)!)
      .filter((bundle) => bundle.bytes > bundleBudgetOf(bundle.entry).maxBytes)
      .map(
        (bundle) =>
          `${bundle.entry}: ${bundle.bytes} bytes > ${bundleBudgetOf(bundle.entry).maxBytes} (${heaviest(bundle)})`,
      );
    expect(over).toEqual([]);
  });

  it("load the renderers on first use and only where documents are built, zod-openapi only in meta, no zod locale, the unit registry as a file", () => {
    const misplaced: string[] = [];
    for (const { entry } of functions) {
      const bundle = bundles.get(entry)!;
      const packages = bundledPackages(bundle);
      // Nobody parses the renderers at a cold start; only a function that builds documents loads them.
      for (const renderer of ["exceljs", "docx"])
        if (packages.has(renderer)) misplaced.push(`${entry} bundles ${renderer} into index.mjs`);
      if (!bundleBudgetOf(entry).documents && bundle.chunkBytes > 0)
        misplaced.push(`${entry} loads the renderers but builds no documents`);
      if (entry !== "functions/meta/handler.ts" && packages.has("zod-openapi"))
        misplaced.push(`${entry} bundles zod-openapi`);
      for (const input of Object.keys(bundle.metafile.inputs)) {
        // The project's own data (the unit registry) is read from files next to the bundle.
        if (input.endsWith(".json") && !input.includes("node_modules/"))
          misplaced.push(`${entry} imports ${input} into its code`);
      }
      // `import { z } from "zod"` keeps zod's 40 locales (≈ 300 KB) in the output; `import * as z` drops them.
      const output = Object.values(bundle.metafile.outputs).flatMap((o) => Object.entries(o.inputs));
      const locales = output.filter(
        ([input, o]) => /zod\/.*\/locales\/(?!en\.|index\.)/.test(input) && o.bytesInOutput > 0,
      );
      if (locales.length > 0)
        misplaced.push(`${entry} bundles ${locales.length} zod locales: import * as z from "zod"`);
    }
    expect(misplaced).toEqual([]);
  });
});

describe("first invocation of each bundle in a fresh Node process", () => {
  let env: Record<string, string>;
  let invocations: Record<string, FirstInvocation>;

  beforeAll(async () => {
    const aws = useLocalAws();
    const { tableName, client } = await createTestTable("bundles");
    const { bucketName } = await createTestBucket("bundles");
    await seedDemoReaderToken(client, tableName);
    invocations = firstInvocations({ tableName, bucketName });
    env = {
      PATH: process.env.PATH ?? "",
      DYNAMODB_ENDPOINT: aws.dynamoEndpoint,
      S3_ENDPOINT: aws.s3Endpoint,
      AWS_REGION: aws.region,
      LOCAL_DEFAULTS: "1",
      POWERTOOLS_METRICS_DISABLED: "true",
      POWERTOOLS_TRACE_ENABLED: "false",
      POWERTOOLS_LOG_LEVEL: "ERROR",
      POWERTOOLS_SERVICE_NAME: "onestop",
    };
  });

  for (const { entry } of functions) {
    it(`${entry}: loads, and answers its first calls as AWS would run it`, async () => {
      const bundle = bundles.get(entry)!;
      const invocation = invocations[entry] ?? { env: {}, calls: [] };
      const result = await runBundle(
        bundle.dir,
        invocation.calls.map((c) => c.event),
        {
          ...env,
          ...invocation.env,
        },
      );
      expect(result.calls).toHaveLength(invocation.calls.length);
      invocation.calls.forEach((call, i) => {
        const answer = result.calls[i]!.answer as Record<string, unknown> | null;
        const shown = `${call.what}: ${JSON.stringify(answer).slice(0, 400)}`;
        if ("statusCode" in call.expect) expect(answer?.statusCode, shown).toBe(call.expect.statusCode);
        else if ("batchItemFailures" in call.expect) expect(answer?.batchItemFailures, shown).toEqual([]);
        else expect(typeof answer, shown).toBe("object");
      });
    });
  }
});
