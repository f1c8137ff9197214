/**
 * Runs a function's bundle in a fresh Node process (bench/invoke-bundle.mjs): its module init and
 * first calls, timed. Shared by `npm run bench:cold` and test/infra/bundles.test.ts.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "../infra/constructs/node-function";

export interface BundleRun {
  initMs: number;
  /** CPU time (user + system) of the import. */
  initCpuMs: number;
  calls: { ms: number; answer: unknown }[];
}

/** bench/invoke-bundle.mjs in a fresh `node` with only `env`: its JSON line, or its stderr as the error. */
export function runBundle(dir: string, events: unknown[], env: Record<string, string>): Promise<BundleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, "bench/invoke-bundle.mjs"), dir], {
      env: { ...env, FIRST_CALLS: JSON.stringify(events) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !line.startsWith("{")) reject(new Error(`exit ${code}: ${stderr.slice(-2000)}`));
      else resolve(JSON.parse(line) as BundleRun);
    });
  });
}
