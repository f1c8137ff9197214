import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";

/**
 * SDK clients built from the environment. In AWS the defaults apply; the local stack and the
 * tests set DYNAMODB_ENDPOINT / S3_ENDPOINT to DynamoDB Local and s3rver, which need static
 * credentials, path-style URLs and no CRC32 checksums (s3rver cannot decode aws-chunked trailers).
 */
const localCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export function dynamoClientFromEnv(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  const endpoint = env.DYNAMODB_ENDPOINT;
  if (!endpoint) return new DynamoDBClient({});
  return new DynamoDBClient({
    endpoint,
    region: env.AWS_REGION ?? "local",
    credentials: localCredentials,
  });
}

export function s3ClientFromEnv(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.S3_ENDPOINT;
  if (!endpoint) return new S3Client({});
  return new S3Client({
    endpoint,
    region: env.AWS_REGION ?? "us-east-1",
    credentials: localCredentials,
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}
