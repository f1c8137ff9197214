import {
  type DynamoDBClient,
  ScanCommand,
  type ScanCommandInput,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { canonicalJson } from "../../domain/canonical-json";
import { contributionOf } from "../../domain/contribution";
import { type Contribution, parseAggregateKey, sumContributions } from "../../domain/counters";
import type { Event, SubjectRef } from "../../domain/events";
import { foldSubject } from "../../domain/fold";
import { listingsOf } from "../../domain/listings";
import { batchGetItems } from "./batch-get";
import { commitMarkerItem } from "./group-commit";
import { keys } from "./keys";

/**
 * The oracle as an operations command: fold every subject from its stored events, recompute the
 * aggregates and listings from scratch, and compare with what the intake wrote. `repair` then
 * writes the recomputed values over the stored ones: run it with the intake paused (for example
 * after a change to the figure rules), since it sets counters rather than adding to them.
 *
 * It scans the table: fine for a command, never done on a request's path.
 */
export interface AuditResult {
  subjects: number;
  events: number;
  aggregates: { expected: number; differing: AggregateDifference[] };
  listings: { expected: number; missing: string[]; unexpected: string[] };
  /** The writes that make the stored aggregates and listings equal the recomputation. */
  repairs: TransactWriteItem[];
}

export interface AggregateDifference {
  key: string; // commune#month#field
  stored: Record<string, number>;
  expected: Record<string, number>;
}

interface StoredHead {
  sourceId: string;
  subject: SubjectRef;
  eventIds: string[];
}

export async function auditAggregates(client: DynamoDBClient, tableName: string): Promise<AuditResult> {
  const heads: StoredHead[] = [];
  const storedAggregates: Contribution = new Map();
  const storedListings = new Map<string, Record<string, unknown>>();
  for await (const item of scan(client, { TableName: tableName })) {
    const pk = item.pk as string;
    const sk = item.sk as string;
    if (sk === "HEAD") {
      const [, sourceId, kind, ...code] = pk.split("#");
      heads.push({
        sourceId: sourceId!,
        subject: { kind: kind === "F" ? "feedback" : "dossier", code: code.join("#") },
        eventIds: (JSON.parse(item.ev as string) as [string, string][]).map(([id]) => id),
      });
    } else if (pk.startsWith("A#")) {
      const counters = Object.fromEntries(
        Object.entries(item).filter(
          ([name, value]) => typeof value === "number" && value !== 0 && name !== "v",
        ),
      ) as Record<string, number>;
      if (Object.keys(counters).length > 0) storedAggregates.set(`${pk.slice(2)}#${sk}`, counters);
    } else if (pk.startsWith("L#")) {
      storedListings.set(`${pk}|${sk}`, item);
    }
  }

  const contributions: Contribution[] = [];
  const expectedListings = new Map<string, Record<string, unknown>>();
  let events = 0;
  for (const head of heads) {
    const history = await readEvents(client, tableName, head.sourceId, head.eventIds);
    events += history.length;
    const state = foldSubject(head.subject.kind, history);
    contributions.push(contributionOf(state));
    for (const listing of listingsOf(state)) {
      const key = keys.listing(listing, head.sourceId, head.subject.code);
      expectedListings.set(`${key.pk}|${key.sk}`, { ...key, ...listing, dossierCode: head.subject.code });
    }
  }
  const expected = sumContributions(contributions);

  const differing: AggregateDifference[] = [];
  for (const key of new Set([...storedAggregates.keys(), ...expected.keys()])) {
    const stored = storedAggregates.get(key) ?? {};
    const wanted = expected.get(key) ?? {};
    if (canonicalJson(stored) !== canonicalJson(wanted)) differing.push({ key, stored, expected: wanted });
  }
  const same = (key: string) =>
    canonicalJson(storedListings.get(key)) === canonicalJson(expectedListings.get(key));
  const missing = [...expectedListings.keys()].filter((key) => !same(key)).sort();
  const unexpected = [...storedListings.keys()].filter((key) => !expectedListings.has(key)).sort();
  differing.sort((a, b) => (a.key < b.key ? -1 : 1));
  return {
    subjects: heads.length,
    events,
    aggregates: { expected: expected.size, differing },
    listings: { expected: expectedListings.size, missing, unexpected },
    repairs: [
      ...differing.map((difference) => setCounters(tableName, difference)),
      ...missing.map((key) => ({
        Put: { TableName: tableName, Item: marshall(expectedListings.get(key)!) },
      })),
      ...unexpected.map((key) => {
        const [pk, sk] = key.split("|");
        return { Delete: { TableName: tableName, Key: marshall({ pk, sk }) } };
      }),
    ],
  };
}

function setCounters(tableName: string, { key, stored, expected }: AggregateDifference): TransactWriteItem {
  const { communeCode, month, fieldCode } = parseAggregateKey(key);
  const names = [...new Set([...Object.keys(stored), ...Object.keys(expected)])];
  return {
    Update: {
      TableName: tableName,
      Key: marshall(keys.aggregate(communeCode, month, fieldCode)),
      UpdateExpression: `SET ${names.map((_, i) => `#c${i} = :c${i}`).join(", ")}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
      ExpressionAttributeValues: marshall(
        Object.fromEntries(names.map((name, i) => [`:c${i}`, expected[name] ?? 0])),
      ),
    },
  };
}

/**
 * Writes the recomputed aggregates and listings over the stored ones. Pause the intake first. Each
 * transaction also bumps the commit markers of the communes it repairs (the commit marker items,
 * `CM#…`, are no aggregate: the audit's scan passes them by), so cached live figures of those
 * communes are computed again.
 */
export async function repairAggregates(client: DynamoDBClient, audit: AuditResult): Promise<number> {
  for (let i = 0; i < audit.repairs.length; i += 25) {
    const repairs = audit.repairs.slice(i, i + 25);
    const communes = new Set(
      repairs.map((item) => {
        const pk = unmarshall(item.Update?.Key ?? item.Put?.Item ?? item.Delete!.Key!).pk as string;
        return pk.slice(pk.indexOf("#") + 1); // `A#{commune}` or `L#{commune}`
      }),
    );
    const first = repairs[0]!;
    const tableName = (first.Update ?? first.Put ?? first.Delete)!.TableName!;
    const markers = [...communes].map((commune) => commitMarkerItem(tableName, commune));
    await client.send(new TransactWriteItemsCommand({ TransactItems: [...repairs, ...markers] }));
  }
  return audit.repairs.length;
}

async function* scan(
  client: DynamoDBClient,
  input: ScanCommandInput,
): AsyncGenerator<Record<string, unknown>> {
  let startKey: ScanCommandInput["ExclusiveStartKey"];
  do {
    const page = await client.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) yield unmarshall(item);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

async function readEvents(
  client: DynamoDBClient,
  tableName: string,
  sourceId: string,
  ids: string[],
): Promise<Event[]> {
  const items = await batchGetItems(
    client,
    tableName,
    ids.map((id) => keys.event(sourceId, id)),
    { projection: "e" },
  );
  return items.map((item) => JSON.parse(unmarshall(item).e as string) as Event);
}
