import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { tracer } from "./tracer";

/**
 * Secrets Manager has no local stand-in: the local stack configures its sources otherwise. In a
 * module of its own because shared/intake/sources.ts imports it on demand, and a dynamic import
 * bundles every export of the module it names (the S3 client of aws-clients.ts included).
 */
export function secretsManagerClientFromEnv(): SecretsManagerClient {
  return tracer.captureAWSv3Client(new SecretsManagerClient({}));
}
