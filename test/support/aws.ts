/**
 * Helpers for tests against the real DynamoDB Local and s3rver started by global-setup.ts.
 *
 *   const aws = useLocalAws();                        // env endpoints from inject()
 *   const { tableName, client } = await createTestTable();   // a fresh table per test file
 *   const { bucketName, s3 } = await createTestBucket();
 *
 * Each call creates a uniquely named table / bucket, so test files never see each other's data.
 */
import { randomUUID } from "node:crypto";
import { DeleteTableCommand, type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { inject } from "vitest";
import { ensureBucket, ensureTable } from "../../local/provision";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../../shared/adapters/aws-clients";

export interface LocalAws {
  dynamoEndpoint: string;
  s3Endpoint: string;
  region: string;
}

/**
 * Points process.env.DYNAMODB_ENDPOINT / S3_ENDPOINT (and AWS_REGION, unless set) at the services
 * of the global setup, so code that builds clients from the environment (aws-clients.ts) uses them.
 */
export function useLocalAws(): LocalAws {
  const dynamoEndpoint = inject("dynamoEndpoint");
  const s3Endpoint = inject("s3Endpoint");
  process.env.DYNAMODB_ENDPOINT = dynamoEndpoint;
  process.env.S3_ENDPOINT = s3Endpoint;
  process.env.AWS_REGION ??= "ap-southeast-1";
  return { dynamoEndpoint, s3Endpoint, region: process.env.AWS_REGION };
}

export interface TestTable {
  tableName: string;
  client: DynamoDBClient;
  /** Deletes the table (optional: the in-memory database vanishes with the run anyway). */
  drop(): Promise<void>;
}

/**
 * Creates a table named `${prefix}-{random}` from shared/adapters/table.ts and waits until it is
 * ACTIVE. With `setEnv` (default true) process.env.TABLE_NAME names it, for handlers.
 */
export async function createTestTable(prefix = "test", opts: { setEnv?: boolean } = {}): Promise<TestTable> {
  useLocalAws();
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  const client = dynamoClientFromEnv();
  await ensureTable(client, tableName);
  if (opts.setEnv ?? true) process.env.TABLE_NAME = tableName;
  return {
    tableName,
    client,
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
    },
  };
}

export interface TestBucket {
  bucketName: string;
  s3: S3Client;
}

/**
 * Creates an empty bucket named `${prefix}-{random}` (lower case, as S3 requires). With `setEnv`
 * (default true) process.env.BUCKET_NAME names it, for handlers.
 */
export async function createTestBucket(
  prefix = "test",
  opts: { setEnv?: boolean } = {},
): Promise<TestBucket> {
  useLocalAws();
  const bucketName = `${prefix.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  const s3 = s3ClientFromEnv();
  await ensureBucket(s3, bucketName);
  if (opts.setEnv ?? true) process.env.BUCKET_NAME = bucketName;
  return { bucketName, s3 };
}

/** Every counter of a commune's aggregates, summed over its months and fields (one Query, no paging). */
export async function counterSums(table: TestTable, communeCode: string): Promise<Record<string, number>> {
  const page = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: `A#${communeCode}` } },
    }),
  );
  const sums: Record<string, number> = {};
  for (const item of page.Items ?? []) {
    const { pk: _p, sk: _s, fieldName: _f, ...values } = unmarshall(item);
    for (const [name, value] of Object.entries(values)) sums[name] = (sums[name] ?? 0) + (value as number);
  }
  return sums;
}
