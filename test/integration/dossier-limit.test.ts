import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../shared/adapters/dynamo/keys";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { type Event, MAX_EVENTS_PER_DOSSIER } from "../../shared/domain/events";
import { type EventResult, ingestBatch } from "../../shared/intake/intake";
import { createTestTable, type TestTable } from "../support/aws";

/**
 * The per-dossier bound against DynamoDB Local: a dossier holds MAX_EVENTS_PER_DOSSIER events of the
 * largest kind (128-character ids, events that each grow the stored state), its head stays well
 * inside the 400 KB item limit, and the next event is rejected with `dossier_limit`, not a 500.
 */
const DYNAMODB_ITEM_LIMIT = 400 * 1024;
const SOURCE = { id: "limit" };
const units = { communeExists: () => true, provinceOf: () => "30" };
const DOSSIER = "D-LIMIT";
const START = Date.parse("2023-01-01T00:00:00Z");
const longName = "Đăng ký khai sinh ".repeat(40).slice(0, 512);

let table: TestTable;
let store: DynamoSubjectStore;

beforeAll(async () => {
  table = await createTestTable("limit");
  store = new DynamoSubjectStore(table.client, table.tableName);
});

const id = (n: number) => `${"x".repeat(120)}${String(n).padStart(8, "0")}`;
const at = (n: number) => new Date(START + n * 60_000).toISOString();

/** Event n of the dossier: a reception first, then state-growing events (holds, due changes). */
function eventNumber(n: number): Event {
  const common = { id: id(n), occurredAt: at(n), dossierCode: DOSSIER };
  if (n === 0) {
    return {
      ...common,
      type: "dossier.received",
      communeCode: "10621",
      fieldCode: "HT",
      fieldName: longName,
      procedureCode: "1.001193",
      procedureName: longName,
      channel: "online",
      dueAt: at(n + 10_000),
    };
  }
  const dueAt = at(n + 10_000);
  switch (n % 4) {
    case 0:
      return { ...common, type: "dossier.supplement_requested", dueAt };
    case 1:
      return { ...common, type: "dossier.supplement_received", dueAt };
    case 2:
      return { ...common, type: "dossier.paused", reason: "financial-obligation" };
    default:
      return { ...common, type: "dossier.resumed", dueAt };
  }
}

/** DynamoDB's item size: the UTF-8 lengths of attribute names and values (numbers counted generously). */
function itemSize(item: Record<string, { S?: string; N?: string }>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) =>
      sum + Buffer.byteLength(name) + (value.S !== undefined ? Buffer.byteLength(value.S) : 21),
    0,
  );
}

async function send(events: Event[]): Promise<EventResult[]> {
  const results: EventResult[] = [];
  for (let i = 0; i < events.length; i += 500) {
    results.push(...(await ingestBatch(SOURCE, events.slice(i, i + 500), { store, units })));
  }
  return results;
}

describe("the per-dossier bound", () => {
  it(`applies ${MAX_EVENTS_PER_DOSSIER} of the largest events to one dossier and keeps its head under 75% of DynamoDB's item limit`, async () => {
    const events = Array.from({ length: MAX_EVENTS_PER_DOSSIER }, (_, n) => eventNumber(n));
    const results = await send(events);
    expect(results.filter((r) => r.status === "applied")).toHaveLength(MAX_EVENTS_PER_DOSSIER);

    const head = await table.client.send(
      new GetItemCommand({
        TableName: table.tableName,
        Key: marshall(keys.head(SOURCE.id, { kind: "dossier", code: DOSSIER })),
      }),
    );
    const size = itemSize(head.Item as Record<string, { S?: string; N?: string }>);
    expect(size).toBeLessThan(DYNAMODB_ITEM_LIMIT * 0.75);
  }, 300_000);

  it("rejects each further event with dossier_limit (207 beside accepted ones), and still answers duplicates", async () => {
    const further = [eventNumber(MAX_EVENTS_PER_DOSSIER), eventNumber(MAX_EVENTS_PER_DOSSIER + 1)];
    const repeated = eventNumber(5);
    const other = { ...eventNumber(0), id: "other-dossier", dossierCode: "D-OTHER" } as Event;
    const results = await send([...further, repeated, other]);
    expect(results).toEqual([
      {
        id: further[0]!.id,
        status: "rejected",
        error: { code: "dossier_limit", message: expect.stringContaining(DOSSIER), path: "dossierCode" },
      },
      {
        id: further[1]!.id,
        status: "rejected",
        error: { code: "dossier_limit", message: expect.stringContaining(DOSSIER), path: "dossierCode" },
      },
      { id: repeated.id, status: "duplicate" },
      { id: "other-dossier", status: "applied" },
    ]);
    // Still rejected when sent again: the bound holds, nothing was stored for them.
    expect((await send([further[0]!]))[0]).toMatchObject({
      status: "rejected",
      error: { code: "dossier_limit" },
    });
  }, 120_000);
});
