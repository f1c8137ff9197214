import { createHash } from "node:crypto";
import { GetObjectCommand, S3ServiceException } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_EDITION } from "../../scripts/demo-edition";
import { DynamoEditionStore } from "../../shared/adapters/dynamo/edition-store";
import { IssuedObjectExistsError, S3EditionFileStore } from "../../shared/adapters/s3/edition-files";
import { issueEdition } from "../../shared/editions/issue";
import { createEdition, editionTarget, saveEdition } from "../../shared/editions/service";
import { createTestBucket, createTestTable, type TestBucket, type TestTable } from "../support/aws";
import { editionDeps, editionItems, editionObjects } from "../support/editions";

/**
 * Issued files are written with S3 conditional writes (`If-None-Match: *`). s3rver, the local
 * stand-in, ignores that header on PUT (docs/editions.md#s3-conditional-writes), so the header is
 * checked on the wire, and S3's refusal (412 PreconditionFailed, which s3rver cannot produce) is
 * injected with an SDK middleware: a refused write is never taken for a stored file.
 */
let table: TestTable;
let bucket: TestBucket;
const context = {
  actor: { issuer: "https://issuer.test", subject: "ct", name: "Chủ tịch" },
  requestId: "r1",
};

beforeAll(async () => {
  table = await createTestTable("edition-files");
  bucket = await createTestBucket("edition-files");
});

describe("issued files", () => {
  it("are sent with If-None-Match: * and recorded with the SHA-256 of the bytes stored", async () => {
    const sent: Record<string, string>[] = [];
    bucket.s3.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (request.headers) sent.push({ ...request.headers });
        return next(args);
      },
      { step: "finalizeRequest", name: "recordHeaders" },
    );
    const files = new S3EditionFileStore(bucket.s3, bucket.bucketName);
    const body = Buffer.from("issued bytes");
    const key = "editions/issued/10621/2023/e1-r3-test/bao-cao.json";
    const stored = await files.putOnce(key, { format: "json", body }, "bao-cao.json");
    bucket.s3.middlewareStack.remove("recordHeaders");
    expect(sent.at(-1)?.["if-none-match"]).toBe("*");
    expect(stored.sha256).toBe(createHash("sha256").update(body).digest("hex"));
    const object = await bucket.s3.send(new GetObjectCommand({ Bucket: bucket.bucketName, Key: key }));
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it("are refused outside the issued prefix", async () => {
    const files = new S3EditionFileStore(bucket.s3, bucket.bucketName);
    await expect(
      files.putOnce("reports/2023/x.json", { format: "json", body: Buffer.from("x") }, "x.json"),
    ).rejects.toThrow(/editions\/issued/);
  });

  it("when S3 refuses the conditional write (412), fail the issue and leave the draft as it was", async () => {
    const deps = editionDeps(table.client, table.tableName, bucket.s3, bucket.bucketName);
    const target = editionTarget("10621", { kind: "year", year: 2023 }, new Date())!;
    await createEdition(deps, target, context);
    await saveEdition(deps, target, DEMO_EDITION, 1, context);
    const before = await editionItems(table.client, table.tableName);

    const refusing = createTestBucket("edition-files-412", { setEnv: false });
    const { s3, bucketName } = await refusing;
    s3.middlewareStack.add(
      (next, handlerContext) => async (args) => {
        if (handlerContext.commandName === "PutObjectCommand") {
          throw new S3ServiceException({
            name: "PreconditionFailed",
            $fault: "client",
            $metadata: { httpStatusCode: 412 },
            message: "At least one of the pre-conditions you specified did not hold",
          });
        }
        return next(args);
      },
      { step: "initialize", name: "refuseConditionalWrite" },
    );
    const refusingDeps = { ...deps, files: new S3EditionFileStore(s3, bucketName) };
    await expect(issueEdition(refusingDeps, target, 2, context)).rejects.toBeInstanceOf(
      IssuedObjectExistsError,
    );

    expect(await editionItems(table.client, table.tableName)).toEqual(before);
    const current = await new DynamoEditionStore(table.client, table.tableName).current(
      "10621",
      target.period,
    );
    expect(current).toMatchObject({ status: "draft", revision: 2 });
  });

  it("an issue whose draft was saved while its files were rendered stores no file and answers 412", async () => {
    const deps = editionDeps(table.client, table.tableName, bucket.s3, bucket.bucketName);
    const target = editionTarget("10621", { kind: "year", year: 2022 }, new Date())!;
    await createEdition(deps, target, context);
    await saveEdition(deps, target, DEMO_EDITION, 1, context);
    // Another editor saves (revision 2 → 3) while the issue reads the figures it renders.
    let saved: Promise<unknown> | undefined;
    const aggregates = new Proxy(deps.aggregates, {
      get(reader, property, receiver) {
        const value = Reflect.get(reader, property, receiver);
        if (typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          saved ??= saveEdition(deps, target, { texts: { "I.2": "Một đoạn sửa." } }, 2, {
            ...context,
            requestId: "save",
          });
          await saved;
          return value.apply(reader, args);
        };
      },
    });
    await expect(issueEdition({ ...deps, aggregates }, target, 2, context)).rejects.toMatchObject({
      statusCode: 412,
    });
    expect(saved).toBeDefined();
    const objects = await editionObjects(bucket.s3, bucket.bucketName);
    expect(objects.filter((object) => object.startsWith("editions/issued/10621/2022/"))).toEqual([]);
    const current = await new DynamoEditionStore(table.client, table.tableName).current(
      "10621",
      target.period,
    );
    expect(current).toMatchObject({ status: "draft", revision: 3 });
  });

  it("when two issues of the same revision race, both answer the one issue that committed, with its files", async () => {
    const deps = editionDeps(table.client, table.tableName, bucket.s3, bucket.bucketName);
    const target = editionTarget("10618", { kind: "year", year: 2023 }, new Date())!;
    await createEdition(deps, target, context);
    await saveEdition(deps, target, DEMO_EDITION, 1, context);
    const [a, b] = await Promise.all([
      issueEdition(deps, target, 2, { ...context, requestId: "a" }),
      issueEdition(deps, target, 2, { ...context, requestId: "b" }),
    ]);
    expect(a.issued?.files).toEqual(b.issued?.files);
    expect(a.issued?.at).toBe(b.issued?.at);
    const audits = (await editionItems(table.client, table.tableName)).filter(
      (item) => item.startsWith("AU#10618|") && item.includes("edition.issue"),
    );
    expect(audits).toHaveLength(1);
  });
});
