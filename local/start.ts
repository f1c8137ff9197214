/**
 * `npm start`: the local stack on http://127.0.0.1:3000.
 *
 * Environment: PORT (default 3000), OIDC_PORT (the development OpenID provider, default 3001), DATA_DIR (default .local/data in the project), FRESH=1 or the
 * flag `--fresh` (start from an empty data folder), TABLE_NAME, BUCKET_NAME, AWS_REGION;
 * EXTERNAL_DYNAMODB_ENDPOINT and EXTERNAL_S3_ENDPOINT (both): serve the API against a DynamoDB and
 * an S3 server already running elsewhere instead of starting them.
 * Ctrl+C (SIGINT) or SIGTERM stops the HTTP server, DynamoDB Local and s3rver; a second signal
 * exits at once (the Java process is still killed on exit).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { DEMO_READER_TOKEN, DEMO_SOURCE } from "../shared/intake/sources";
import { DEMO_PASSWORD, DEMO_PEOPLE } from "./demo-people";
import { startLocalReportScheduler } from "./report-scheduler";
import {
  DEFAULT_BUCKET_NAME,
  DEFAULT_DATA_DIR,
  DEFAULT_TABLE_NAME,
  type LocalStack,
  PROJECT_ROOT,
  STACK_FILE,
  startLocalStack,
  stopOnSignals,
} from "./stack";
import { ensureWebBuilt } from "./web-build";

function log(line: string): void {
  const time = new Date().toISOString().slice(11, 19);
  console.log(`${time} ${line}`);
}

function parsePort(value: string | undefined, fallback = 3000, name = "PORT"): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number, got "${value}"`);
  }
  return port;
}

function externalServices(): { services: { dynamoEndpoint: string; s3Endpoint: string } } | object {
  const dynamoEndpoint = process.env.EXTERNAL_DYNAMODB_ENDPOINT;
  const s3Endpoint = process.env.EXTERNAL_S3_ENDPOINT;
  if (!dynamoEndpoint && !s3Endpoint) return {};
  if (!dynamoEndpoint || !s3Endpoint) {
    throw new Error("set both EXTERNAL_DYNAMODB_ENDPOINT and EXTERNAL_S3_ENDPOINT, or neither");
  }
  return { services: { dynamoEndpoint, s3Endpoint } };
}

const args = process.argv.slice(2);
for (const arg of args) {
  if (arg !== "--fresh") console.warn(`ignoring unknown argument ${arg} (known: --fresh)`);
}
const fresh = args.includes("--fresh") || process.env.FRESH === "1" || process.env.FRESH === "true";
const dataDir = process.env.DATA_DIR ? path.resolve(process.env.DATA_DIR) : DEFAULT_DATA_DIR;

let starting: Promise<LocalStack> | undefined;
stopOnSignals(() => starting, log);

async function main(): Promise<void> {
  const port = parsePort(process.env.PORT);
  // The portal at `/`: built on the first start, and again whenever its sources changed.
  ensureWebBuilt(log);
  log(`starting the local stack (data in ${dataDir}${fresh ? ", wiped first" : ""})`);
  starting = startLocalStack({
    port,
    dataDir,
    fresh,
    tableName: process.env.TABLE_NAME || DEFAULT_TABLE_NAME,
    bucketName: process.env.BUCKET_NAME || DEFAULT_BUCKET_NAME,
    ...externalServices(),
    oidc: { port: parsePort(process.env.OIDC_PORT, 3001, "OIDC_PORT") },
    log,
  });
  const stack = await starting;
  // Where commands that act directly on the data (npm run demo's report edition) find this stack.
  await writeFile(path.join(stack.dataDir, STACK_FILE), `${JSON.stringify(stack.env, null, 2)}\n`);
  // The report schedules (shared/reports/jobs/report-schedules.ts) in-process; REPORT_SCHEDULE=off disables them.
  if (process.env.REPORT_SCHEDULE !== "off") {
    startLocalReportScheduler({ tableName: stack.env.TABLE_NAME, bucketName: stack.env.BUCKET_NAME, log });
  }
  const relativeData = path.relative(PROJECT_ROOT, stack.dataDir);
  const shownData = relativeData.startsWith("..") ? stack.dataDir : relativeData;
  console.log(
    [
      "",
      "  One-stop reports: local stack ready",
      "",
      `  portal         ${stack.url}/   (sign in as a demo person below, or with the reader token)`,
      `  API            ${stack.url}   (GET ${stack.url}/health, GET ${stack.url}/v1/openapi.json)`,
      `  data folder    ${shownData}   (npm start -- --fresh starts empty)`,
      `  DynamoDB Local ${stack.env.DYNAMODB_ENDPOINT}   table ${stack.env.TABLE_NAME}`,
      `  S3 (s3rver)    ${stack.env.S3_ENDPOINT}   bucket ${stack.env.BUCKET_NAME}`,
      `  demo source    ${DEMO_SOURCE.id}`,
      `  its secret     ${DEMO_SOURCE.secrets[0]}`,
      `  DVCQG log-in   ${stack.url}/v1/sources/${DEMO_SOURCE.id}/dvcqg/auth   user ${DEMO_SOURCE.dvcqg?.username}, password ${DEMO_SOURCE.dvcqg?.password}`,
      `  reader token   ${DEMO_READER_TOKEN}`,
      `  sign-in (OIDC) ${stack.oidc?.issuer}   (development OpenID provider; docs/people.md)`,
      `  demo people    ${DEMO_PEOPLE.map((p) => `${p.username} (${p.role} ${p.units.join(",")})`).join(", ")}, password ${DEMO_PASSWORD}`,
      "",
      "  send a first event: npm run send-example",
      "  a realistic year and its report (JSON, Excel, Word): npm run demo",
      "  the same year sent as a provincial system's DVCQG sync: npm run dvcqg:demo",
      "  reports are rebuilt on schedule: closed year 15/12 01:00, year to date nightly 02:00 (Asia/Ho_Chi_Minh)",
      "  Ctrl+C stops everything.",
      "",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  const err = error as NodeJS.ErrnoException;
  if (err.code === "EADDRINUSE") {
    console.error(
      `Port ${process.env.PORT ?? 3000} or ${process.env.OIDC_PORT ?? 3001} is in use: stop what runs there or set PORT / OIDC_PORT.`,
    );
  } else {
    console.error(err?.message ?? String(error));
  }
  process.exit(1);
});
