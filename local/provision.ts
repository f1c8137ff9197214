/**
 * Idempotent provisioning of the local stack's table and bucket (in AWS the CDK app owns them).
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { tableDefinition } from "../shared/adapters/table";

/** A CreateTable input for `tableName` built from the one table definition. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  // tableDefinition is deeply readonly (`as const`); the SDK input types want mutable arrays.
  return {
    ...(structuredClone(tableDefinition) as unknown as CreateTableCommandInput),
    TableName: tableName,
  };
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

function keyShape(keys: readonly { AttributeName?: string; KeyType?: string }[] | undefined): string {
  return (keys ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(",");
}

/**
 * Creates the table from `tableDefinition` when it does not exist and waits until it is ACTIVE.
 * An existing table whose keys or indexes differ from the definition (a data folder from an older
 * version) is an error that says how to start afresh.
 * @returns whether the table was created by this call.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<{ created: boolean }> {
  let created = false;
  let table = await describe(client, tableName);
  if (!table) {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
      created = true;
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error; // created concurrently
    }
  }
  if (table?.TableStatus !== "ACTIVE") {
    await waitUntilTableExists(
      { client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 },
      { TableName: tableName },
    );
    table = await describe(client, tableName);
  }
  const expectedIndexes = tableDefinition.GlobalSecondaryIndexes.map(
    (i) => `${i.IndexName}(${keyShape(i.KeySchema)})`,
  ).sort();
  const actualIndexes = (table?.GlobalSecondaryIndexes ?? [])
    .map((i) => `${i.IndexName}(${keyShape(i.KeySchema)})`)
    .sort();
  if (
    keyShape(table?.KeySchema) !== keyShape(tableDefinition.KeySchema) ||
    actualIndexes.join(";") !== expectedIndexes.join(";")
  ) {
    throw new Error(
      `Table ${tableName} exists with another key schema or other indexes than shared/adapters/table.ts ` +
        `(found keys ${keyShape(table?.KeySchema)}, indexes ${actualIndexes.join(";") || "none"}). ` +
        "Start the local stack with --fresh (FRESH=1) to wipe the local data.",
    );
  }
  return { created };
}

/**
 * Creates the bucket when it does not exist.
 * @returns whether the bucket was created by this call.
 */
export async function ensureBucket(s3: S3Client, bucketName: string): Promise<{ created: boolean }> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucketName }));
    return { created: false };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404 && (error as Error).name !== "NotFound") throw error;
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
    return { created: true };
  } catch (error) {
    const name = (error as Error).name;
    if (name === "BucketAlreadyOwnedByYou" || name === "BucketAlreadyExists") return { created: false };
    throw error;
  }
}
