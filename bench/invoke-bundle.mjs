/**
 * Runs in a fresh Node process, like a Lambda container: imports a bundle's `index.mjs` (its module
 * init, timed), then invokes its `handler` with each event given in FIRST_CALLS (JSON array), in
 * order, and prints one JSON line: { initMs, initCpuMs, calls: [{ ms, answer }] } (initCpuMs: the
 * CPU time of the import, less sensitive than the wall clock to other processes on the machine). Plain JavaScript on purpose:
 * nothing but Node and the bundle is loaded. Used by bench/cold.ts and test/infra/bundles.test.ts.
 *
 *   FIRST_CALLS='[{...event}]' node bench/invoke-bundle.mjs <bundle folder>
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const dir = process.argv[2];
const events = JSON.parse(process.env.FIRST_CALLS ?? "[]");
const context = {
  functionName: "first-invocation",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:ap-southeast-1:000000000000:function:first-invocation",
  memoryLimitInMB: "1024",
  awsRequestId: "00000000-0000-4000-8000-000000000000",
  logGroupName: "/aws/lambda/first-invocation",
  logStreamName: "local",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
};

const started = performance.now();
const cpu = process.cpuUsage();
const mod = await import(pathToFileURL(`${dir}/index.mjs`).href);
const initMs = performance.now() - started;
const { user, system } = process.cpuUsage(cpu);
const initCpuMs = (user + system) / 1000;
if (typeof mod.handler !== "function") throw new Error(`${dir}/index.mjs exports no handler`);

const calls = [];
for (const event of events) {
  const t = performance.now();
  const answer = await mod.handler(event, context);
  calls.push({ ms: performance.now() - t, answer });
}
process.stdout.write(`${JSON.stringify({ initMs, initCpuMs, calls })}\n`);
