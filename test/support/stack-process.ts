/**
 * A child process for the shutdown tests: `node --import tsx test/support/stack-process.ts <mode>`.
 * - `stack`: the full local stack (echo handlers, port 0, temp data) with the same signal wiring
 *   as `npm start`;
 * - `services`: DynamoDB Local + s3rver only (data in FIXTURE_DATA_DIR), no signal handlers (to be
 *   SIGKILLed).
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
} else {
  // A data folder chosen by the test, so it can clean up after the SIGKILL.
  const services = await startServices({ dataDir: process.env.FIXTURE_DATA_DIR });
  console.log(JSON.stringify({ ready: true, dynamoPort: services.dynamoPort, s3Port: services.s3Port }));
  setInterval(() => undefined, 60_000); // stay up until killed
}
