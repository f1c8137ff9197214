import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { SessionStore } from "../../dvcqg/sessions";
import { keys } from "./keys";

/**
 * DVCQG sessions and failed log-in counters in the single table (layout in ../table.ts), each with
 * the epoch-seconds `ttl` the table's TTL deletes them by. Expiry is checked on read as well: TTL
 * deletion is only the clean-up.
 */
export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(sessionHash: string, sourceId: string, expiresAt: number): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({
          ...keys.dvcqgSession(sessionHash),
          source: sourceId,
          expiresAt,
          ttl: Math.ceil(expiresAt / 1000),
        }),
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  async sourceOf(sessionHash: string, now: number): Promise<string | undefined> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall(keys.dvcqgSession(sessionHash)),
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const item = unmarshall(result.Item);
    return typeof item.expiresAt === "number" && item.expiresAt > now ? (item.source as string) : undefined;
  }

  async failures(sourceId: string, windowStart: number): Promise<number> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall(keys.dvcqgFailures(sourceId, windowStart)),
        ConsistentRead: true,
      }),
    );
    return result.Item ? Number(unmarshall(result.Item).failures ?? 0) : 0;
  }

  async recordFailure(sourceId: string, windowStart: number, windowEnd: number): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall(keys.dvcqgFailures(sourceId, windowStart)),
        UpdateExpression: "ADD failures :one SET #ttl = :ttl",
        ExpressionAttributeNames: { "#ttl": "ttl" },
        ExpressionAttributeValues: marshall({ ":one": 1, ":ttl": Math.ceil(windowEnd / 1000) }),
      }),
    );
  }
}
