import { Logger } from "@aws-lambda-powertools/logger";

/** What every Lambda entry shares: its logger and its required configuration. */
export function createLogger(): Logger {
  return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "onestop" });
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
