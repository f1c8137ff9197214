import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { periodRange } from "../../shared/domain/calendar";
import { type Contribution, parseAggregateKey } from "../../shared/domain/counters";
import { type AggregateRecord, formII06a } from "../../shared/domain/form-ii06a";
import { type EventResult, ingestBatch } from "../../shared/intake/intake";
import { createTestTable, type TestTable } from "../support/aws";
import { deliveries, inCommunes, oracleCase } from "../support/histories";
import {
  acceptAllUnits,
  expectedAggregates,
  expectedListings,
  oracleStore,
  sendConcurrently,
  storedAggregates,
  storedListings,
} from "../support/oracle";

/**
 * The oracle (docs/architecture.md#the-oracle): whatever the order, the duplicates and the concurrency of delivery,
 * the aggregates in DynamoDB Local equal those recomputed from scratch by folding each subject.
 */
// 1,000 cases in CI (about five minutes on two cores); fewer for a quick local run.
const RUNS = Number(process.env.ORACLE_RUNS ?? (process.env.CI ? 1000 : 200));
const WORKERS = 8;

let table: TestTable;
let store: DynamoSubjectStore;
let caseNumber = 0;

beforeAll(async () => {
  table = await createTestTable("oracle");
  store = oracleStore(table);
});

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

          const results: EventResult[] = [];
          await sendConcurrently(sent, WORKERS, plan.batchSize, async (batch) => {
            results.push(...(await ingestBatch({ id: `case${n}` }, batch, { store, units: acceptAllUnits })));
          });

          expect(results.every((r) => r.status === "applied" || r.status === "duplicate")).toBe(true);
          const applied = results.filter((r) => r.status === "applied").map((r) => r.id);
          expect(applied.sort()).toEqual(all.map((e) => e.id).sort());

          const expected = expectedAggregates(cases);
          const actual = await storedAggregates(table, communes);
          expect(actual).toEqual(expected);
          expect(await storedListings(table, communes)).toEqual(expectedListings(cases));
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
