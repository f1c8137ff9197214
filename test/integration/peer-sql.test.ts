import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formDifferences, formsByAggregates, formsFromSql, loadYear } from "../../bench/peer-compare";
import { yearBounds } from "../../bench/peer-data";
import { createDossierTable, formBySql, type PeerDatabase, startPeerDatabase } from "../../bench/peer-sql";
import { freePort } from "../../local/services";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { periodRange } from "../../shared/domain/calendar";
import type { Contribution } from "../../shared/domain/counters";
import { createTestTable, type TestTable } from "../support/aws";

/**
 * `npm run bench:peer` compares its timings only if both sides compute the same Form II.06a: on a
 * small province (three communes, two years), the SQL of a one-stop system's dossier table in a
 * real PostgreSQL and the product's aggregates in DynamoDB Local must give the same figures.
 */
const COMMUNES = ["04045", "04048", "04051"];
let table: TestTable;
let peer: PeerDatabase;
const aggregates: Contribution = new Map();

beforeAll(async () => {
  table = await createTestTable("peer");
  peer = await startPeerDatabase(await freePort());
  await createDossierTable(peer.client);
  const load = {
    pg: peer.client,
    dynamo: table.client,
    tableName: table.tableName,
    provinceCode: "14",
    communes: COMMUNES,
    dossiersOf: (code: string, year: number) => 150 + (Number(code) % 7) * 5 + (year % 3) * 10,
    aggregates,
  };
  await loadYear(load, 2022);
  await loadYear(load, 2023);
}, 120_000);

afterAll(async () => {
  await peer?.stop();
});

describe("bench:peer's two sides", () => {
  it.each([2022, 2023])(
    "give the same Form II.06a for year %i, per commune and field, by SQL and from the aggregates",
    async (year) => {
      const window = periodRange({ kind: "year", year });
      const period = { ...yearBounds(year), lastDay: window.to };
      const sql = formsFromSql(await formBySql(peer.client, { provinceCode: "14" }, period));
      const ours = await formsByAggregates(
        new DynamoAggregateReader(table.client, table.tableName),
        COMMUNES,
        window,
      );
      expect(formDifferences(sql, ours)).toEqual([]);
      // Not vacuous: every commune received and resolved dossiers, some late, and the second year
      // carries dossiers over from the first.
      const totals = COMMUNES.map((code) => ours.get(code)!.total);
      for (const total of totals) {
        expect(total.received.online).toBeGreaterThan(0);
        expect(total.resolved.early).toBeGreaterThan(0);
      }
      expect(totals.reduce((sum, t) => sum + t.resolved.late, 0)).toBeGreaterThan(0);
      if (year === 2023)
        expect(totals.reduce((sum, t) => sum + t.received.carriedOver, 0)).toBeGreaterThan(0);
      const one = formsFromSql(await formBySql(peer.client, { communeCode: COMMUNES[1]! }, period));
      expect(one.get(COMMUNES[1]!)).toEqual(ours.get(COMMUNES[1]!));
    },
  );
});
