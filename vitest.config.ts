import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // DynamoDB Local and the S3 server are started once for the whole run.
    globalSetup: ["test/support/global-setup.ts"],
    // A safety net against hangs, not a speed target: tests that start a stack wait for the JVM,
    // which takes over a minute on a loaded 2-core machine.
    testTimeout: 240_000,
    hookTimeout: 300_000,
    pool: "forks",
    env: {
      POWERTOOLS_METRICS_DISABLED: "true",
      POWERTOOLS_TRACE_ENABLED: "false",
      POWERTOOLS_LOG_LEVEL: "WARN",
    },
  },
});
