import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { backoffDelay, defaultRetryPolicy, isTransient, type RetryPolicy } from "./retry";

/**
 * Strongly consistent BatchGetItem of any number of keys: 100 keys a request, unprocessed keys and
 * transient errors retried with backoff. Items come back in no particular order.
 */
export async function batchGetItems(
  client: DynamoDBClient,
  tableName: string,
  itemKeys: readonly { pk: string; sk: string }[],
  options: { projection?: string; retry?: RetryPolicy } = {},
): Promise<Record<string, AttributeValue>[]> {
  const retry = options.retry ?? defaultRetryPolicy;
  const found: Record<string, AttributeValue>[] = [];
  for (let i = 0; i < itemKeys.length; i += 100) {
    let request: Record<string, KeysAndAttributes> | undefined = {
      [tableName]: {
        Keys: itemKeys.slice(i, i + 100).map((key) => marshall(key)),
        ConsistentRead: true,
        ...(options.projection ? { ProjectionExpression: options.projection } : {}),
      },
    };
    for (let round = 0; request && Object.keys(request).length > 0; round++) {
      if (round > 0) await retry.sleep(backoffDelay(retry, round));
      const current: Record<string, KeysAndAttributes> = request;
      const result: BatchGetItemCommandOutput = await sendWithRetry(retry, () =>
        client.send(new BatchGetItemCommand({ RequestItems: current })),
      );
      found.push(...(result.Responses?.[tableName] ?? []));
      request = result.UnprocessedKeys;
    }
  }
  return found;
}

/** A call retried on throttling and server errors, `onRetry` told each time. */
export async function sendWithRetry<T>(
  retry: RetryPolicy,
  call: () => Promise<T>,
  onRetry?: (reason: string) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isTransient(error) || attempt >= retry.maxAttempts) throw error;
      onRetry?.((error as Error).name);
      await retry.sleep(backoffDelay(retry, attempt));
    }
  }
}
