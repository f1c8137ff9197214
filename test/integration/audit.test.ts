import { GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { auditAggregates, repairAggregates } from "../../shared/adapters/dynamo/audit";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { ingestBatch } from "../../shared/intake/intake";
import { createTestTable, type TestTable } from "../support/aws";
import { dossierEvent, feedbackEvent, received } from "../support/events";

const units = { communeExists: () => true, provinceOf: () => "30" };
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable("audit");
  const store = new DynamoSubjectStore(table.client, table.tableName);
  await ingestBatch(
    { id: "s1" },
    [
      received("2023-03-01T08:00:00+07:00", { dueAt: "2023-03-02T17:00:00+07:00" }, "late"),
      dossierEvent("dossier.resolved", "2023-03-05T08:00:00+07:00", {}, "late"),
      received("2023-04-01T08:00:00+07:00", {}, "open"),
      feedbackEvent("feedback.received", "2023-04-02T08:00:00+07:00", {
        communeCode: "10621",
        fieldCode: "HT",
        kind: "regulation",
      }),
    ],
    { store, units },
  );
});

describe("audit: the oracle as an operations command", () => {
  it("finds the stored aggregates and listings equal to a recomputation from the stored events", async () => {
    const audit = await auditAggregates(table.client, table.tableName);
    expect(audit).toMatchObject({ subjects: 3, events: 4 });
    expect(audit.aggregates.differing).toEqual([]);
    expect(audit.listings).toMatchObject({ expected: 1, missing: [], unexpected: [] });
  });

  it("reports a corrupted counter, and --repair writes the recomputed value back and bumps the commune's commit marker", async () => {
    const marker = async () => {
      const { Item } = await table.client.send(
        new GetItemCommand({
          TableName: table.tableName,
          Key: { pk: { S: "CM#10621" }, sk: { S: "COMMITS" } },
          ConsistentRead: true,
        }),
      );
      return Number(Item?.commits?.N);
    };
    const committed = await marker();
    expect(committed).toBeGreaterThan(0); // the intake's transactions bumped it; the audit passes it by
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: { pk: { S: "A#10621" }, sk: { S: "2023-03#HT" } },
        UpdateExpression: "ADD rcv :one",
        ExpressionAttributeValues: { ":one": { N: "1" } },
      }),
    );
    const audit = await auditAggregates(table.client, table.tableName);
    expect(audit.aggregates.differing).toMatchObject([
      { key: "10621#2023-03#HT", stored: { rcv: 2 }, expected: { rcv: 1 } },
    ]);
    expect(await repairAggregates(table.client, audit)).toBe(1);
    expect(await marker()).toBe(committed + 1); // cached live figures of the commune are computed again
    expect((await auditAggregates(table.client, table.tableName)).aggregates.differing).toEqual([]);
  });
});
