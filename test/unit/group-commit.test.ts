import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import {
  aggregateItems,
  fitsAlone,
  losersOf,
  packWrites,
  type SubjectWrite,
  transactionOf,
} from "../../shared/adapters/dynamo/group-commit";

const put = (pk: string, bytes = 10): TransactWriteItem => ({
  Put: { TableName: "t", Item: marshall({ pk, sk: "HEAD", pad: "x".repeat(bytes) }) },
});

function write(name: string, aggregates: Record<string, Record<string, number>>, own = 2): SubjectWrite {
  return {
    items: Array.from({ length: own }, (_, i) => put(`${name}#${i}`)),
    diff: new Map(Object.entries(aggregates)),
    field: { code: "HT", name: "Hộ tịch" },
  };
}

/** The ADD of an aggregate update, as counter → value. */
function added(item: TransactWriteItem): Record<string, number> {
  const update = item.Update!;
  const values = unmarshall(update.ExpressionAttributeValues!);
  const names = update.ExpressionAttributeNames!;
  return Object.fromEntries(
    Object.entries(names).map(([alias, name]) => [name, values[alias.replace("#", ":")] as number]),
  );
}

describe("group commit: aggregate deltas merged per item", () => {
  it("writes one ADD per aggregate with the sum of every write's delta, and sets its field name", () => {
    const items = aggregateItems("t", [
      write("a", { "10621#2023-03#HT": { rcv: 1, pW: 1 } }),
      write("b", { "10621#2023-03#HT": { rcv: 1, pW: -1, onTime: 1 }, "10621#2023-04#CT": { pW: 1 } }),
    ]);
    expect(items).toHaveLength(2);
    expect(unmarshall(items[0]!.Update!.Key!)).toEqual({ pk: "A#10621", sk: "2023-03#HT" });
    expect(added(items[0]!)).toEqual({ rcv: 2, pW: 0, onTime: 1 });
    expect(items[0]!.Update!.UpdateExpression).toContain("SET fieldName = :fieldName");
    expect(added(items[1]!)).toEqual({ pW: 1 });
    // The field name belongs to the HT aggregates only.
    expect(items[1]!.Update!.UpdateExpression).not.toContain("fieldName");
  });

  it("names, for each item of the transaction, the writes it belongs to", () => {
    const { items, owners } = transactionOf("t", [
      write("a", { "1#2023-03#HT": { rcv: 1 } }, 2),
      write("b", { "1#2023-03#HT": { rcv: 1 }, "1#2023-04#HT": { rcv: 1 } }, 1),
    ]);
    expect(items).toHaveLength(5);
    expect(owners).toEqual([[0], [0], [1], [0, 1], [1]]);
  });
});

describe("group commit: packing within DynamoDB's limits", () => {
  it("counts a shared aggregate once and starts a new transaction before 100 items", () => {
    // Each write: 2 own items and the same aggregate: 49 writes fit (98 + 1), the 50th does not.
    const writes = Array.from({ length: 60 }, (_, i) => write(`w${i}`, { "1#2023-03#HT": { rcv: 1 } }));
    const groups = packWrites(writes);
    expect(groups.map((g) => g.length)).toEqual([49, 11]);
    for (const group of groups) expect(transactionOf("t", group).items.length).toBeLessThanOrEqual(100);
  });

  it("keeps a transaction under 4 MB of items", () => {
    const big = (name: string) => ({ items: [put(name, 350_000)], diff: new Map() });
    const groups = packWrites(Array.from({ length: 12 }, (_, i) => big(`w${i}`)));
    expect(groups.map((g) => g.length)).toEqual([9, 3]);
  });

  it("sends a write that cannot fit a transaction by itself to be committed alone", () => {
    expect(fitsAlone(write("w", { "1#2023-03#HT": { rcv: 1 } }, 99))).toBe(true);
    expect(fitsAlone(write("w", { "1#2023-03#HT": { rcv: 1 }, "1#2023-04#HT": { rcv: 1 } }, 99))).toBe(false);
  });
});

describe("group commit: who lost the race", () => {
  const owners = [[0], [0], [1], [0, 1], [1]];
  const reasons = (codes: Record<number, string>) => owners.map((_, i) => ({ Code: codes[i] ?? "None" }));

  it("blames the owner of a head or event whose condition failed, and only it", () => {
    expect(losersOf(reasons({ 2: "ConditionalCheckFailed" }), owners)).toEqual(new Set([1]));
    expect(losersOf(reasons({ 0: "ConditionalCheckFailed", 4: "TransactionConflict" }), owners)).toEqual(
      new Set([0, 1]),
    );
  });

  it("blames nobody for a conflict on an aggregate several writes share, or without matching reasons", () => {
    expect(losersOf(reasons({ 3: "TransactionConflict" }), owners)).toBeUndefined();
    expect(losersOf([{ Code: "TransactionConflict" }], owners)).toBeUndefined();
    expect(losersOf(undefined, owners)).toBeUndefined();
  });
});
