/**
 * A child process for the shutdown, crash, fuzz and soak runs:
 * `node --import tsx test/support/stack-process.ts <mode>`.
 * - `stack`: the full local stack (echo handlers, port 0, temp data) with the same signal wiring
 *   as `npm start`;
 * - `services`: DynamoDB Local + s3rver only (data in FIXTURE_DATA_DIR), no signal handlers (to be
 *   SIGKILLed);
 * - `api`: the HTTP API with the real handlers on a free port, against the DynamoDB and S3 server
 *   at EXTERNAL_DYNAMODB_ENDPOINT / EXTERNAL_S3_ENDPOINT (table TABLE_NAME, bucket BUCKET_NAME), so
 *   that it can be SIGKILLed while the database lives on. SIGUSR2 makes it print its memory;
 *   API_TIMEOUT_MS raises the 30 s integration timeout.
 * Prints one JSON line `{"ready": true, ...endpoints}` on stdout once started.
 */

import { startServices } from "../../local/services";
import { type LocalStack, startLocalStack, stopOnSignals } from "../../local/stack";

const mode = process.argv[2] ?? "stack";

if (mode === "stack") {
  let starting: Promise<LocalStack> | undefined;
  stopOnSignals(
    () => starting,
    (line) => process.stderr.write(`${line}\n`),
  );
  const echo = async () => ({ statusCode: 200, body: "{}" });
  starting = startLocalStack({ port: 0, handlers: { intake: echo, meta: echo, links: echo } });
  const stack = await starting;
  const dynamoPort = Number(new URL(stack.env.DYNAMODB_ENDPOINT).port);
  const s3Port = Number(new URL(stack.env.S3_ENDPOINT).port);
  const httpPort = Number(new URL(stack.url).port);
  console.log(JSON.stringify({ ready: true, url: stack.url, httpPort, dynamoPort, s3Port }));
} else if (mode === "api") {
  const dynamoEndpoint = process.env.EXTERNAL_DYNAMODB_ENDPOINT;
  const s3Endpoint = process.env.EXTERNAL_S3_ENDPOINT;
  if (!dynamoEndpoint || !s3Endpoint)
    throw new Error("api mode needs EXTERNAL_DYNAMODB_ENDPOINT and EXTERNAL_S3_ENDPOINT");
  let starting: Promise<LocalStack> | undefined;
  stopOnSignals(
    () => starting,
    (line) => process.stderr.write(`${line}\n`),
  );
  starting = startLocalStack({
    port: 0,
    services: { dynamoEndpoint, s3Endpoint },
    ...(process.env.API_TIMEOUT_MS ? { timeoutMs: Number(process.env.API_TIMEOUT_MS) } : {}),
    // API_LOG=1: the request log and handler failures on stderr.
    ...(process.env.API_LOG ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
    ...(process.env.TABLE_NAME ? { tableName: process.env.TABLE_NAME } : {}),
    ...(process.env.BUCKET_NAME ? { bucketName: process.env.BUCKET_NAME } : {}),
  });
  const stack = await starting;
  process.on("SIGUSR2", () => {
    const { rss, heapUsed, heapTotal } = process.memoryUsage();
    console.log(JSON.stringify({ memory: { rss, heapUsed, heapTotal } }));
  });
  console.log(JSON.stringify({ ready: true, url: stack.url, pid: process.pid }));
} else {
  // A data folder chosen by the test, so it can clean up after the SIGKILL.
  const services = await startServices({ dataDir: process.env.FIXTURE_DATA_DIR });
  console.log(JSON.stringify({ ready: true, dynamoPort: services.dynamoPort, s3Port: services.s3Port }));
  setInterval(() => undefined, 60_000); // stay up until killed
}
