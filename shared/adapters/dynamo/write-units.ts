import type { AttributeValue, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { keys } from "./keys";

/**
 * Write capacity a transaction costs in AWS by the documented rule: each item written in a
 * transaction costs 2 write units per started KB of the item. DynamoDB Local's own
 * ReturnConsumedCapacity is not that rule (it reports 2 for a 3-item transaction of small items),
 * so the benchmark prints both. An `Update` is sized as the update's attributes plus a 1 KB
 * allowance, since the stored item is not read back.
 */
export function estimatedWriteUnits(items: readonly TransactWriteItem[]): number {
  return items.reduce((sum, item) => sum + itemWriteUnits(item), 0);
}

/** The same rule for one item of a transaction. */
export function itemWriteUnits(item: TransactWriteItem): number {
  if (item.Put?.Item) return 2 * Math.max(1, Math.ceil(itemBytes(item.Put.Item) / 1024));
  if (item.Update)
    return 2 * Math.max(1, Math.ceil((valuesBytes(item.Update.ExpressionAttributeValues) + 400) / 1024));
  return 2;
}

export type WrittenKind = "event" | "head" | "aggregate" | "listing" | "marker";

/** What a transaction item writes, from its key (keys.ts): for the benchmarks' breakdown of write units. */
export function writtenKind(item: TransactWriteItem): WrittenKind {
  const key = item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key ?? {};
  if (key.sk?.S === "EVENT") return "event";
  if (key.sk?.S === "HEAD") return "head";
  if (key.sk?.S === keys.commitMarker("").sk) return "marker";
  return key.pk?.S?.startsWith("A#") ? "aggregate" : "listing";
}

/** Item size as DynamoDB counts it: attribute names plus values (UTF-8 strings, numbers ≈ digits/2 + 1). */
export function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value),
    0,
  );
}

function valuesBytes(values: Record<string, AttributeValue> | undefined): number {
  return Object.values(values ?? {}).reduce((sum, value) => sum + valueBytes(value), 0);
}

function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/[-.]/g, "").length / 2) + 1;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M) return 3 + itemBytes(value.M);
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + valueBytes(v), 0);
  return 0;
}
