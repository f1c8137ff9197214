/**
 * npm run bench:editions — what report editions cost on this machine, over HTTP against the local
 * API server (local/http-server.ts) with DynamoDB Local and s3rver started in-process:
 *
 *   1. save: `PUT /v1/editions/{commune}/2023` of one section, each with the ETag of the last, p50/p99;
 *   2. issue of a commune-year (≈3,300 dossiers): read, render JSON/Excel/Word, store each file once,
 *      one transaction;
 *   3. the province panel, `GET /v1/editions?provinceCode&year`, for BENCH_COMMUNES communes issued;
 *   4. the ZIP of those issued reports, `GET /v1/editions/bundle`.
 *
 * The aggregates are written directly (bench/aggregates.ts), relabelled from 10 generated years; the
 * communes' editions are issued through the use cases before (3) and (4). The handler is wired with a
 * benchmark Authenticator (one issuer of the province), the people module's being a separate concern.
 * BENCH_COMMUNES (default 200), BENCH_RUNS (default 50) and BENCH_DOSSIERS (default 3300) size it.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { createEditionsHandler, editionsDepsFromEnv } from "../functions/editions/handler";
import { startLocalApi } from "../local/http-server";
import { ensureBucket, ensureTable } from "../local/provision";
import { startServices } from "../local/services";
import { DEMO_EDITION } from "../scripts/demo-edition";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../shared/adapters/aws-clients";
import { issueEdition } from "../shared/editions/issue";
import { createEdition, editionTarget, saveEdition } from "../shared/editions/service";
import type { Authenticator } from "../shared/people/caller";
import { communesOfProvince, findProvince } from "../shared/units/registry";
import { aggregatesOf, relabel, writeAggregates } from "./aggregates";
import { generateCommuneYear } from "./realistic-year";

process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
process.env.POWERTOOLS_METRICS_DISABLED = "true";
process.env.POWERTOOLS_TRACE_ENABLED = "false";

const COMMUNES = Number(process.env.BENCH_COMMUNES ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 3_300);
const YEAR = 2023;
const ON = "2023-12-14";

/** The province whose number of communes is nearest BENCH_COMMUNES. */
function provinceOfSize(size: number): string {
  const codes = Array.from({ length: 99 }, (_, i) => String(i + 1).padStart(2, "0")).filter((c) =>
    findProvince(c, ON),
  );
  return codes.reduce((best, code) =>
    Math.abs(communesOfProvince(code, ON).length - size) <
    Math.abs(communesOfProvince(best, ON).length - size)
      ? code
      : best,
  );
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;

async function main(): Promise<void> {
  const services = await startServices({ startTimeoutMs: 300_000 });
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: services.dynamoEndpoint,
    S3_ENDPOINT: services.s3Endpoint,
    TABLE_NAME: "bench-editions",
    BUCKET_NAME: "bench-editions",
    AWS_REGION: process.env.AWS_REGION ?? "ap-southeast-1",
  });
  const dynamo = dynamoClientFromEnv();
  await ensureTable(dynamo, "bench-editions");
  const deps = editionsDepsFromEnv();
  await ensureBucket(s3ClientFromEnv(), "bench-editions");

  const province = provinceOfSize(COMMUNES);
  const communes = communesOfProvince(province, ON).slice(0, COMMUNES);
  console.log(
    `Preparing ${communes.length} communes of province ${province} (aggregates written directly) …`,
  );
  const templates = Array.from({ length: 10 }, (_, i) =>
    aggregatesOf(
      generateCommuneYear({
        communeCode: "00000",
        year: YEAR,
        dossiers: DOSSIERS - 2_500 + i * 500,
        seed: 100 + i,
      }),
    ),
  );
  for (const [i, commune] of communes.entries()) {
    await writeAggregates(dynamo, "bench-editions", relabel(templates[i % templates.length]!, commune.code));
  }

  const actor = { issuer: "bench", subject: "bench-issuer", name: "Bench" };
  const authenticator: Authenticator = {
    async authenticate() {
      const person = { ...actor, role: "issuer" as const, units: [province] };
      return { ok: true, caller: { kind: "person", person, scope: { communes: [], provinces: [province] } } };
    },
  };
  const handler = createEditionsHandler({
    editions: deps,
    authenticator,
    logger: new Logger({ logLevel: "SILENT" }),
  });
  const api = await startLocalApi({ port: 0, handlers: { editions: handler }, timeoutMs: 600_000 });
  const request = async (method: string, path: string, init: { ifMatch?: string; body?: unknown } = {}) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        authorization: "Bearer bench",
        "content-type": "application/json",
        ...(init.ifMatch ? { "if-match": init.ifMatch } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (response.status >= 300)
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(body)}`);
    return { etag: response.headers.get("etag") ?? "", body };
  };

  try {
    const rows: [string, string, string][] = [];
    // 1. saves
    const first = communes[0]!.code;
    let { etag } = await request("POST", `/v1/editions/${first}/${YEAR}`);
    const saves: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const started = performance.now();
      ({ etag } = await request("PUT", `/v1/editions/${first}/${YEAR}`, {
        ifMatch: etag,
        body: { texts: { "II.1": `${DEMO_EDITION.texts?.["II.1"]} (${i})` } },
      }));
      if (i > 0) saves.push(performance.now() - started); // the first is the warm-up
    }
    saves.sort((a, b) => a - b);
    rows.push([
      `save (PUT one section), ${RUNS} sequential`,
      fmt(percentile(saves, 0.5)),
      fmt(percentile(saves, 0.99)),
    ]);

    // 2. issue of a commune-year, over HTTP
    ({ etag } = await request("PUT", `/v1/editions/${first}/${YEAR}`, { ifMatch: etag, body: DEMO_EDITION }));
    let started = performance.now();
    await request("POST", `/v1/editions/${first}/${YEAR}/issue`, { ifMatch: etag });
    rows.push([
      "issue of a commune-year (3 formats, stored once, one transaction)",
      fmt(performance.now() - started),
      "",
    ]);

    // The other communes issued through the use cases (not timed).
    const now = new Date();
    const context = { actor, requestId: "bench" };
    for (const commune of communes.slice(1)) {
      const target = editionTarget(commune.code, { kind: "year", year: YEAR }, now)!;
      const created = await createEdition(deps, target, context);
      const saved = await saveEdition(deps, target, DEMO_EDITION, created.revision, context);
      await issueEdition(deps, target, saved.revision, context);
    }

    // 3. the province panel
    const panel: number[] = [];
    for (let i = 0; i <= Math.min(RUNS, 10); i++) {
      started = performance.now();
      const { body } = await request("GET", `/v1/editions?provinceCode=${province}&year=${YEAR}`);
      if (i > 0) panel.push(performance.now() - started);
      if (i === 0 && body.issued !== communes.length)
        throw new Error(`expected ${communes.length} issued, got ${body.issued}`);
    }
    panel.sort((a, b) => a - b);
    rows.push([
      `province panel, ${communes.length} communes issued`,
      fmt(percentile(panel, 0.5)),
      fmt(percentile(panel, 0.99)),
    ]);

    // 4. the bundle
    started = performance.now();
    const { body } = await request("GET", `/v1/editions/bundle?provinceCode=${province}&year=${YEAR}`);
    const zipMs = performance.now() - started;
    const zip = await fetch(String(body.url));
    const bytes = (await zip.arrayBuffer()).byteLength;
    rows.push([
      `ZIP of ${communes.length} issued reports (${body.files} files, ${(bytes / 1e6).toFixed(1)} MB)`,
      fmt(zipMs),
      "",
    ]);

    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`\n| ${"measure".padEnd(width)} | p50 / time | p99 |`);
    console.log(`|${"-".repeat(width + 2)}|---|---|`);
    for (const [name, p50, p99] of rows) console.log(`| ${name.padEnd(width)} | ${p50} | ${p99} |`);
  } finally {
    await api.close();
    await services.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
