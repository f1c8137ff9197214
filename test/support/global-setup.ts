/**
 * Vitest global setup: one DynamoDB Local (in memory) and one s3rver (temporary folder) on free
 * ports for the whole run. Test files reach them through `inject("dynamoEndpoint")` /
 * `inject("s3Endpoint")`, most simply with `useLocalAws()` from test/support/aws.ts, and isolate
 * themselves with `createTestTable()` / `createTestBucket()`.
 */
import type { TestProject } from "vitest/node";
import { startServices } from "../../local/services";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const services = await startServices({});
  project.provide("dynamoEndpoint", services.dynamoEndpoint);
  project.provide("s3Endpoint", services.s3Endpoint);
  // Forked workers started after this point inherit these too; tests should still prefer
  // inject() (useLocalAws), which does not depend on when the pool forks.
  process.env.DYNAMODB_ENDPOINT = services.dynamoEndpoint;
  process.env.S3_ENDPOINT = services.s3Endpoint;
  if (process.env.LOCAL_STACK_DEBUG) {
    console.log(`local services ready in ${Date.now() - started} ms: ${JSON.stringify(services)}`);
  }
  return async () => {
    await services.stop();
  };
}
