import { describe, expect, it } from "vitest";
import { estimatedWriteUnits, itemBytes } from "../../shared/adapters/dynamo/write-units";

const put = (bytes: number) => ({
  Put: { TableName: "t", Item: { pk: { S: "k" }, b: { S: "x".repeat(bytes) } } },
});

describe("write units of a transaction by AWS's documented rule", () => {
  it("charges 2 units per item up to 1 KB", () => {
    expect(estimatedWriteUnits([put(10), put(10), put(10)])).toBe(6);
  });

  it("charges 2 units per started KB of a larger item", () => {
    expect(estimatedWriteUnits([put(1500)])).toBe(4);
  });

  it("counts attribute names and UTF-8 bytes in an item's size", () => {
    expect(itemBytes({ ab: { S: "ố" }, n: { N: "12345" } })).toBe(2 + 3 + 1 + 4);
  });
});
