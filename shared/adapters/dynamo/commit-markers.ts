import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { CommitMarkers } from "../../reports/ports";
import { batchGetItems } from "./batch-get";
import { keys } from "./keys";
import { defaultRetryPolicy, type RetryPolicy } from "./retry";

/**
 * The communes' commit markers (pk `CM#{commune}`, sk `COMMITS`, bumped by group-commit.ts), read
 * with strongly consistent BatchGetItem: 100 keys a call, so a province of 200 communes is 2 calls.
 */
export class DynamoCommitMarkers implements CommitMarkers {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retry: RetryPolicy = defaultRetryPolicy,
  ) {}

  async read(communeCodes: readonly string[]): Promise<Map<string, number>> {
    const unique = [...new Set(communeCodes)];
    const items = await batchGetItems(this.client, this.tableName, unique.map(keys.commitMarker), {
      retry: this.retry,
    });
    const counts = new Map(unique.map((code) => [code, 0]));
    const prefix = keys.commitMarker("").pk;
    for (const item of items) {
      const { pk, commits } = unmarshall(item);
      counts.set((pk as string).slice(prefix.length), Number(commits ?? 0));
    }
    return counts;
  }
}
