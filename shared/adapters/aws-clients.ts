import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { tracer } from "./tracer";

/**
 * SDK clients built from the environment. In AWS the defaults apply; the local stack and the
 * tests set DYNAMODB_ENDPOINT / S3_ENDPOINT to DynamoDB Local and s3rver, which need static
 * credentials, path-style URLs and no CRC32 checksums (s3rver cannot decode aws-chunked trailers).
 * Every client is captured by the tracer, so each call is a subsegment of the trace in AWS (a
 * no-op where tracing is off: locally and in tests). Secrets Manager's client is in
 * secrets-client.ts: the intake imports it on demand, and a dynamic import keeps every export of
 * its module in the bundle.
 */
const localCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export function dynamoClientFromEnv(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  const endpoint = env.DYNAMODB_ENDPOINT;
  if (!endpoint) return tracer.captureAWSv3Client(new DynamoDBClient({}));
  return tracer.captureAWSv3Client(
    new DynamoDBClient({
      endpoint,
      region: env.AWS_REGION ?? "local",
      credentials: localCredentials,
    }),
  );
}

export function s3ClientFromEnv(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.S3_ENDPOINT;
  if (!endpoint) return tracer.captureAWSv3Client(new S3Client({}));
  return tracer.captureAWSv3Client(
    new S3Client({
      endpoint,
      region: env.AWS_REGION ?? "us-east-1",
      credentials: localCredentials,
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    }),
  );
}
