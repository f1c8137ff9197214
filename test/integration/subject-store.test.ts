import {
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { listIncomplete } from "../../shared/adapters/dynamo/incomplete";
import { StoreUnavailableError } from "../../shared/adapters/dynamo/retry";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import type { Event } from "../../shared/domain/events";
import { ingestBatch } from "../../shared/intake/intake";
import { counterSums, createTestTable, type TestTable } from "../support/aws";
import { dossierEvent, received } from "../support/events";

const units = { communeExists: () => true, provinceOf: () => "30" };
const fastRetry = (maxAttempts = 6) => ({
  maxAttempts,
  baseDelayMs: 1,
  maxDelayMs: 5,
  random: () => 0.5,
  sleep: async () => {},
});

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable("store");
});

const counters = (communeCode: string) => counterSums(table, communeCode);

/** A store whose client fails the first `failures` transactions with `error`, then talks to DynamoDB Local. */
function storeFailingTransactions(failures: number, error: () => Error, maxAttempts = 6) {
  let remaining = failures;
  const client = table.client;
  const realSend = client.send.bind(client);
  const send = vi.fn(async (command: unknown) => {
    if (command instanceof TransactWriteItemsCommand && remaining > 0) {
      remaining -= 1;
      throw error();
    }
    return realSend(command as never);
  });
  const proxy = new Proxy(client, {
    get: (target, key) => (key === "send" ? send : Reflect.get(target, key)),
  });
  return { store: new DynamoSubjectStore(proxy, table.tableName, fastRetry(maxAttempts)), send };
}

const conflict = () =>
  new TransactionCanceledException({
    message: "Transaction cancelled",
    $metadata: {},
    CancellationReasons: [{ Code: "None" }, { Code: "TransactionConflict" }],
  });

describe("exactly-once store under injected failures", () => {
  it.each([
    ["a cancelled transaction with a conflict", "30011", conflict],
    [
      "TransactionConflictException",
      "30012",
      () => new TransactionConflictException({ message: "conflict", $metadata: {} }),
    ],
    ["throttling", "30013", () => new ThrottlingException({ message: "slow down", $metadata: {} })],
  ])("retries after %s and counts the event once", async (_name, communeCode, error) => {
    const { store, send } = storeFailingTransactions(3, error);
    const event = received("2023-03-01T08:00:00+07:00", { communeCode }, `retry-${communeCode}`);
    const results = await ingestBatch({ id: "s1" }, [event], { store, units });
    expect(results).toEqual([{ id: event.id, status: "applied" }]);
    const transactions = send.mock.calls.filter(([command]) => command instanceof TransactWriteItemsCommand);
    expect(transactions).toHaveLength(4);
    expect(await counters(communeCode)).toMatchObject({ rcv: 1, rcvOnline: 1, pW: 1 });
  });

  it("answers with StoreUnavailableError and commits nothing when retries run out", async () => {
    const { store } = storeFailingTransactions(100, conflict, 4);
    const event = received("2023-03-01T08:00:00+07:00", { communeCode: "30002" }, "exhausted");
    await expect(ingestBatch({ id: "s1" }, [event], { store, units })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(await counters("30002")).toEqual({});
    // The sender retries later against a healthy store: the event counts exactly once.
    const healthy = new DynamoSubjectStore(table.client, table.tableName, fastRetry());
    expect(await ingestBatch({ id: "s1" }, [event], { store: healthy, units })).toEqual([
      { id: event.id, status: "applied" },
    ]);
    expect(await ingestBatch({ id: "s1" }, [event], { store: healthy, units })).toEqual([
      { id: event.id, status: "duplicate" },
    ]);
    expect((await counters("30002")).rcv).toBe(1);
  });
});

describe("duplicates, conflicts and incomplete dossiers", () => {
  const store = () => new DynamoSubjectStore(table.client, table.tableName, fastRetry());

  it("treats the same id with the same content as a duplicate, even with its keys in another order", async () => {
    const event = received("2023-04-01T08:00:00+07:00", { communeCode: "30003" }, "dup");
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as Event;
    await ingestBatch({ id: "s1" }, [event], { store: store(), units });
    expect(await ingestBatch({ id: "s1" }, [reordered], { store: store(), units })).toEqual([
      { id: event.id, status: "duplicate" },
    ]);
    expect((await counters("30003")).rcv).toBe(1);
  });

  it("rejects the same id with other content as id_conflict, also when it names another dossier", async () => {
    const event = received("2023-04-01T08:00:00+07:00", { communeCode: "30004" }, "c1");
    await ingestBatch({ id: "s1" }, [event], { store: store(), units });
    const sameDossier = { ...event, channel: "direct" } as Event;
    const otherDossier = { ...event, dossierCode: "c2" } as Event;
    for (const changed of [sameDossier, otherDossier]) {
      const [result] = await ingestBatch({ id: "s1" }, [changed], { store: store(), units });
      expect(result).toMatchObject({ status: "rejected", error: { code: "id_conflict" } });
    }
    expect((await counters("30004")).rcv).toBe(1);
  });

  it("keeps events that precede their reception, lists the dossier as incomplete, and counts it once the reception arrives", async () => {
    const resolved = dossierEvent("dossier.resolved", "2023-05-02T08:00:00+07:00", {}, "early-bird");
    await ingestBatch({ id: "s2" }, [resolved], { store: store(), units });
    expect(await listIncomplete(table.client, table.tableName, "s2")).toEqual([
      { kind: "dossier", code: "early-bird" },
    ]);
    expect(await counters("30005")).toEqual({});

    const reception = received("2023-05-01T08:00:00+07:00", { communeCode: "30005" }, "early-bird");
    await ingestBatch({ id: "s2" }, [reception], { store: store(), units });
    expect(await listIncomplete(table.client, table.tableName, "s2")).toEqual([]);
    expect(await counters("30005")).toMatchObject({ rcv: 1, res: 1, onTime: 1 });
  });

  it("commits the events of one dossier in one request together", async () => {
    const events = [
      received("2023-06-01T08:00:00+07:00", { communeCode: "30006" }, "together"),
      dossierEvent("dossier.resolved", "2023-06-02T08:00:00+07:00", {}, "together"),
      dossierEvent("dossier.rated", "2023-06-03T08:00:00+07:00", { rating: "satisfied" }, "together"),
    ];
    const { store: counting, send } = storeFailingTransactions(0, conflict);
    await ingestBatch({ id: "s1" }, events, { store: counting, units });
    expect(send.mock.calls.filter(([command]) => command instanceof TransactWriteItemsCommand)).toHaveLength(
      1,
    );
    expect(await counters("30006")).toMatchObject({ rcv: 1, res: 1, rateS: 1 });
  });
});
