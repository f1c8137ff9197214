import { randomBytes } from "node:crypto";
import {
  CreateTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTableInput, ensureBucket, ensureTable } from "../../local/provision";
import { checkJava, isPortClosed, parseJavaMajor } from "../../local/services";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../../shared/adapters/aws-clients";
import { tableDefinition } from "../../shared/adapters/table";
import { createTestBucket, createTestTable, useLocalAws } from "../support/aws";

const aws = useLocalAws();
const dynamo = dynamoClientFromEnv();
const s3 = s3ClientFromEnv();

afterAll(() => {
  dynamo.destroy();
  s3.destroy();
});

describe("services of the global setup", () => {
  it("DynamoDB Local answers ListTables over the network", async () => {
    expect(aws.dynamoEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const result = await dynamo.send(new ListTablesCommand({}));
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(Array.isArray(result.TableNames)).toBe(true);
  });

  it("s3rver answers ListBuckets over the network", async () => {
    expect(aws.s3Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const result = await s3.send(new ListBucketsCommand({}));
    expect(result.$metadata.httpStatusCode).toBe(200);
  });

  it("forked test workers see the endpoints both through inject() and the inherited environment", () => {
    expect(process.env.DYNAMODB_ENDPOINT).toBe(aws.dynamoEndpoint);
    expect(process.env.S3_ENDPOINT).toBe(aws.s3Endpoint);
  });
});

describe("provisioning", () => {
  it("ensureTable creates the table from tableDefinition, ACTIVE, with its keys and index", async () => {
    const tableName = `prov-${randomBytes(4).toString("hex")}`;
    expect(await ensureTable(dynamo, tableName)).toEqual({ created: true });
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.TableStatus).toBe("ACTIVE");
    expect(Table?.KeySchema).toEqual(tableDefinition.KeySchema);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema])).toEqual(
      tableDefinition.GlobalSecondaryIndexes.map((i) => [i.IndexName, i.KeySchema]),
    );
  });

  it("ensureTable is idempotent: a second call keeps the table and its items", async () => {
    const tableName = `prov-${randomBytes(4).toString("hex")}`;
    await ensureTable(dynamo, tableName);
    await dynamo.send(
      new PutItemCommand({ TableName: tableName, Item: { pk: { S: "A#00001" }, sk: { S: "x" } } }),
    );
    expect(await ensureTable(dynamo, tableName)).toEqual({ created: false });
    const [again, concurrent] = await Promise.all([
      ensureTable(dynamo, tableName),
      ensureTable(dynamo, tableName),
    ]);
    expect([again.created, concurrent.created]).toEqual([false, false]);
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.ItemCount).toBe(1);
  });

  it("ensureTable refuses an existing table whose key schema differs from tableDefinition", async () => {
    const tableName = `prov-${randomBytes(4).toString("hex")}`;
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await expect(ensureTable(dynamo, tableName)).rejects.toThrow(/--fresh/);
  });

  it("createTableInput is the table definition plus the name", () => {
    const input = createTableInput("t-1");
    expect(input.TableName).toBe("t-1");
    expect(input.KeySchema).toEqual(tableDefinition.KeySchema);
    expect(input.BillingMode).toBe("PAY_PER_REQUEST");
  });

  it("ensureBucket creates a missing bucket once and is a no-op afterwards", async () => {
    const bucketName = `prov-${randomBytes(4).toString("hex")}`;
    expect(await ensureBucket(s3, bucketName)).toEqual({ created: true });
    await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: "keep.txt", Body: Buffer.from("kept") }));
    expect(await ensureBucket(s3, bucketName)).toEqual({ created: false });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucketName, Key: "keep.txt" }));
    expect(head.ContentLength).toBe(4);
  });

  it("createTestTable and createTestBucket give each caller its own, fresh table and bucket", async () => {
    const a = await createTestTable("iso");
    const b = await createTestTable("iso");
    expect(a.tableName).not.toBe(b.tableName);
    expect(process.env.TABLE_NAME).toBe(b.tableName);
    const described = await a.client.send(new DescribeTableCommand({ TableName: a.tableName }));
    expect(described.Table?.ItemCount).toBe(0);
    await a.drop();
    const tables = (await dynamo.send(new ListTablesCommand({}))).TableNames ?? [];
    expect(tables).not.toContain(a.tableName);
    expect(tables).toContain(b.tableName);

    const bucket = await createTestBucket("Iso");
    expect(bucket.bucketName).toMatch(/^iso-[0-9a-f]{8}$/);
    expect(process.env.BUCKET_NAME).toBe(bucket.bucketName);
  });
});

describe("S3 round trip", () => {
  let bucketName: string;
  beforeAll(async () => {
    ({ bucketName } = await createTestBucket("roundtrip"));
  });

  it("a Buffer of every byte value (3 MiB) comes back from s3rver byte for byte", async () => {
    const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const body = Buffer.concat([allBytes, randomBytes(3 * 1024 * 1024), allBytes]);
    const key = "reports/2023/00001/bao-cao.xlsx";
    const contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    await s3.send(
      new PutObjectCommand({ Bucket: bucketName, Key: key, Body: body, ContentType: contentType }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: key }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(got.ContentType).toBe(contentType);
    expect(bytes.length).toBe(body.length);
    expect(bytes.equals(body)).toBe(true);
  });

  it("a UTF-8 text object with Vietnamese characters comes back unchanged", async () => {
    const text = "Báo cáo kết quả giải quyết thủ tục hành chính năm 2023 – Ủy ban nhân dân xã Quốc Tuấn";
    await s3.send(
      new PutObjectCommand({
        Bucket: bucketName,
        Key: "t.json",
        Body: Buffer.from(JSON.stringify({ text })),
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: "t.json" }));
    expect(JSON.parse(await got.Body!.transformToString("utf-8"))).toEqual({ text });
  });
});

describe("Java check", () => {
  it("parseJavaMajor reads modern and 1.x version strings", () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('java version "1.8.0_292"')).toBe(8);
    expect(parseJavaMajor("no version here")).toBeUndefined();
  });

  it("checkJava accepts the installed Java (17+)", async () => {
    const { major } = await checkJava();
    expect(major).toBeGreaterThanOrEqual(17);
  });

  it("checkJava without java on the PATH fails with the Java 17 install hint", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await expect(checkJava()).rejects.toThrow(/Java 17 or newer.*openjdk-17-jre-headless.*Temurin/s);
    } finally {
      process.env.PATH = path;
    }
  });

  it("isPortClosed tells a listening port from a closed one", async () => {
    const port = Number(new URL(aws.dynamoEndpoint).port);
    expect(await isPortClosed(port)).toBe(false);
  });
});
