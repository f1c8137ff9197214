/**
 * Aggregates of generated years for the benchmarks: computed by the oracle from the events
 * (recomputeAggregates + listingsOf: the property tests prove the intake stores exactly these) and
 * written directly with BatchWriteItem, since ingesting many commune-years through the intake would
 * take an hour on a small machine.
 */
import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { keys } from "../shared/adapters/dynamo/keys";
import { parseAggregateKey } from "../shared/domain/counters";
import { type Event, subjectOf } from "../shared/domain/events";
import { foldSubject, recomputeAggregates } from "../shared/domain/fold";
import type { AggregateRecord } from "../shared/domain/form-ii06a";
import { listingsOf } from "../shared/domain/listings";
import { mapLimited } from "../shared/map-limited";
import type { StoredListing } from "../shared/reports/build-model";

/** The source id the listings are stored under. */
const SOURCE = "demo";

export interface CommuneAggregates {
  records: AggregateRecord[];
  listings: StoredListing[];
}

/** Aggregate records and listings of a generated year, as the intake would store them. */
export function aggregatesOf(events: Event[]): CommuneAggregates {
  const subjects = new Map<string, { kind: "dossier" | "feedback"; events: Event[] }>();
  const names = new Map<string, string>();
  for (const event of events) {
    const subject = subjectOf(event);
    const key = `${subject.kind}:${subject.code}`;
    const entry = subjects.get(key) ?? { kind: subject.kind, events: [] };
    entry.events.push(event);
    subjects.set(key, entry);
    if ("fieldName" in event && event.fieldName && event.fieldCode)
      names.set(event.fieldCode, event.fieldName);
  }
  const records = [...recomputeAggregates(subjects.values())].map(([key, counters]) => {
    const address = parseAggregateKey(key);
    const fieldName = names.get(address.fieldCode);
    return { ...address, ...(fieldName ? { fieldName } : {}), counters };
  });
  const listings = [...subjects.entries()]
    .filter(([, s]) => s.kind === "dossier")
    .flatMap(([key, s]) =>
      listingsOf(foldSubject("dossier", s.events)).map((l) => ({ ...l, dossierCode: key.slice(8) })),
    );
  return { records, listings };
}

export function relabel(data: CommuneAggregates, communeCode: string) {
  return {
    records: data.records.map((r) => ({ ...r, communeCode })),
    listings: data.listings.map((l) => ({ ...l, communeCode })),
  };
}

export async function writeAggregates(
  client: DynamoDBClient,
  tableName: string,
  data: CommuneAggregates,
): Promise<void> {
  const requests: WriteRequest[] = [
    ...data.records.map((r) => ({
      PutRequest: {
        Item: marshall({
          ...keys.aggregate(r.communeCode, r.month, r.fieldCode),
          ...r.counters,
          ...(r.fieldName ? { fieldName: r.fieldName } : {}),
        }),
      },
    })),
    ...data.listings.map((l) => ({
      PutRequest: {
        Item: marshall({ ...keys.listing(l, SOURCE, l.dossierCode), ...l }, { removeUndefinedValues: true }),
      },
    })),
  ];
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
  await mapLimited(chunks, 8, async (chunk) => {
    let pending: WriteRequest[] | undefined = chunk;
    while (pending && pending.length > 0) {
      const result: BatchWriteItemCommandOutput = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = result.UnprocessedItems?.[tableName];
    }
  });
}
