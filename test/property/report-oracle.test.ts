import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import type { PeriodSpec } from "../../shared/domain/calendar";
import { parseAggregateKey } from "../../shared/domain/counters";
import type { Event } from "../../shared/domain/events";
import { foldSubject, recomputeAggregates } from "../../shared/domain/fold";
import type { AggregateRecord } from "../../shared/domain/form-ii06a";
import { listingsOf } from "../../shared/domain/listings";
import { ingestBatch } from "../../shared/intake/intake";
import { buildCommuneReport, resolvePeriod, type StoredListing } from "../../shared/reports/build-model";
import type { ReportUnit } from "../../shared/reports/model";
import { createTestTable, type TestTable } from "../support/aws";
import { deliveries, inCommunes, oracleCase } from "../support/histories";
import { acceptAllUnits } from "../support/oracle";

/**
 * The report model read from DynamoDB equals the report model computed from the oracle (aggregates
 * recomputed from scratch by folding each subject, listings from the folded states), for several
 * periods: whatever the intake did, the published figures are the figures of the events.
 * Building also runs every identity check, so this proves they hold on arbitrary histories.
 */
const RUNS = Number(process.env.REPORT_ORACLE_RUNS ?? (process.env.CI ? 300 : 60));
const GENERATED_AT = "2024-04-01T00:00:00.000Z";

const PERIODS: { period: PeriodSpec; asOf?: string }[] = [
  { period: { kind: "year", year: 2023 } },
  { period: { kind: "quarter", year: 2023, quarter: 3 } },
  { period: { kind: "six-months", year: 2023 } },
  { period: { kind: "month", year: 2024, month: 1 } },
  { period: { kind: "year", year: 2023 }, asOf: "2023-06-20" },
  { period: { kind: "year", year: 2024 }, asOf: "2024-02-01" },
];

let table: TestTable;
let store: DynamoSubjectStore;
let reader: DynamoAggregateReader;
let caseNumber = 0;

beforeAll(async () => {
  table = await createTestTable("report-oracle");
  store = new DynamoSubjectStore(table.client, table.tableName);
  reader = new DynamoAggregateReader(table.client, table.tableName);
});

const unitOf = (communeCode: string): ReportUnit => ({
  communeCode,
  communeName: "Xã Thử Nghiệm",
  provinceCode: "30",
});

describe("the report model against the oracle", () => {
  it(
    "built from DynamoDB reads equals the one built from a from-scratch fold, for every period",
    async () => {
      await fc.assert(
        fc.asyncProperty(oracleCase, async ([subjects, plan]) => {
          const n = ++caseNumber;
          const communes = [String(30000 + n * 2), String(30001 + n * 2)] as const;
          const cases = inCommunes(subjects, communes);
          const sent = deliveries(cases, plan);
          for (let i = 0; i < sent.length; i += plan.batchSize) {
            await ingestBatch({ id: `r${n}` }, sent.slice(i, i + plan.batchSize), {
              store,
              units: acceptAllUnits,
            });
          }

          const distinct = cases.map((s) => ({ kind: s.kind, events: s.events.map(jsonRoundTrip) }));
          const oracleRecords: AggregateRecord[] = [...recomputeAggregates(distinct)].map(
            ([key, counters]) => ({
              ...parseAggregateKey(key),
              counters,
            }),
          );
          const oracleListings: StoredListing[] = distinct
            .filter((s) => s.kind === "dossier" && s.events.length > 0)
            .flatMap((s) => {
              const dossierCode = (s.events[0] as { dossierCode: string }).dossierCode;
              return listingsOf(foldSubject(s.kind, s.events)).map((listing) => ({
                ...listing,
                dossierCode,
              }));
            });

          for (const communeCode of communes) {
            for (const request of PERIODS) {
              const expected = buildCommuneReport({
                unit: unitOf(communeCode),
                ...request,
                records: oracleRecords,
                listings: oracleListings,
                generatedAt: GENERATED_AT,
              });
              const { window } = resolvePeriod(request);
              const [records, listings] = await Promise.all([
                reader.readRecords(communeCode, window.lastMonth),
                reader.readListings(communeCode, window),
              ]);
              const actual = buildCommuneReport({
                unit: unitOf(communeCode),
                ...request,
                records,
                listings,
                generatedAt: GENERATED_AT,
              });
              expect(actual).toEqual(expected);
            }
          }
        }),
        { numRuns: RUNS },
      );
    },
    30 * 60_000,
  );
});

function jsonRoundTrip(event: Event): Event {
  return JSON.parse(JSON.stringify(event)) as Event;
}
