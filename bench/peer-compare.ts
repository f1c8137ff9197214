/**
 * The two sides of `npm run bench:peer` on the same dossiers: the SQL table of ./peer-sql.ts, and
 * this product's aggregates in DynamoDB Local read as a report reads them.
 *
 * The aggregates are not sent through the HTTP intake (1.8 million dossiers would take hours on a
 * small machine): each dossier's events (./peer-data.ts `eventsOf`) are folded and its contribution
 * computed by the product's own domain code (`foldSubject`, `contributionOf`: exactly what the store
 * ADDs, which the oracle property tests prove), summed, and the items written directly, as
 * bench/reports.ts does. The report side then reads them with the product's `DynamoAggregateReader`.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type pg from "pg";
import type { DynamoAggregateReader } from "../shared/adapters/dynamo/aggregate-reader";
import type { MonthKey } from "../shared/domain/calendar";
import { type Contribution, parseAggregateKey } from "../shared/domain/counters";
import {
  type FormCounts,
  type FormFieldRow,
  formII06a,
  isEmptyRow,
  type MonthWindow,
} from "../shared/domain/form-ii06a";
import { mapLimited } from "../shared/map-limited";
import { writeAggregates } from "./aggregates";
import { addContribution, communeYear, FIELDS } from "./peer-data";
import { loadRows, type SqlFormRow } from "./peer-sql";

export interface CommuneForm {
  byField: FormFieldRow[];
  total: FormCounts;
}

export interface PeerLoad {
  pg: pg.Client;
  dynamo: DynamoDBClient;
  tableName: string;
  provinceCode: string;
  communes: readonly string[];
  /** Dossiers received by a commune in a year. */
  dossiersOf: (communeCode: string, year: number) => number;
  /** The running sums of every dossier loaded so far, by aggregate key. */
  aggregates: Contribution;
}

/** Loads one reporting year of the province into both sides; returns the dossiers loaded. */
export async function loadYear(load: PeerLoad, year: number): Promise<number> {
  const touched = new Set<string>();
  let count = 0;
  function* rows() {
    for (const communeCode of load.communes) {
      for (const row of communeYear(
        load.provinceCode,
        communeCode,
        year,
        load.dossiersOf(communeCode, year),
      )) {
        addContribution(load.aggregates, row, touched);
        count += 1;
        yield row;
      }
    }
  }
  await loadRows(load.pg, rows());
  const names = new Map<string, string>(FIELDS.map((f) => [f.code, f.name]));
  const records = [...touched].flatMap((key) => {
    const counters = load.aggregates.get(key);
    if (!counters) return [];
    const address = parseAggregateKey(key);
    return [{ ...address, fieldName: names.get(address.fieldCode) ?? address.fieldCode, counters }];
  });
  await writeAggregates(load.dynamo, load.tableName, { records, listings: [] });
  return count;
}

/** Form II.06a of each commune from its aggregates, read as a report reads them (16 communes at once). */
export async function formsByAggregates(
  reader: DynamoAggregateReader,
  communes: readonly string[],
  window: MonthWindow,
): Promise<Map<string, CommuneForm>> {
  const forms = await mapLimited(communes, 16, async (communeCode) =>
    formII06a(await reader.readRecords(communeCode, window.lastMonth as MonthKey), window),
  );
  return new Map(communes.map((code, i) => [code, forms[i]!]));
}

/** The same shape from the SQL rows (fields with nothing to show left out, as the form does). */
export function formsFromSql(rows: readonly SqlFormRow[]): Map<string, CommuneForm> {
  const byCommune = new Map<string, SqlFormRow[]>();
  for (const row of rows) byCommune.set(row.communeCode, [...(byCommune.get(row.communeCode) ?? []), row]);
  const forms = new Map<string, CommuneForm>();
  for (const [communeCode, list] of byCommune) {
    const total = list.reduce((sum, row) => addCounts(sum, row.counts), zeroCounts());
    const byField = list
      .filter((row) => !isEmptyRow(row.counts))
      .map((row) => ({
        fieldCode: row.fieldCode,
        fieldName: FIELDS.find((f) => f.code === row.fieldCode)?.name ?? row.fieldCode,
        ...row.counts,
      }))
      .sort((a, b) => (a.fieldCode < b.fieldCode ? -1 : a.fieldCode > b.fieldCode ? 1 : 0));
    forms.set(communeCode, { byField, total });
  }
  return forms;
}

/** Where two sets of forms differ (communes with nothing on either side count as equal). */
export function formDifferences(a: Map<string, CommuneForm>, b: Map<string, CommuneForm>): string[] {
  const differences: string[] = [];
  for (const code of new Set([...a.keys(), ...b.keys()])) {
    const left = JSON.stringify(a.get(code) ?? { byField: [], total: zeroCounts() });
    const right = JSON.stringify(b.get(code) ?? { byField: [], total: zeroCounts() });
    if (left !== right) differences.push(`${code}: ${left} ≠ ${right}`);
  }
  return differences;
}

function zeroCounts(): FormCounts {
  return {
    received: { total: 0, online: 0, directOrPostal: 0, carriedOver: 0 },
    resolved: { total: 0, early: 0, onTime: 0, late: 0 },
    pending: { total: 0, withinDeadline: 0, overdue: 0 },
  };
}

function addCounts(a: FormCounts, b: FormCounts): FormCounts {
  const add = <T extends Record<string, number>>(x: T, y: T) =>
    Object.fromEntries(Object.keys(x).map((k) => [k, (x[k] ?? 0) + (y[k] ?? 0)])) as T;
  return {
    received: add(a.received, b.received),
    resolved: add(a.resolved, b.resolved),
    pending: add(a.pending, b.pending),
  };
}
