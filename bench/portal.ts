/**
 * npm run bench:portal — what the officials' portal costs on this machine, on the local stack
 * (DynamoDB Local, s3rver and the real handlers behind the HTTP server, started in-process):
 *
 *   1. `GET /v1/figures` over HTTP for a commune-year (xã Quốc Tuấn 2023, ≈3,300 dossiers):
 *      target ≤ 100 ms;
 *   2. the same for a province-year (Tỉnh Quảng Ngãi 2023, 170 communes: 170 key-range Queries):
 *      target ≤ 2 s;
 *   3. the page (bench/portal-browser.ts): the first view's JavaScript and CSS gzipped, real
 *      Chromium's time from navigation to the commune view's table, and from the sign-in's Enter
 *      to that table (target ≤ 500 ms). BENCH_BROWSER=off skips it.
 *
 * The aggregates are written directly, as the oracle computes them (bench/aggregates.ts): 170
 * commune-years through the intake would take an hour here. The 170 communes reuse 10 generated
 * years (different sizes and seeds), relabelled per commune. BENCH_RUNS sets the requests per case.
 */
import { startLocalStack } from "../local/stack";
import { ensureWebBuilt } from "../local/web-build";
import { dynamoClientFromEnv } from "../shared/adapters/aws-clients";
import { DEMO_READER_TOKEN } from "../shared/intake/sources";
import { communesOfProvince } from "../shared/units/registry";
import { aggregatesOf, relabel, writeAggregates } from "./aggregates";
import {
  browserRows,
  firstViewBundle,
  signInRows,
  timeCommuneView,
  timeSignInToFigures,
} from "./portal-browser";
import { generateCommuneYear } from "./realistic-year";

// The handlers log every request at INFO: keep the table readable.
process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
// Time the read, not the links function's figures cache (docs/portal.md#live-figures-cache): the
// stack imports the handlers when it starts, after this line. FIGURES_CACHE_SECONDS=30 times the cache.
process.env.FIGURES_CACHE_SECONDS ??= "0";

const COMMUNE = "10621";
const PROVINCE = "51";
const YEAR = 2023;
const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 3_300);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const BROWSER = process.env.BENCH_BROWSER !== "off";

export interface Latency {
  samplesMs: number[];
  p50: number;
  p99: number;
  max: number;
  /** Bytes of one answer. */
  bytes: number;
}

/** The q-quantile of sorted samples, nearest rank. */
export function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** `runs` sequential `GET /v1/figures?<query>` after one warm-up; fails on any answer but 200. */
export async function measureFigures(
  baseUrl: string,
  token: string,
  query: Record<string, string>,
  runs: number,
): Promise<Latency> {
  const url = `${baseUrl}/v1/figures?${new URLSearchParams(query)}`;
  const get = async () => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = await response.arrayBuffer();
    if (response.status !== 200) {
      throw new Error(`${url} answered ${response.status}: ${Buffer.from(body).toString().slice(0, 500)}`);
    }
    return body.byteLength;
  };
  const bytes = await get(); // warm-up: module loading, JIT, connections
  const samplesMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await get();
    samplesMs.push(performance.now() - started);
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    samplesMs,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1)!,
    bytes,
  };
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows.slice(1)) console.log(line(row));
}

async function main(): Promise<void> {
  if (BROWSER) ensureWebBuilt();
  const stack = await startLocalStack({ port: 0 });
  const dynamo = dynamoClientFromEnv({ ...stack.env });
  try {
    console.log("Preparing data (aggregates written directly, as the oracle computes them) …");
    const prepared = performance.now();
    const tableName = stack.env.TABLE_NAME;
    await writeAggregates(
      dynamo,
      tableName,
      aggregatesOf(generateCommuneYear({ communeCode: COMMUNE, year: YEAR, dossiers: DOSSIERS, seed: 1 })),
    );
    const templates = Array.from({ length: 10 }, (_, i) =>
      aggregatesOf(
        generateCommuneYear({ communeCode: "00000", year: YEAR, dossiers: 800 + i * 500, seed: 100 + i }),
      ),
    );
    const communes = communesOfProvince(PROVINCE, `${YEAR}-12-14`);
    for (const [i, commune] of communes.entries()) {
      await writeAggregates(dynamo, tableName, relabel(templates[i % templates.length]!, commune.code));
    }
    console.log(
      `  ${communes.length} communes of province ${PROVINCE} and commune ${COMMUNE}, ` +
        `in ${((performance.now() - prepared) / 1000).toFixed(1)} s\n`,
    );

    const token = DEMO_READER_TOKEN;
    const commune = await measureFigures(
      stack.url,
      token,
      { communeCode: COMMUNE, year: String(YEAR) },
      RUNS,
    );
    const province = await measureFigures(
      stack.url,
      token,
      { provinceCode: PROVINCE, year: String(YEAR) },
      RUNS,
    );
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    const verdict = (latency: Latency, targetMs: number) =>
      `≤ ${targetMs >= 1000 ? `${targetMs / 1000} s` : `${targetMs} ms`}${latency.p50 <= targetMs ? "" : "  SLOWER"}`;
    console.log(`GET /v1/figures over HTTP on the local stack, ${RUNS} requests each after a warm-up:\n`);
    printTable([
      ["case", "p50", "p99", "max", "answer", "target (p50)"],
      [
        `commune-year (${COMMUNE}, ≈${DOSSIERS} dossiers)`,
        ms(commune.p50),
        ms(commune.p99),
        ms(commune.max),
        `${(commune.bytes / 1024).toFixed(0)} KB`,
        verdict(commune, 100),
      ],
      [
        `province-year (${PROVINCE}, ${communes.length} communes)`,
        ms(province.p50),
        ms(province.p99),
        ms(province.max),
        `${(province.bytes / 1024).toFixed(0)} KB`,
        verdict(province, 2000),
      ],
    ]);

    if (BROWSER) {
      console.log("\nThe page in Chromium (bench/portal-browser.ts):\n");
      const timing = await timeCommuneView({ baseUrl: stack.url, token, communeCode: COMMUNE, year: YEAR });
      const signIn = await timeSignInToFigures({
        baseUrl: stack.url,
        token,
        communeCode: COMMUNE,
        year: YEAR,
      });
      printTable([
        ["measure", "value", "target"],
        ...browserRows(firstViewBundle(), timing),
        ...signInRows(signIn),
      ]);
    }
  } finally {
    dynamo.destroy();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
