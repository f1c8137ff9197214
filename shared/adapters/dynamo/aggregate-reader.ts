import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { addMonths, type MonthKey } from "../../domain/calendar";
import type { Counters } from "../../domain/counters";
import type { AggregateRecord, MonthWindow } from "../../domain/form-ii06a";
import type { StoredListing } from "../../reports/build-model";
import type { AggregateSource } from "../../reports/ports";
import { keys } from "./keys";
import { backoffDelay, defaultRetryPolicy, isTransient, type RetryPolicy } from "./retry";

/** Attributes of an aggregate item that are not counters. */
const NON_COUNTERS = new Set(["pk", "sk", "fieldName"]);

/**
 * Reads a commune's aggregates (`A#{commune}`, sk `{YYYY-MM}#{field}`) and listings (`L#{commune}`,
 * sk `{late|overdue}#{YYYY-MM}#{source}#{dossier}`) with key-range Queries, page by page. A
 * commune-year is at most a few hundred small items: a handful of 1 MB pages at worst.
 */
export class DynamoAggregateReader implements AggregateSource {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retry: RetryPolicy = defaultRetryPolicy,
  ) {}

  async readRecords(communeCode: string, lastMonth: MonthKey): Promise<AggregateRecord[]> {
    const items = await this.query({
      KeyConditionExpression: "pk = :pk AND sk < :next",
      ExpressionAttributeValues: {
        ":pk": { S: keys.aggregatePartition(communeCode) },
        // "2023-12#HT" < "2024-01" ≤ "2024-01#HT": every month up to lastMonth, nothing after.
        ":next": { S: addMonths(lastMonth, 1) },
      },
    });
    return items.map((item) => {
      const sk = item.sk as string;
      const counters: Counters = {};
      for (const [name, value] of Object.entries(item)) {
        if (!NON_COUNTERS.has(name) && typeof value === "number" && value !== 0) counters[name] = value;
      }
      return {
        communeCode,
        month: sk.slice(0, 7),
        fieldCode: sk.slice(8),
        ...(typeof item.fieldName === "string" ? { fieldName: item.fieldName } : {}),
        counters,
      };
    });
  }

  async readListings(communeCode: string, window: MonthWindow): Promise<StoredListing[]> {
    const pk = { S: keys.listingPartition(communeCode) };
    const next = addMonths(window.lastMonth, 1);
    const [late, overdue] = await Promise.all([
      this.query({
        KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
        ExpressionAttributeValues: {
          ":pk": pk,
          ":from": { S: `late#${window.firstMonth}` },
          ":to": { S: `late#${next}` },
        },
      }),
      // Overdue runs begun by the window's end; the pure model keeps those still running at its end.
      this.query({
        KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":pk": pk, ":from": { S: "overdue#" }, ":to": { S: `overdue#${next}` } },
      }),
    ]);
    return [...late, ...overdue].map(
      ({ pk: _pk, sk: _sk, ...listing }) => listing as unknown as StoredListing,
    );
  }

  async hasData(communeCode: string, lastMonth: MonthKey): Promise<boolean> {
    const page = await this.send({
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND sk < :next",
      ExpressionAttributeValues: {
        ":pk": { S: keys.aggregatePartition(communeCode) },
        ":next": { S: addMonths(lastMonth, 1) },
      },
      ProjectionExpression: "pk",
      Limit: 1,
    });
    return (page.Count ?? 0) > 0;
  }

  private async query(
    input: Pick<QueryCommandInput, "KeyConditionExpression" | "ExpressionAttributeValues">,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.send({
        TableName: this.tableName,
        ...input,
        ExclusiveStartKey: startKey,
        // Strongly consistent: the figures cache keeps an answer under the commit markers read just
        // before (docs/portal.md#live-figures-cache), so the Query must see every commit they count.
        ConsistentRead: true,
      });
      for (const item of page.Items ?? []) items.push(unmarshall(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  private async send(input: QueryCommandInput) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.client.send(new QueryCommand(input));
      } catch (error) {
        if (!isTransient(error) || attempt >= this.retry.maxAttempts) throw error;
        await this.retry.sleep(backoffDelay(this.retry, attempt));
      }
    }
  }
}
