import {
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { ingestBatch, statusCodeFor } from "../../shared/intake/intake";
import { counterSums, createTestTable, type TestTable } from "../support/aws";
import { dossierEvent, received } from "../support/events";

/**
 * Group commit against DynamoDB Local: the dossiers of one request share transactions. DynamoDB
 * Local never cancels a transaction for a conflict, so the client is wrapped to inject cancellations
 * (only that: every other call reaches DynamoDB Local).
 */
const units = { communeExists: () => true, provinceOf: () => "30" };
const fastRetry = { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5, random: () => 0.5, sleep: async () => {} };

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable("group");
});

const counters = (communeCode: string) => counterSums(table, communeCode);

const keyOf = (item: TransactWriteItem) => {
  const key = item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key ?? {};
  return `${key.pk?.S}|${key.sk?.S}`;
};

/**
 * A store whose client cancels transactions as `cancel` says: given the items of a transaction, it
 * returns the reason code of each item (or undefined to let it through to DynamoDB Local).
 */
function storeCancelling(cancel: (items: TransactWriteItem[], call: number) => string[] | undefined) {
  const realSend = table.client.send.bind(table.client);
  const transactions: TransactWriteItem[][] = [];
  const send = vi.fn(async (command: unknown) => {
    if (command instanceof TransactWriteItemsCommand) {
      const items = command.input.TransactItems ?? [];
      transactions.push(items);
      const codes = cancel(items, transactions.length);
      if (codes) {
        throw new TransactionCanceledException({
          message: "Transaction cancelled",
          $metadata: {},
          CancellationReasons: codes.map((Code) => ({ Code })),
        });
      }
    }
    return realSend(command as never);
  });
  const client = new Proxy(table.client, {
    get: (target, key) => (key === "send" ? send : Reflect.get(target, key)),
  });
  return { store: new DynamoSubjectStore(client, table.tableName, fastRetry), transactions };
}

const receptions = (communeCode: string, dossiers: string[]) =>
  dossiers.map((code) => received("2023-03-01T08:00:00+07:00", { communeCode }, code));

describe("group commit", () => {
  it("commits the dossiers of one request in one transaction, with one ADD per aggregate and one marker bump per commune", async () => {
    const { store, transactions } = storeCancelling(() => undefined);
    const dossiers = Array.from({ length: 10 }, (_, i) => `g1-${i}`);
    const results = await ingestBatch({ id: "g1" }, receptions("40001", dossiers), { store, units });
    expect(results.every((r) => r.status === "applied")).toBe(true);
    expect(transactions).toHaveLength(1);
    // 10 events, 10 heads, one aggregate (same commune, month and field), the commune's marker.
    expect(transactions[0]).toHaveLength(22);
    expect(transactions[0]!.filter((item) => item.Update).map(keyOf)).toEqual([
      "A#40001|2023-03#HT",
      "CM#40001|COMMITS",
    ]);
    expect(await counters("40001")).toMatchObject({ rcv: 10, rcvOnline: 10, pW: 10 });
  });

  it("retries alone only the dossiers whose head lost its race, and commits the others without them", async () => {
    const dossiers = ["g2-a", "g2-b", "g2-c", "g2-d"];
    const loser = "S#g2#D#g2-c|HEAD";
    const { store, transactions } = storeCancelling((items, call) =>
      call === 1 ? items.map((item) => (keyOf(item) === loser ? "TransactionConflict" : "None")) : undefined,
    );
    const events = receptions("40002", dossiers);
    const results = await ingestBatch({ id: "g2" }, events, { store, units });
    expect(results.map((r) => r.status)).toEqual(["applied", "applied", "applied", "applied"]);

    const heads = (items: TransactWriteItem[]) =>
      items.filter((item) => keyOf(item).endsWith("|HEAD")).map((item) => keyOf(item).split("#")[3]);
    expect(transactions.map((items) => heads(items).map((h) => h?.split("|")[0]))).toEqual([
      ["g2-a", "g2-b", "g2-c", "g2-d"],
      ["g2-a", "g2-b", "g2-d"],
      ["g2-c"],
    ]);
    expect(await counters("40002")).toMatchObject({ rcv: 4, pW: 4 });
  });

  it("answers a duplicate found by a lost race as duplicate, and counts it once", async () => {
    // Another request commits g3-b's reception between this request's read and its commit.
    const [a, b] = receptions("40003", ["g3-a", "g3-b"]);
    const plain = new DynamoSubjectStore(table.client, table.tableName, fastRetry);
    const { store, transactions } = storeCancelling((items, call) => {
      if (call !== 1) return undefined;
      return items.map((item) =>
        keyOf(item) === `S#g3#E#${b!.id}|EVENT` || keyOf(item) === "S#g3#D#g3-b|HEAD"
          ? "ConditionalCheckFailed"
          : "None",
      );
    });
    await ingestBatch({ id: "g3" }, [b!], { store: plain, units });
    const results = await ingestBatch({ id: "g3" }, [a!, b!], { store, units });
    expect(results.map((r) => r.status)).toEqual(["applied", "duplicate"]);
    expect(transactions).toHaveLength(2); // the group; then a alone in a group; b found in its head
    expect(await counters("40003")).toMatchObject({ rcv: 2 });
  });

  it("retries the whole group when a conflict is on an aggregate the dossiers share", async () => {
    const { store, transactions } = storeCancelling((items, call) =>
      call === 1 ? items.map((item) => (item.Update ? "TransactionConflict" : "None")) : undefined,
    );
    const results = await ingestBatch({ id: "g4" }, receptions("40004", ["g4-a", "g4-b", "g4-c"]), {
      store,
      units,
    });
    expect(results.every((r) => r.status === "applied")).toBe(true);
    // 3 events, 3 heads, the aggregate and the marker they share.
    expect(transactions.map((items) => items.length)).toEqual([8, 8]);
    expect(await counters("40004")).toMatchObject({ rcv: 3 });
  });

  it("splits a group whose shared aggregate keeps conflicting: each dossier then commits alone", async () => {
    const { store, transactions } = storeCancelling((items, call) =>
      call <= 3 ? items.map((item) => (item.Update ? "TransactionConflict" : "None")) : undefined,
    );
    const results = await ingestBatch({ id: "g6" }, receptions("40006", ["g6-a", "g6-b", "g6-c"]), {
      store,
      units,
    });
    expect(results.every((r) => r.status === "applied")).toBe(true);
    expect(transactions.map((items) => items.length)).toEqual([8, 8, 8, 4, 4, 4]);
    expect(await counters("40006")).toMatchObject({ rcv: 3 });
  });

  it("still answers per event (207) for a request mixing new events, duplicates and conflicts of many dossiers", async () => {
    const { store } = storeCancelling(() => undefined);
    const [first, second] = receptions("40005", ["g5-a", "g5-b"]);
    await ingestBatch({ id: "g5" }, [first!], { store, units });
    const resolved = dossierEvent("dossier.resolved", "2023-03-02T08:00:00+07:00", {}, "g5-a");
    const conflicting = { ...first!, channel: "direct" } as typeof first;
    const results = await ingestBatch({ id: "g5" }, [resolved, second!, first!, conflicting!], {
      store,
      units,
    });
    expect(results.map((r) => r.error?.code ?? r.status)).toEqual([
      "applied",
      "applied",
      "duplicate",
      "id_conflict",
    ]);
    expect(statusCodeFor(results)).toBe(207);
    expect(await counters("40005")).toMatchObject({ rcv: 2, res: 1 });
  });
});
