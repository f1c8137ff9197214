/**
 * npm run bench:dvcqg — the DVCQG-compatible intake's throughput on this machine, against the local
 * stack, beside the event intake's in the same run.
 *
 * A commune-year (≥ 3,000 dossiers, bench/realistic-year.ts) is sent twice, at the same concurrency
 * (8 senders) and batch size (50): once as events to `/events` (commune 10621), once as a provincial
 * system's DVCQG sync (commune 10618, bench/dvcqg-sender.ts: a snapshot per status change, so each
 * dossier 2–4 times, plus progress entries). A status change is one event on the first path and one
 * snapshot (with its progress entry) on the second: the ratio of the two rates is the price of
 * translating snapshots into facts. Targets: ≥ 0.7, and ≤ 6 write units per snapshot.
 */
import { randomUUID } from "node:crypto";
import { startLocalStack } from "../local/stack";
import { writeStats } from "../shared/adapters/dynamo/write-stats";
import type { Event } from "../shared/domain/events";
import { signPayload } from "../shared/intake/signature";
import { DEMO_SOURCE } from "../shared/intake/sources";
import { mapLimited } from "../shared/map-limited";
import { DvcqgClient, renderYear, syncDossiers } from "./dvcqg-sender";
import { generateCommuneYear } from "./realistic-year";

const SENDERS = 8;
const BATCH = 50;
const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 3_000);
/**
 * `time` (default): both paths send the status changes in the order they happened, across dossiers,
 * as a province syncs each change when it happens. `waves`: the events of a dossier all together,
 * and the DVCQG messages wave by wave (every dossier's first message, then every second one…), the
 * cadence this benchmark had before (each snapshot then commits alone what events commit together).
 */
const CADENCE = process.env.BENCH_CADENCE === "waves" ? "waves" : "time";

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
};
const counters = () => ({
  ...writeStats,
  retryReasons: undefined,
  byKind: new Map([...writeStats.byKind].map(([kind, entry]) => [kind, { ...entry }])),
});
type Counters = ReturnType<typeof counters>;
/** Write units per unit of work between two readings, by what was written: events, heads, aggregates, listings, commit markers. */
const unitsByKind = (from: Counters, to: Counters, per: number) =>
  (["event", "head", "aggregate", "listing", "marker"] as const)
    .map((kind) => {
      const units = (to.byKind.get(kind)?.units ?? 0) - (from.byKind.get(kind)?.units ?? 0);
      const items = (to.byKind.get(kind)?.items ?? 0) - (from.byKind.get(kind)?.items ?? 0);
      return `${kind}s ${(units / per).toFixed(2)} (${(items / per).toFixed(2)} items)`;
    })
    .join(", ");

async function main() {
  process.env.LOCAL_DEFAULTS = "1";
  process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
  delete process.env.SOURCES_JSON;
  const stack = await startLocalStack({ port: 0, functions: ["intake", "dvcqg"] });
  try {
    // 1. The event intake: the year's dossier events in batches of 50 (feedback left out on both paths).
    const events = generateCommuneYear({
      communeCode: "10621",
      year: 2023,
      dossiers: DOSSIERS,
      seed: 11,
    }).filter((event) => "dossierCode" in event);
    if (CADENCE === "time") events.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
    const batches: Event[][] = [];
    for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
    const eventLatencies: number[] = [];
    const before = counters();
    let started = performance.now();
    await mapLimited(batches, SENDERS, async (batch) => {
      const body = JSON.stringify({ events: batch });
      const began = performance.now();
      // As a sender does: 5xx (a loaded machine's timeouts) is retried, which is always safe.
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(`${stack.url}/v1/sources/demo/events`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...signPayload({ secret: DEMO_SOURCE.secrets[0]!, id: randomUUID(), body }),
          },
          body,
        });
        await response.arrayBuffer();
        if (response.status === 200) break;
        if (response.status < 500 || attempt >= 5) throw new Error(`/events answered ${response.status}`);
      }
      eventLatencies.push(performance.now() - began);
    });
    const eventSeconds = (performance.now() - started) / 1000;
    const middle = counters();

    // 2. The same year as DVCQG snapshots and progress entries.
    const year = generateCommuneYear({ communeCode: "10618", year: 2023, dossiers: DOSSIERS, seed: 11 });
    const { dossiers } = renderYear(year);
    const snapshots = dossiers.reduce(
      (n, d) => n + d.messages.filter((m) => m.service === "DongBoHoSoMC").length,
      0,
    );
    const entries = dossiers.reduce((n, d) => n + d.messages.length, 0) - snapshots;
    const client = new DvcqgClient({
      baseUrl: stack.url,
      sourceId: "demo",
      username: DEMO_SOURCE.dvcqg!.username,
      password: DEMO_SOURCE.dvcqg!.password,
      madonvi: "10618",
    });
    await client.logIn();
    started = performance.now();
    const stats = await syncDossiers(client, dossiers, {
      senders: SENDERS,
      batchSize: BATCH,
      entryBatchSize: BATCH,
      staleResend: false,
      order: CADENCE,
    });
    const dvcqgSeconds = (performance.now() - started) / 1000;
    const after = counters();

    const eventRate = events.length / eventSeconds;
    const snapshotRate = snapshots / dvcqgSeconds;
    const rows: [string, string][] = [
      ["dossiers", `${dossiers.length}`],
      ["event intake: events (status changes)", `${events.length} in ${batches.length} requests`],
      ["event intake: status changes/s", eventRate.toFixed(0)],
      [
        "event intake: latency p50 / p99",
        `${percentile(eventLatencies, 0.5).toFixed(0)} ms / ${percentile(eventLatencies, 0.99).toFixed(0)} ms`,
      ],
      [
        "event intake: write units per event (AWS rule)",
        ((middle.estimatedWriteUnits - before.estimatedWriteUnits) / (middle.events - before.events)).toFixed(
          2,
        ),
      ],
      [
        "event intake: write units per event, by item written",
        unitsByKind(before, middle, middle.events - before.events),
      ],
      [
        "event intake: transactions per event",
        ((middle.transactions - before.transactions) / (middle.events - before.events)).toFixed(2),
      ],
      [
        "DVCQG: snapshots (status changes) + progress entries",
        `${snapshots} + ${entries} in ${stats.calls} requests`,
      ],
      ["DVCQG: dossiers/s", (dossiers.length / dvcqgSeconds).toFixed(0)],
      ["DVCQG: status changes/s", snapshotRate.toFixed(0)],
      [
        "DVCQG: latency p50 / p99",
        `${percentile(stats.latencies, 0.5).toFixed(0)} ms / ${percentile(stats.latencies, 0.99).toFixed(0)} ms`,
      ],
      [
        "DVCQG: write units per snapshot (AWS rule, entries included)",
        ((after.estimatedWriteUnits - middle.estimatedWriteUnits) / snapshots).toFixed(2),
      ],
      ["DVCQG: write units per snapshot, by item written", unitsByKind(middle, after, snapshots)],
      ["DVCQG: facts stored per snapshot", ((after.events - middle.events) / snapshots).toFixed(2)],
      [
        "DVCQG: transactions per snapshot",
        ((after.transactions - middle.transactions) / snapshots).toFixed(2),
      ],
      [
        "DVCQG: items applied / unchanged / rejected",
        `${stats.applied} / ${stats.unchanged} / ${stats.rejected}`,
      ],
      ["ratio DVCQG ÷ event intake, per status change (target ≥ 0.7)", (snapshotRate / eventRate).toFixed(2)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(
      `\nDVCQG benchmark: ${DOSSIERS} dossiers, year 2023, ${SENDERS} senders, batches of ${BATCH}, cadence ${CADENCE}\n`,
    );
    console.log(`| ${"measure".padEnd(width)} | value |`);
    console.log(`|${"-".repeat(width + 2)}|-------|`);
    for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v} |`);
    if (stats.rejected > 0) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

await main();
