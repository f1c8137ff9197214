import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import {
  aggregateItems,
  communesOf,
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
      write("a", { "10621#2023-03#HT": { rcv: 1 } }, 2),
      write("b", { "10621#2023-03#HT": { rcv: 1 }, "10621#2023-04#HT": { rcv: 1 } }, 1),
    ]);
    expect(items).toHaveLength(6);
    // Own items, aggregates, then the commune's marker, which both writes change.
    expect(owners).toEqual([[0], [0], [1], [0, 1], [1], [0, 1]]);
  });
});

describe("group commit: one commit marker per commune changed", () => {
  const listing = (commune: string, op: "Put" | "Delete"): TransactWriteItem => {
    const key = marshall({ pk: `L#${commune}`, sk: "late#2023-03#s1#D1" });
    return op === "Put" ? { Put: { TableName: "t", Item: key } } : { Delete: { TableName: "t", Key: key } };
  };
  const markers = (items: TransactWriteItem[]) =>
    items.filter((item) => item.Update && unmarshall(item.Update.Key!).sk === "COMMITS");

  it("bumps once, with ADD commits 1, the marker of each commune whose aggregates or listings change", () => {
    const { items, owners } = transactionOf("t", [
      write("a", { "10621#2023-03#HT": { rcv: 1 }, "10622#2023-03#HT": { rcv: -1 } }),
      { ...write("b", { "10621#2023-04#HT": { rcv: 1 } }), items: [put("b#0"), listing("10623", "Delete")] },
    ]);
    const bumps = markers(items);
    expect(bumps.map((item) => unmarshall(item.Update!.Key!))).toEqual([
      { pk: "CM#10621", sk: "COMMITS" },
      { pk: "CM#10622", sk: "COMMITS" },
      { pk: "CM#10623", sk: "COMMITS" },
    ]);
    for (const bump of bumps) {
      expect(bump.Update!.UpdateExpression).toBe("ADD commits :one");
      expect(unmarshall(bump.Update!.ExpressionAttributeValues!)).toEqual({ ":one": 1 });
    }
    expect(owners.slice(-3)).toEqual([[0, 1], [0], [1]]);
    expect(communesOf({ items: [listing("10624", "Put")], diff: new Map() })).toEqual(new Set(["10624"]));
  });

  it("bumps no marker for a write that changes no aggregate and no listing", () => {
    const { items } = transactionOf("t", [write("a", {}, 2)]);
    expect(items).toHaveLength(2);
    expect(markers(items)).toEqual([]);
  });
});

describe("group commit: packing within DynamoDB's limits", () => {
  it("counts a shared aggregate and a shared marker once and starts a new transaction before 100 items", () => {
    // Each write: 2 own items, the same aggregate and the same commune's marker: 49 writes fit
    // (98 + 1 + 1), the 50th does not.
    const writes = Array.from({ length: 60 }, (_, i) => write(`w${i}`, { "10621#2023-03#HT": { rcv: 1 } }));
    const groups = packWrites(writes);
    expect(groups.map((g) => g.length)).toEqual([49, 11]);
    expect(groups.map((group) => transactionOf("t", group).items.length)).toEqual([100, 24]);
  });

  it("counts the marker of each commune a write adds to the transaction", () => {
    // Each write: 2 own items, an aggregate and a marker of its own commune: 4 items, 25 writes fit.
    const writes = Array.from({ length: 30 }, (_, i) =>
      write(`w${i}`, { [`${10600 + i}#2023-03#HT`]: { rcv: 1 } }),
    );
    const groups = packWrites(writes);
    expect(groups.map((g) => g.length)).toEqual([25, 5]);
    expect(groups.map((group) => transactionOf("t", group).items.length)).toEqual([100, 20]);
  });

  it("keeps a transaction under 4 MB of items", () => {
    const big = (name: string) => ({ items: [put(name, 350_000)], diff: new Map() });
    const groups = packWrites(Array.from({ length: 12 }, (_, i) => big(`w${i}`)));
    expect(groups.map((g) => g.length)).toEqual([9, 3]);
  });

  it("sends a write that cannot fit a transaction by itself to be committed alone", () => {
    // 98 own items, an aggregate, the commune's marker: 100.
    expect(fitsAlone(write("w", { "10621#2023-03#HT": { rcv: 1 } }, 98))).toBe(true);
    expect(fitsAlone(write("w", { "10621#2023-03#HT": { rcv: 1 } }, 99))).toBe(false);
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
