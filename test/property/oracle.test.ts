import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { periodRange } from "../../shared/domain/calendar";
import { canonicalJson } from "../../shared/domain/canonical-json";
import { type Contribution, parseAggregateKey } from "../../shared/domain/counters";
import type { Event } from "../../shared/domain/events";
import { foldSubject, recomputeAggregates } from "../../shared/domain/fold";
import { type AggregateRecord, formII06a } from "../../shared/domain/form-ii06a";
import { listingsOf } from "../../shared/domain/listings";
import { type EventResult, ingestBatch } from "../../shared/intake/intake";
import { createTestTable, type TestTable } from "../support/aws";
import { deliveries, inCommunes, oracleCase } from "../support/histories";

/**
 * The oracle (docs/architecture.md#the-oracle): whatever the order, the duplicates and the concurrency of delivery,
 * the aggregates in DynamoDB Local equal those recomputed from scratch by folding each subject.
 */
// 1,000 cases in CI (about five minutes on two cores); fewer for a quick local run.
const RUNS = Number(process.env.ORACLE_RUNS ?? (process.env.CI ? 1000 : 200));
const WORKERS = 8;
const acceptAllUnits = { communeExists: () => true, provinceOf: () => "30" };

let table: TestTable;
let store: DynamoSubjectStore;
let caseNumber = 0;

beforeAll(async () => {
  table = await createTestTable("oracle");
  store = new DynamoSubjectStore(table.client, table.tableName, {
    maxAttempts: 50,
    baseDelayMs: 2,
    maxDelayMs: 50,
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
});

async function storedAggregates(communes: readonly string[]): Promise<Contribution> {
  const stored: Contribution = new Map();
  for (const communeCode of communes) {
    let startKey: Record<string, never> | undefined;
    do {
      const page = await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": { S: `A#${communeCode}` } },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const { pk: _pk, sk, fieldName: _name, ...counters } = unmarshall(item);
        const nonZero = Object.fromEntries(Object.entries(counters).filter(([, v]) => v !== 0));
        if (Object.keys(nonZero).length > 0)
          stored.set(`${communeCode}#${sk}`, nonZero as Record<string, number>);
      }
      startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (startKey);
  }
  return stored;
}

/** The drill-down listings stored for the communes, as comparable strings. */
async function storedListings(communes: readonly string[]): Promise<string[]> {
  const listings: string[] = [];
  for (const communeCode of communes) {
    const page = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: `L#${communeCode}` } },
      }),
    );
    for (const item of page.Items ?? []) {
      const { pk: _pk, sk: _sk, dossierCode, ...listing } = unmarshall(item);
      listings.push(`${dossierCode} ${canonicalJson(listing)}`);
    }
  }
  return listings.sort();
}

function asRecords(aggregates: Contribution): AggregateRecord[] {
  return [...aggregates].map(([key, counters]) => ({ ...parseAggregateKey(key), counters }));
}

describe("exactly-once aggregates (the oracle)", () => {
  it(
    `equal a from-scratch recomputation for any order, duplication and ${WORKERS} concurrent senders`,
    async () => {
      await fc.assert(
        fc.asyncProperty(oracleCase, async ([subjects, plan]) => {
          // Each case writes to its own source and communes, so cases never see each other's counters.
          const n = ++caseNumber;
          const communes = [String(20000 + n * 2), String(20001 + n * 2)] as const;
          const cases = inCommunes(subjects, communes);
          const all = cases.flatMap((s) => s.events);
          const sent = deliveries(cases, plan);

          // Round-robin over the workers; each sends its batches one after another.
          const queues: Event[][] = Array.from({ length: WORKERS }, () => []);
          sent.forEach((event, i) => {
            queues[i % WORKERS]!.push(event);
          });
          const results: EventResult[] = [];
          await Promise.all(
            queues.map(async (queue) => {
              for (let i = 0; i < queue.length; i += plan.batchSize) {
                const batch = queue.slice(i, i + plan.batchSize);
                results.push(
                  ...(await ingestBatch({ id: `case${n}` }, batch, { store, units: acceptAllUnits })),
                );
              }
            }),
          );

          expect(results.every((r) => r.status === "applied" || r.status === "duplicate")).toBe(true);
          const applied = results.filter((r) => r.status === "applied").map((r) => r.id);
          expect(applied.sort()).toEqual(all.map((e) => e.id).sort());

          const expected = recomputeAggregates(
            cases.map((s) => ({ kind: s.kind, events: s.events.map(jsonRoundTrip) })),
          );
          const actual = await storedAggregates(communes);
          expect(actual).toEqual(expected);
          const expectedListings = cases
            .filter((s) => s.kind === "dossier" && s.events.length > 0)
            .flatMap((s) => {
              const code = (s.events[0] as { dossierCode: string }).dossierCode;
              return listingsOf(foldSubject(s.kind, s.events.map(jsonRoundTrip))).map(
                (l) => `${code} ${canonicalJson(l)}`,
              );
            });
          expect(await storedListings(communes)).toEqual(expectedListings.sort());
          for (const period of [
            periodRange({ kind: "year", year: 2023 }),
            periodRange({ kind: "quarter", year: 2023, quarter: 3 }),
            periodRange({ kind: "month", year: 2024, month: 1 }),
          ]) {
            expect(formII06a(asRecords(actual), period)).toEqual(formII06a(asRecords(expected), period));
          }
        }),
        { numRuns: RUNS },
      );
      // A safety net for a hung run, not a speed target: 1,000 cases take about two to five minutes here.
    },
    30 * 60_000,
  );
});

function jsonRoundTrip(event: Event): Event {
  return JSON.parse(JSON.stringify(event)) as Event;
}
