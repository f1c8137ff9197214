import { type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { canonicalJson } from "../../shared/domain/canonical-json";
import type { Contribution } from "../../shared/domain/counters";
import type { Event, SubjectKind } from "../../shared/domain/events";
import { foldSubject, recomputeAggregates } from "../../shared/domain/fold";
import { listingsOf } from "../../shared/domain/listings";

/**
 * The oracle comparison (docs/architecture.md#the-oracle) that the events oracle, the DVCQG oracle
 * and the crash-safety test share: what DynamoDB Local holds for some communes, read back as
 * comparable values, and what folding each subject from scratch gives.
 */

/** Every commune exists and lies in one province: the oracles test aggregation, not unit checks. */
export const acceptAllUnits = { communeExists: () => true, provinceOf: () => "30" };

/** The subject store of the oracles: many fast retries, since eight senders contend on few subjects. */
export function oracleStore(table: { client: DynamoDBClient; tableName: string }): DynamoSubjectStore {
  return new DynamoSubjectStore(table.client, table.tableName, {
    maxAttempts: 50,
    baseDelayMs: 2,
    maxDelayMs: 50,
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
}

async function queryAll(
  table: { client: DynamoDBClient; tableName: string },
  pk: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: QueryCommand["input"]["ExclusiveStartKey"];
  do {
    const page = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: pk } },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) items.push(unmarshall(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The communes' stored aggregate counters, zeros left out (a recomputation has no zero counters). */
export async function storedAggregates(
  table: { client: DynamoDBClient; tableName: string },
  communes: readonly string[],
): Promise<Contribution> {
  const stored: Contribution = new Map();
  for (const communeCode of communes) {
    for (const item of await queryAll(table, `A#${communeCode}`)) {
      const { pk: _pk, sk, fieldName: _name, ...counters } = item;
      const nonZero = Object.fromEntries(Object.entries(counters).filter(([, v]) => v !== 0));
      if (Object.keys(nonZero).length > 0)
        stored.set(`${communeCode}#${sk}`, nonZero as Record<string, number>);
    }
  }
  return stored;
}

/** The drill-down listings stored for the communes, as sorted comparable strings. */
export async function storedListings(
  table: { client: DynamoDBClient; tableName: string },
  communes: readonly string[],
): Promise<string[]> {
  const listings: string[] = [];
  for (const communeCode of communes) {
    for (const item of await queryAll(table, `L#${communeCode}`)) {
      const { pk: _pk, sk: _sk, dossierCode, ...listing } = item;
      listings.push(`${dossierCode} ${canonicalJson(listing)}`);
    }
  }
  return listings.sort();
}

export interface OracleSubject {
  kind: SubjectKind;
  events: readonly Event[];
}

/** The events as they come back from JSON, as the store keeps them. */
const jsonRoundTrip = (event: Event): Event => JSON.parse(JSON.stringify(event)) as Event;

/** The aggregates of folding each subject from scratch. */
export function expectedAggregates(subjects: readonly OracleSubject[]): Contribution {
  return recomputeAggregates(subjects.map((s) => ({ kind: s.kind, events: s.events.map(jsonRoundTrip) })));
}

/** The listings of folding each dossier from scratch, in the form of `storedListings`. */
export function expectedListings(subjects: readonly OracleSubject[]): string[] {
  return subjects
    .filter((s) => s.kind === "dossier" && s.events.length > 0)
    .flatMap((s) => {
      const code = (s.events[0] as { dossierCode: string }).dossierCode;
      return listingsOf(foldSubject(s.kind, s.events.map(jsonRoundTrip))).map(
        (listing) => `${code} ${canonicalJson(listing)}`,
      );
    })
    .sort();
}

/**
 * Spreads the items round-robin over `workers` concurrent senders; each sends its share in
 * batches of `batchSize`, one after another.
 */
export async function sendConcurrently<T>(
  items: readonly T[],
  workers: number,
  batchSize: number,
  send: (batch: T[]) => Promise<void>,
): Promise<void> {
  const queues: T[][] = Array.from({ length: workers }, () => []);
  items.forEach((item, i) => {
    queues[i % workers]!.push(item);
  });
  await Promise.all(
    queues.map(async (queue) => {
      for (let i = 0; i < queue.length; i += batchSize) await send(queue.slice(i, i + batchSize));
    }),
  );
}
