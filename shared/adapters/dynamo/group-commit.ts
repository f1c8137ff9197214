import type {
  CancellationReason,
  TransactionCanceledException,
  TransactWriteItem,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { type AggregateKey, type Contribution, parseAggregateKey } from "../../domain/counters";
import { keys } from "./keys";
import { itemBytes } from "./write-units";

/**
 * Group commit (docs/architecture.md#exactly-once-aggregates): the subjects of one request are
 * committed together in as few `TransactWriteItems` as DynamoDB's limits allow, each subject's own
 * items (events, head, listings) side by side and the aggregate deltas of all of them merged into one
 * `ADD` per aggregate item, since an item may appear only once in a transaction. Each commune whose
 * aggregates or listings the transaction changes gets one `ADD commits :1` on its commit marker, by
 * which the live figures cache knows its answers still hold (docs/portal.md#live-figures-cache).
 */

/** DynamoDB's limits on one transaction: 100 items, 4 MB (kept under, with room for the envelope). */
export const MAX_TRANSACTION_ITEMS = 100;
export const MAX_TRANSACTION_BYTES = 3_500_000;

/** What one subject adds to a transaction. */
export interface SubjectWrite {
  /** The subject's own items: its new events, its head, its listings. */
  items: TransactWriteItem[];
  /** The change of the subject's contribution, per aggregate. */
  diff: Contribution;
  /** The field name the subject's details give, for the aggregate of that field. */
  field?: { code: string; name: string };
}

/** One `ADD` per aggregate: the sum of every write's delta on it (and `SET fieldName`). */
export function aggregateItems(tableName: string, writes: readonly SubjectWrite[]): TransactWriteItem[] {
  const merged = new Map<AggregateKey, { counters: Record<string, number>; fieldName?: string }>();
  for (const write of writes) {
    for (const [key, counters] of write.diff) {
      const entry = merged.get(key) ?? { counters: {} };
      for (const [name, value] of Object.entries(counters))
        entry.counters[name] = (entry.counters[name] ?? 0) + value;
      if (write.field && write.field.code === parseAggregateKey(key).fieldCode)
        entry.fieldName = write.field.name;
      merged.set(key, entry);
    }
  }
  return [...merged].map(([key, { counters, fieldName }]) => {
    const address = parseAggregateKey(key);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds = Object.entries(counters).map(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      return `#c${i} :c${i}`;
    });
    let expression = `ADD ${adds.join(", ")}`;
    if (fieldName) {
      expression += " SET fieldName = :fieldName";
      values[":fieldName"] = fieldName;
    }
    return {
      Update: {
        TableName: tableName,
        Key: marshall(keys.aggregate(address.communeCode, address.month, address.fieldCode)),
        UpdateExpression: expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: marshall(values),
      },
    };
  });
}

/** The communes whose aggregates or listings a write changes (a duplicate changes none). */
export function communesOf(write: SubjectWrite): Set<string> {
  const communes = new Set([...write.diff.keys()].map((key) => parseAggregateKey(key).communeCode));
  const listingPrefix = keys.listingPartition("");
  for (const item of write.items) {
    const pk = (item.Put?.Item ?? item.Delete?.Key)?.pk?.S;
    if (pk?.startsWith(listingPrefix)) communes.add(pk.slice(listingPrefix.length));
  }
  return communes;
}

/** The bump of a commune's commit marker: one per commune per transaction. */
export function commitMarkerItem(tableName: string, communeCode: string): TransactWriteItem {
  return {
    Update: {
      TableName: tableName,
      Key: marshall(keys.commitMarker(communeCode)),
      UpdateExpression: "ADD commits :one",
      ExpressionAttributeValues: marshall({ ":one": 1 }),
    },
  };
}

/**
 * The items of one transaction (each write's own items, one ADD per aggregate, one marker bump per
 * commune) and, for each item, which writes it belongs to (by index).
 */
export function transactionOf(
  tableName: string,
  writes: readonly SubjectWrite[],
): { items: TransactWriteItem[]; owners: number[][] } {
  const items: TransactWriteItem[] = [];
  const owners: number[][] = [];
  writes.forEach((write, i) => {
    for (const item of write.items) {
      items.push(item);
      owners.push([i]);
    }
  });
  const aggregates = aggregateItems(tableName, writes);
  const byKey = new Map<string, number[]>();
  writes.forEach((write, i) => {
    for (const key of write.diff.keys()) byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  // aggregateItems keeps the order in which keys first appear, as byKey does.
  for (const [i, owned] of [...byKey.values()].entries()) {
    items.push(aggregates[i]!);
    owners.push(owned);
  }
  const byCommune = new Map<string, number[]>();
  writes.forEach((write, i) => {
    for (const commune of communesOf(write)) byCommune.set(commune, [...(byCommune.get(commune) ?? []), i]);
  });
  for (const [commune, owned] of byCommune) {
    items.push(commitMarkerItem(tableName, commune));
    owners.push(owned);
  }
  return { items, owners };
}

/**
 * Packs writes into transactions, in order: each holds at most 100 items, counting every aggregate
 * and every commune's marker once however many writes touch it, and stays under 4 MB.
 */
export function packWrites<T extends SubjectWrite>(writes: readonly T[]): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let count = 0;
  let bytes = 0;
  let shared = new Set<string>();
  for (const write of writes) {
    const sharedKeys = sharedItemsOf(write);
    const added = sharedKeys.filter((key) => !shared.has(key));
    const size = writeBytes(write);
    if (
      current.length > 0 &&
      (count + write.items.length + added.length > MAX_TRANSACTION_ITEMS ||
        bytes + size > MAX_TRANSACTION_BYTES)
    ) {
      groups.push(current);
      current = [];
      count = 0;
      bytes = 0;
      shared = new Set();
    }
    current.push(write);
    for (const key of sharedKeys) {
      if (!shared.has(key)) count += 1;
      shared.add(key);
    }
    count += write.items.length;
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Whether one write alone fits a transaction. */
export function fitsAlone(write: SubjectWrite): boolean {
  return (
    write.items.length + sharedItemsOf(write).length <= MAX_TRANSACTION_ITEMS &&
    writeBytes(write) <= MAX_TRANSACTION_BYTES
  );
}

/** The items a write may share with others in a transaction: its aggregates and its communes' markers. */
function sharedItemsOf(write: SubjectWrite): string[] {
  return [...write.diff.keys(), ...[...communesOf(write)].map((commune) => `marker:${commune}`)];
}

function writeBytes(write: SubjectWrite): number {
  // The items' attributes, plus a generous allowance per aggregate or marker update and per item's envelope.
  return (
    write.items.reduce((sum, item) => sum + 200 + itemBytes(item.Put?.Item ?? item.Delete?.Key ?? {}), 0) +
    sharedItemsOf(write).length * 600
  );
}

/**
 * The writes that lost their race, from a cancelled transaction's reasons: the owner of every item
 * whose reason is not `None`, when one write owns it (its new event, its head, its listing, or an
 * aggregate only it touches). A reason on an aggregate shared by several writes (a conflict with
 * another transaction on it) blames none of them. `undefined` when no write is to blame, or the
 * reasons do not match the items: then the whole transaction is retried.
 */
export function losersOf(
  reasons: readonly CancellationReason[] | undefined,
  owners: readonly number[][],
): Set<number> | undefined {
  if (!reasons || reasons.length !== owners.length) return undefined;
  const losers = new Set<number>();
  reasons.forEach((reason, i) => {
    if (!reason.Code || reason.Code === "None") return;
    const owned = owners[i]!;
    if (owned.length === 1) losers.add(owned[0]!);
  });
  return losers.size > 0 ? losers : undefined;
}

/** The codes of a cancelled transaction's reasons other than `None`, for logs and retry counts. */
export function cancellationCodes(error: TransactionCanceledException): string {
  const codes = (error.CancellationReasons ?? [])
    .map((reason) => reason.Code)
    .filter((code) => code && code !== "None");
  return codes.join(",") || "TransactionCanceled";
}
