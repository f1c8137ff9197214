/**
 * npm run bench:soak — mixed traffic against the local API for a while, to see that throughput,
 * latency and the API process's memory stay flat.
 *
 * DynamoDB Local and s3rver run in this process; the API runs as its own process (the real handlers
 * of functions/, as in `npm start`), so its memory is its own. 8 senders each loop over: a batch of
 * 25 events (SOAK_BATCH) (realistic commune years, shuffled, 10% duplicates), and now and then a report build
 * (POST /v1/reports) or a links read (GET /v1/reports), plus the figures route when it exists.
 * Every interval it prints one row: requests and events per second, p99 latency per kind, errors,
 * and the API process's RSS and heap.
 *
 * SOAK_MINUTES (default 10; fractions allowed) sets the length, SOAK_INTERVAL_SECONDS (default 60)
 * the row interval; or `--minutes=2 --interval=30`. SOAK_DEBUG=1 shows the API process's log.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { startServices } from "../local/services";
import { routes } from "../shared/api/routes";
import type { Event } from "../shared/domain/events";
import { DEMO_READER_TOKEN } from "../shared/intake/sources";
import { communesOfProvince } from "../shared/units/registry";
import { postSigned, startApiProcess } from "../test/support/api-process";
import { generateCommuneYear } from "./realistic-year";

const { values } = parseArgs({
  options: { minutes: { type: "string" }, interval: { type: "string" } },
});
const MINUTES = Number(values.minutes ?? process.env.SOAK_MINUTES ?? 10);
const INTERVAL_SECONDS = Number(values.interval ?? process.env.SOAK_INTERVAL_SECONDS ?? 60);
const SENDERS = 8;
const BATCH = Number(process.env.SOAK_BATCH ?? 25);
const YEAR = 2023;
const DOSSIERS_PER_COMMUNE = 1_500;
const hasFigures = routes.some((route) => route.routeKey === "GET /v1/figures");

type Kind = "events" | "report build" | "report links" | "figures";
const KINDS: Kind[] = [
  "events",
  "report build",
  "report links",
  ...(hasFigures ? (["figures"] as const) : []),
];

/** A small deterministic generator, so that every run sends alike. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(2026);

/** An endless stream of event batches: one realistic commune year after another, shuffled. */
const communes = communesOfProvince("30", `${YEAR}-06-01`).map((c) => c.code);
let communeIndex = 0;
let pending: Event[] = [];
function nextBatch(): { events: Event[]; commune: string } {
  if (pending.length < BATCH) {
    const communeCode = communes[communeIndex++ % communes.length]!;
    const year = generateCommuneYear({
      communeCode,
      year: YEAR,
      dossiers: DOSSIERS_PER_COMMUNE,
      seed: communeIndex,
    });
    const withDuplicates = [...year, ...year.filter(() => random() < 0.1)];
    for (let i = withDuplicates.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [withDuplicates[i], withDuplicates[j]] = [withDuplicates[j]!, withDuplicates[i]!];
    }
    pending.push(...withDuplicates);
  }
  const events = pending.slice(0, BATCH);
  pending = pending.slice(BATCH);
  const first = events.find((event) => "communeCode" in event) as { communeCode?: string } | undefined;
  return { events, commune: first?.communeCode ?? communes[0]! };
}

interface Window {
  requests: number;
  events: number;
  errors: number;
  latencies: Map<Kind, number[]>;
}
const newWindow = (): Window => ({ requests: 0, events: 0, errors: 0, latencies: new Map() });

const p99 = (values: number[] | undefined) => {
  if (!values || values.length === 0) return "-";
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]!.toFixed(0)}`;
};
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

async function main() {
  const services = await startServices({});
  const api = await startApiProcess({
    dynamoEndpoint: services.dynamoEndpoint,
    s3Endpoint: services.s3Endpoint,
    tableName: "soak",
    bucketName: "soak",
    ...(process.env.SOAK_DEBUG
      ? { onLog: (line: string) => console.error(line), env: { API_LOG: "1" } }
      : {}),
  });
  const auth = { authorization: `Bearer ${DEMO_READER_TOKEN}`, "content-type": "application/json" };
  let window = newWindow();
  let stopping = false;
  let lastCommune = communes[0]!;

  const statuses = new Map<string, number>();
  const record = (kind: Kind, started: number, status: number, ok: boolean, events = 0) => {
    const key = `${kind} ${status}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    window.requests += 1;
    window.events += events;
    if (!ok) window.errors += 1;
    const list = window.latencies.get(kind) ?? [];
    list.push(performance.now() - started);
    window.latencies.set(kind, list);
  };

  const sender = async () => {
    while (!stopping) {
      const roll = random();
      const started = performance.now();
      if (roll < 0.85) {
        const { events, commune } = nextBatch();
        lastCommune = commune;
        const answer = await postSigned(api.url, JSON.stringify({ events }));
        record("events", started, answer.status, answer.status === 200, events.length);
      } else if (roll < 0.9) {
        const response = await fetch(`${api.url}/v1/reports`, {
          method: "POST",
          headers: auth,
          body: JSON.stringify({ communeCode: lastCommune, year: YEAR }),
        });
        await response.arrayBuffer();
        record("report build", started, response.status, response.status === 200);
      } else if (roll < 0.95 || !hasFigures) {
        const response = await fetch(`${api.url}/v1/reports?communeCode=${lastCommune}&year=${YEAR}`, {
          headers: auth,
        });
        await response.arrayBuffer();
        // 404 before the commune's first build is a correct answer.
        record("report links", started, response.status, response.status === 200 || response.status === 404);
      } else {
        const response = await fetch(`${api.url}/v1/figures?communeCode=${lastCommune}&year=${YEAR}`, {
          headers: auth,
        });
        await response.arrayBuffer();
        record("figures", started, response.status, response.status === 200);
      }
    }
  };

  const header = [
    "min",
    "req/s",
    "events/s",
    ...KINDS.map((kind) => `p99 ${kind} ms`),
    "errors",
    "API RSS MB",
    "API heap MB",
    "load avg",
  ];
  const rows: string[][] = [];
  const baseline = await api.memory();
  console.log(
    `Soak: ${MINUTES} min, ${SENDERS} senders, rows every ${INTERVAL_SECONDS} s; API process at start: RSS ${mb(baseline.rss)} MB, heap ${mb(baseline.heapUsed)} MB`,
  );
  const senders = Array.from({ length: SENDERS }, sender);
  const started = performance.now();
  const totalMs = MINUTES * 60_000;
  while (performance.now() - started < totalMs) {
    const elapsed = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, Math.min(INTERVAL_SECONDS * 1000, totalMs - elapsed)));
    const done = window;
    window = newWindow();
    const seconds = INTERVAL_SECONDS;
    const memory = await api.memory();
    const row = [
      ((performance.now() - started) / 60_000).toFixed(1),
      (done.requests / seconds).toFixed(1),
      (done.events / seconds).toFixed(0),
      ...KINDS.map((kind) => p99(done.latencies.get(kind))),
      String(done.errors),
      mb(memory.rss),
      mb(memory.heapUsed),
      // The machine's 1-minute load average: on a shared machine it explains slow minutes.
      os.loadavg()[0]!.toFixed(1),
    ];
    rows.push(row);
    console.log(row.join("\t"));
  }
  stopping = true;
  await Promise.all(senders);
  await api.stop();
  await services.stop();

  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(" | ")} |`;
  console.log(`\n${line(header)}\n|${widths.map((w) => `${"-".repeat(w + 1)}:`).join("|")}|`);
  for (const row of rows) console.log(line(row));
  console.log(
    `\nanswers: ${[...statuses]
      .sort()
      .map(([key, count]) => `${count}× ${key}`)
      .join(", ")}`,
  );
  const errors = rows.reduce((sum, row) => sum + Number(row[header.indexOf("errors")]), 0);
  if (errors > 0) {
    console.log(`\n${errors} requests failed`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
