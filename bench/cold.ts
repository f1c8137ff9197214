/**
 * `npm run bench:cold [-- --runs 7] [-- --no-synth]`: the cold start of every function of the CDK
 * app, as AWS would run it. Synthesizes the app (`cdk synth`, the functions bundled by CDK exactly as
 * deployed; `--no-synth` builds them with infra/bundle.ts instead, the same settings, faster), starts
 * DynamoDB Local and s3rver, then for each run imports each bundle in a fresh Node process and makes
 * its first invocation (bench/first-invocations.ts). Prints, per function, the bundle's size, the
 * module init and the first call, medians of the runs, each as a ratio to the floor (bench/cold-floor.ts:
 * DynamoDB client + Powertools logger + middy + zod/mini) built and measured in the same run.
 * Targets (module init ÷ floor): intake and dvcqg ≤ 1.25, the worker ≤ 3, the others ≤ 1.6.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { bundleFunction, functionEntries } from "../infra/bundle";
import { PROJECT_ROOT } from "../infra/constructs/node-function";
import { startLocalStack } from "../local/stack";
import { firstInvocations } from "./first-invocations";
import { runBundle } from "./run-bundle";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "7" }, "no-synth": { type: "boolean", default: false } },
});
const runs = Number(values.runs);

/** Module init ÷ the floor's: the targets of docs/benchmarks.md#cold-starts; a function not listed gets the default. */
const INIT_RATIO_TARGETS: Record<string, number> = {
  "functions/intake/handler.ts": 1.25,
  "functions/dvcqg/handler.ts": 1.25,
  "functions/reports/worker.ts": 3,
};
const DEFAULT_INIT_RATIO_TARGET = 1.6;

interface Measured {
  name: string;
  entry: string;
  dir: string;
  bytes: number;
  init: number[];
  initCpu: number[];
  firstCall: number[];
  failures: string[];
}

const work = mkdtempSync(path.join(os.tmpdir(), "bench-cold-"));
const functions = functionEntries();

/** Each function's bundle folder: from the synthesized cloud assembly, or built by infra/bundle.ts. */
async function bundleDirs(): Promise<Map<string, string>> {
  const dirs = new Map<string, string>();
  if (values["no-synth"]) {
    for (const { entry } of functions) {
      const bundle = await bundleFunction(entry, path.join(work, entry.replace(/[/.]/g, "_")));
      dirs.set(entry, bundle.dir);
    }
    return dirs;
  }
  const out = path.join(work, "cdk.out");
  console.log(`cdk synth → ${out} …`);
  const synth = spawnSync("npx", ["cdk", "synth", "--quiet", "--output", out], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (synth.status !== 0) throw new Error(`cdk synth failed (exit ${synth.status})`);
  const template = JSON.parse(readFileSync(path.join(out, "OneStopReports.template.json"), "utf8")) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  for (const { id, entry } of functions) {
    const resource = Object.values(template.Resources).find(
      (r) => r.Type === "AWS::Lambda::Function" && r.Metadata?.["aws:cdk:path"] === `${id}/Function/Resource`,
    );
    const asset = resource?.Metadata?.["aws:asset:path"];
    if (!asset || !existsSync(path.join(out, asset, "index.mjs")))
      throw new Error(`no bundle for ${id} in ${out}`);
    dirs.set(entry, path.join(out, asset));
    // The budget test measures infra/bundle.ts's build: it must be byte for byte CDK's size.
    const own = await bundleFunction(entry, path.join(work, "own", entry.replace(/[/.]/g, "_")));
    const deployed = statSync(path.join(out, asset, "index.mjs")).size;
    if (own.bytes !== deployed)
      console.log(
        `! ${entry}: cdk synth built ${deployed} bytes, infra/bundle.ts ${own.bytes}: their settings differ`,
      );
  }
  return dirs;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

try {
  const dirs = await bundleDirs();
  const floorBundle = await bundleFunction("bench/cold-floor.ts", path.join(work, "floor"));
  const tracedBundle = await bundleFunction("bench/cold-floor-traced.ts", path.join(work, "floor-traced"));
  const stack = await startLocalStack({ port: 0, functions: [], webRoot: false, log: () => {} });
  try {
    const invocations = firstInvocations({
      tableName: stack.env.TABLE_NAME,
      bucketName: stack.env.BUCKET_NAME,
    });
    const baseEnv = {
      PATH: process.env.PATH ?? "",
      ...stack.env,
      POWERTOOLS_LOG_LEVEL: "ERROR",
      POWERTOOLS_SERVICE_NAME: "onestop",
    };
    const floor: Measured = {
      name: "floor",
      entry: "bench/cold-floor.ts",
      dir: floorBundle.dir,
      bytes: floorBundle.bytes,
      init: [],
      initCpu: [],
      firstCall: [],
      failures: [],
    };
    const traced: Measured = {
      ...floor,
      name: "floor + tracer, metrics",
      entry: "bench/cold-floor-traced.ts",
      dir: tracedBundle.dir,
      bytes: tracedBundle.bytes,
      init: [],
      initCpu: [],
      firstCall: [],
    };
    const floors = [floor, traced];
    const measured: Measured[] = functions.map(({ id, entry }) => ({
      name: id.split("/").slice(1).join("/"),
      entry,
      dir: dirs.get(entry)!,
      bytes: statSync(path.join(dirs.get(entry)!, "index.mjs")).size,
      init: [],
      initCpu: [],
      firstCall: [],
      failures: [],
    }));
    for (let run = 1; run <= runs; run++) {
      process.stdout.write(`run ${run}/${runs}\r`);
      // Floor and functions interleaved, so drift in the machine's load touches all alike.
      for (const m of [...floors, ...measured]) {
        const isFloor = floors.includes(m);
        const first = isFloor ? undefined : invocations[m.entry]?.calls[0];
        const event = isFloor ? { id: "floor" } : first?.event;
        const result = await runBundle(m.dir, event === undefined ? [] : [event], {
          ...baseEnv,
          ...(isFloor ? {} : (invocations[m.entry]?.env ?? {})),
        });
        m.init.push(result.initMs);
        m.initCpu.push(result.initCpuMs);
        if (result.calls[0]) m.firstCall.push(result.calls[0].ms);
        const answer = result.calls[0]?.answer as
          | { statusCode?: number; batchItemFailures?: unknown[] }
          | undefined;
        if (first && "statusCode" in first.expect && answer?.statusCode !== first.expect.statusCode)
          m.failures.push(`run ${run}: ${first.what} answered ${answer?.statusCode}`);
        if (first && "batchItemFailures" in first.expect && answer?.batchItemFailures?.length !== 0)
          m.failures.push(`run ${run}: ${first.what} failed: ${JSON.stringify(answer)}`);
      }
    }
    const floorInit = median(floor.init);
    const floorCall = median(floor.firstCall);
    const floorCpu = median(floor.initCpu);
    const rows = [...floors, ...measured].map((m) => {
      const init = median(m.init);
      const cpu = median(m.initCpu);
      const call = m.firstCall.length ? median(m.firstCall) : Number.NaN;
      const target = floors.includes(m)
        ? undefined
        : (INIT_RATIO_TARGETS[m.entry] ?? DEFAULT_INIT_RATIO_TARGET);
      return {
        function: m.name,
        "bundle KB": Math.round(m.bytes / 1000),
        "× floor size": (m.bytes / floor.bytes).toFixed(2),
        "init ms": init.toFixed(0),
        "× floor init": (init / floorInit).toFixed(2),
        "init CPU ms": cpu.toFixed(0),
        "× floor CPU": (cpu / floorCpu).toFixed(2),
        "init target": target ? `≤ ${target}` : "",
        meets: target ? (init / floorInit <= target ? "yes" : "NO") : "",
        "first call ms": Number.isNaN(call) ? "–" : call.toFixed(0),
        "× floor call": Number.isNaN(call) ? "–" : (call / floorCall).toFixed(2),
        // What the first caller waits for beyond Node's own start: work moved from the import to
        // the first call (a data file read on first use) shows here.
        "init + call × floor": Number.isNaN(call)
          ? "–"
          : ((init + call) / (floorInit + floorCall)).toFixed(2),
      };
    });
    console.log(
      `\nCold starts, median of ${runs} fresh Node ${process.versions.node} processes per function`,
    );
    console.table(rows);
    console.log(
      "init: the bundle's import in a fresh process (wall clock; CPU: user + system, steadier on a loaded machine). Targets are on init ÷ floor.\nfirst call: the first invocation after the import (links: GET /v1/units, the portal's sign-in; meta: GET /health; floor: one GetItem).",
    );
    for (const m of measured) for (const failure of m.failures) console.log(`! ${m.name} ${failure}`);
  } finally {
    await stack.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
