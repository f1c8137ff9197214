/**
 * npm run bench:intake — the intake's throughput on this machine, against the local stack.
 *
 * A realistic year of one commune (≥ 15,000 events), shuffled (`BENCH_ORDER`), with 10% duplicates, sent in
 * batches of 100 (`BENCH_BATCH`) by 8 concurrent senders over HTTP to the very handler Lambda runs. Then, in the
 * same run and at the same concurrency, the rate DynamoDB Local sustains for a bare 3-item
 * TransactWriteItems: the ratio of the two says how much the exactly-once design costs.
 */
import { randomUUID } from "node:crypto";
import { QueryCommand, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { startLocalStack } from "../local/stack";
import { dynamoClientFromEnv } from "../shared/adapters/aws-clients";
import { writeStats } from "../shared/adapters/dynamo/write-stats";
import type { Contribution } from "../shared/domain/counters";
import { type Event, subjectOf } from "../shared/domain/events";
import { recomputeAggregates } from "../shared/domain/fold";
import { signPayload } from "../shared/intake/signature";
import { DEMO_SOURCE } from "../shared/intake/sources";
import { mapLimited } from "../shared/map-limited";
import { generateCommuneYear } from "./realistic-year";

const SENDERS = 8;
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const DUPLICATE_SHARE = 0.1;
/**
 * `shuffled` (default): any order; `time`: as a provincial system sends them, in the order they
 * happened (then the duplicates); `dossier`: each dossier's events together, as generated.
 */
const ORDER = process.env.BENCH_ORDER ?? "shuffled";
const COMMUNE = "10621";
const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 4_000);
const BASELINE_TRANSACTIONS = Number(process.env.BENCH_BASELINE ?? 4_000);

/** A small deterministic generator, so that every run shuffles alike. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function runSenders<T>(
  queue: T[],
  concurrency: number,
  send: (item: T) => Promise<void>,
): Promise<number> {
  const started = performance.now();
  await mapLimited(queue, concurrency, send);
  return (performance.now() - started) / 1000;
}

async function main() {
  process.env.LOCAL_DEFAULTS = "1";
  process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
  const stack = await startLocalStack({ port: 0, functions: ["intake"] });
  try {
    const random = mulberry32(2023);
    const events = generateCommuneYear({ communeCode: COMMUNE, year: 2023, dossiers: DOSSIERS, seed: 7 });
    const duplicates = events.filter(() => random() < DUPLICATE_SHARE);
    const deliveries =
      ORDER === "time"
        ? [...events.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt)), ...duplicates]
        : ORDER === "dossier"
          ? [...events, ...duplicates]
          : shuffle([...events, ...duplicates], random);
    const batches: Event[][] = [];
    for (let i = 0; i < deliveries.length; i += BATCH) batches.push(deliveries.slice(i, i + BATCH));

    const secret = DEMO_SOURCE.secrets[0]!;
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const seconds = await runSenders(batches, SENDERS, async (batch) => {
      const body = JSON.stringify({ events: batch });
      const headers = signPayload({
        secret,
        id: randomUUID(),
        timestamp: Math.floor(Date.now() / 1000),
        body,
      });
      const started = performance.now();
      const response = await fetch(`${stack.url}/v1/sources/demo/events`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body,
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    });
    latencies.sort((a, b) => a - b);

    // Correctness first: the stored aggregates must equal the oracle's recomputation.
    const oracleEqual = await aggregatesMatchOracle(events, stack.env.TABLE_NAME);

    // The baseline: bare 3-item transactions at the same concurrency against the same DynamoDB Local.
    const client = dynamoClientFromEnv(process.env);
    const baselineSeconds = await runSenders(
      Array.from({ length: BASELINE_TRANSACTIONS }, (_, i) => i),
      SENDERS,
      async (i) => {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [0, 1, 2].map((k) => ({
              Put: {
                TableName: stack.env.TABLE_NAME,
                Item: { pk: { S: `BENCH#${i}#${k}` }, sk: { S: "X" }, n: { N: String(i) } },
              },
            })),
          }),
        );
      },
    );

    const eventsPerSecond = deliveries.length / seconds;
    const baselinePerSecond = BASELINE_TRANSACTIONS / baselineSeconds;
    const rows: [string, string][] = [
      [
        "events sent (distinct + duplicates)",
        `${deliveries.length} (${events.length} + ${duplicates.length})`,
      ],
      [
        `requests (batches of ${BATCH}, ${SENDERS} senders)`,
        `${batches.length}: ${[...statuses].map(([s, n]) => `${n}×${s}`).join(", ")}`,
      ],
      ["intake rate", `${eventsPerSecond.toFixed(0)} events/s`],
      [
        "request latency p50 / p99",
        `${percentile(latencies, 0.5).toFixed(0)} ms / ${percentile(latencies, 0.99).toFixed(0)} ms`,
      ],
      [
        "write units per event, AWS rule (2 per KB per item)",
        (writeStats.estimatedWriteUnits / writeStats.events).toFixed(2),
      ],
      [
        "write units per event, as DynamoDB Local reports",
        (writeStats.writeUnits / writeStats.events).toFixed(2),
      ],
      ["transactions / retries", `${writeStats.transactions} / ${writeStats.retries}`],
      ["retry reasons", [...writeStats.retryReasons].map(([r, n]) => `${n}× ${r}`).join(", ") || "none"],
      ["bare 3-item TransactWriteItems", `${baselinePerSecond.toFixed(0)} tx/s`],
      ["ratio intake ÷ bare transaction", (eventsPerSecond / baselinePerSecond).toFixed(2)],
      ["aggregates equal the oracle", oracleEqual ? "yes" : "NO"],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(
      `\nIntake benchmark: ${DOSSIERS} dossiers of commune ${COMMUNE}, year 2023, order ${ORDER}\n`,
    );
    console.log(`| ${"measure".padEnd(width)} | value |`);
    console.log(`|${"-".repeat(width + 2)}|-------|`);
    for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v} |`);
    if (!oracleEqual) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

async function aggregatesMatchOracle(events: Event[], tableName: string): Promise<boolean> {
  const bySubject = new Map<string, { kind: "dossier" | "feedback"; events: Event[] }>();
  for (const event of events) {
    const subject = subjectOf(event);
    const key = `${subject.kind}:${subject.code}`;
    const entry = bySubject.get(key) ?? { kind: subject.kind, events: [] };
    entry.events.push(JSON.parse(JSON.stringify(event)));
    bySubject.set(key, entry);
  }
  const expected = recomputeAggregates(bySubject.values());
  const client = dynamoClientFromEnv(process.env);
  const actual: Contribution = new Map();
  let startKey: QueryCommand["input"]["ExclusiveStartKey"];
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: `A#${COMMUNE}` } },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const { pk: _p, sk, fieldName: _f, ...counters } = unmarshall(item);
      const nonZero = Object.fromEntries(Object.entries(counters).filter(([, v]) => v !== 0)) as Record<
        string,
        number
      >;
      if (Object.keys(nonZero).length > 0) actual.set(`${COMMUNE}#${sk}`, nonZero);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const differences: string[] = [];
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    const [a, e] = [JSON.stringify(sorted(actual.get(key))), JSON.stringify(sorted(expected.get(key)))];
    if (a !== e) differences.push(`${key}: stored ${a}, oracle ${e}`);
  }
  for (const line of differences.slice(0, 10)) console.error(line);
  return differences.length === 0;
}

function sorted(counters: Record<string, number> | undefined) {
  return counters && Object.fromEntries(Object.entries(counters).sort(([a], [b]) => (a < b ? -1 : 1)));
}

await main();
