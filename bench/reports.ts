/**
 * npm run bench:reports — how long a report takes to build on this machine, against DynamoDB Local
 * and s3rver started in-process:
 *
 *   1. a commune-year report (xã Quốc Tuấn 2023, ≈3,300 dossiers): read → build → check → JSON,
 *      Excel and Word → upload; target ≤ 1 s;
 *   2. the same commune with 10× the dossiers: the cost must not grow with them (aggregates only);
 *   3. a province roll-up of 170 communes (Tỉnh Quảng Ngãi, 2023): 170 key-range Queries, the
 *      workbook, the upload; target ≤ 20 s;
 *   4. xã Trần Phú 2025 (bench/merger-year.ts): its own aggregates and its three predecessors',
 *      with the previous period (2024) computed from the same reads; target ≤ 1 s;
 *   5. the new Hải Phòng's 2025 roll-up: every new commune with its full predecessors; ≤ 20 s.
 *
 * The aggregates and listings are written directly (BatchWriteItem, bench/aggregates.ts), as the
 * oracle computes them from the generated events (recomputeAggregates + listingsOf: the property
 * tests prove the intake stores exactly these): ingesting 170 commune-years through the intake would
 * take an hour here. The 170 communes reuse 10 generated years (different sizes and seeds),
 * relabelled per commune.
 */
import { ensureBucket, ensureTable } from "../local/provision";
import { startServices } from "../local/services";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../shared/adapters/aws-clients";
import { DynamoAggregateReader } from "../shared/adapters/dynamo/aggregate-reader";
import { S3ReportStore } from "../shared/adapters/s3/report-store";
import { buildCommuneReport, resolvePeriod } from "../shared/reports/build-model";
import { publishCommuneReport, publishProvinceReport, renderCommuneFiles } from "../shared/reports/publish";
import { communeUnit } from "../shared/reports/service";
import { communesOfProvince } from "../shared/units/registry";
import { aggregatesOf, relabel, writeAggregates } from "./aggregates";
import { generateMergerYear, MERGER } from "./merger-year";
import { generateCommuneYear } from "./realistic-year";

const COMMUNE = "10621";
const COMMUNE_10X = "10603"; // xã An Lâm, beside the merged communes
const PROVINCE = "51";
const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 3_300);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const YEAR = { kind: "year" as const, year: 2023 };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function time(
  runs: number,
  work: () => Promise<unknown>,
): Promise<{ median: number; min: number; max: number }> {
  await work(); // warm-up: module loading, JIT, connections
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

async function main(): Promise<void> {
  const services = await startServices({ startTimeoutMs: 300_000 }); // a loaded machine starts Java slowly
  const env = {
    ...process.env,
    DYNAMODB_ENDPOINT: services.dynamoEndpoint,
    S3_ENDPOINT: services.s3Endpoint,
  };
  const dynamo = dynamoClientFromEnv(env);
  const s3 = s3ClientFromEnv(env);
  const tableName = "bench-reports";
  const bucketName = "bench-reports";
  try {
    await ensureTable(dynamo, tableName);
    await ensureBucket(s3, bucketName);
    const aggregates = new DynamoAggregateReader(dynamo, tableName);
    const store = new S3ReportStore(s3, bucketName);
    const deps = { aggregates, store };

    console.log("Preparing data (aggregates written directly, as the oracle computes them) …");
    const prepared = performance.now();
    const seedEvents = generateCommuneYear({ communeCode: COMMUNE, year: 2023, dossiers: DOSSIERS, seed: 1 });
    const seedYear = aggregatesOf(seedEvents);
    const tenfold = aggregatesOf(
      generateCommuneYear({ communeCode: COMMUNE_10X, year: 2023, dossiers: DOSSIERS * 10, seed: 2 }),
    );
    // xã Trần Phú (10633, Hải Phòng) 2025: its own half year and its three predecessors' 2024 and
    // first half of 2025, each of DOSSIERS a year. Xã Quốc Tuấn's 2023 above shares its last month
    // with its 2024 carried-over dossiers: items are written whole, so both go in one computation.
    const mergerEvents = generateMergerYear({ dossiers: DOSSIERS, seed: 5 });
    const merger = aggregatesOf(mergerEvents);
    await writeAggregates(dynamo, tableName, aggregatesOf([...seedEvents, ...mergerEvents]));
    await writeAggregates(dynamo, tableName, tenfold);
    const templates = Array.from({ length: 10 }, (_, i) =>
      aggregatesOf(
        generateCommuneYear({ communeCode: "00000", year: 2023, dossiers: 800 + i * 500, seed: 100 + i }),
      ),
    );
    const communes = communesOfProvince(PROVINCE, "2023-12-14");
    let provinceItems = 0;
    for (const [i, commune] of communes.entries()) {
      const data = relabel(templates[i % templates.length]!, commune.code);
      provinceItems += data.records.length + data.listings.length;
      await writeAggregates(dynamo, tableName, data);
    }
    console.log(`  done in ${((performance.now() - prepared) / 1000).toFixed(1)} s\n`);

    // Where the time of one commune report goes.
    const resolved = resolvePeriod({ period: YEAR });
    const unit = communeUnit(COMMUNE, resolved)!;
    const phases = {
      read: [] as number[],
      build: [] as number[],
      render: [] as number[],
      upload: [] as number[],
    };
    for (let i = 0; i <= RUNS; i++) {
      let t = performance.now();
      const [records, listings] = await Promise.all([
        aggregates.readRecords(COMMUNE, resolved.window.lastMonth),
        aggregates.readListings(COMMUNE, resolved.window),
      ]);
      const read = performance.now() - t;
      t = performance.now();
      const report = buildCommuneReport({
        unit,
        period: YEAR,
        records,
        listings,
        generatedAt: new Date().toISOString(),
      });
      const build = performance.now() - t;
      t = performance.now();
      const files = await renderCommuneFiles(report);
      const render = performance.now() - t;
      t = performance.now();
      await store.save(
        { kind: "commune", communeCode: COMMUNE, provinceCode: unit.provinceCode, period: YEAR },
        files,
      );
      const upload = performance.now() - t;
      if (i === 0) continue; // warm-up
      phases.read.push(read);
      phases.build.push(build);
      phases.render.push(render);
      phases.upload.push(upload);
    }

    const commune = await time(RUNS, () => publishCommuneReport(deps, COMMUNE, { period: YEAR }));
    const commune10x = await time(RUNS, () => publishCommuneReport(deps, COMMUNE_10X, { period: YEAR }));
    const mergerYear = { period: { kind: "year" as const, year: MERGER.year } };
    const mergedCommune = await time(RUNS, () => publishCommuneReport(deps, MERGER.communeCode, mergerYear));
    const mergedProvince = await time(Math.max(1, Math.floor(RUNS / 2)), () =>
      publishProvinceReport(deps, MERGER.provinceCode, mergerYear),
    );
    const mergedCommunes = communesOfProvince(MERGER.provinceCode, "2025-12-14");
    const province = await time(Math.max(1, Math.floor(RUNS / 2)), () =>
      publishProvinceReport(deps, PROVINCE, { period: YEAR }),
    );
    const sizes = (
      await store.list({ kind: "commune", communeCode: COMMUNE, provinceCode: "30", period: YEAR })
    )
      .map((s) => `${s.format} ${Math.round((s.size ?? 0) / 1024)} KB`)
      .join(", ");

    const dossiers = (data: typeof seedYear) =>
      data.records.reduce((sum, r) => sum + (r.counters.rcv ?? 0), 0).toLocaleString("en");
    const ms = (v: number) => `${Math.round(v)} ms`;
    const rows: [string, string, string][] = [
      [
        `commune-year report, ${dossiers(seedYear)} dossiers (${seedYear.records.length} aggregates, ${seedYear.listings.length} listings)`,
        ms(commune.median),
        `${ms(commune.min)}–${ms(commune.max)}`,
      ],
      ["  of which: read (2 Queries)", ms(median(phases.read)), ""],
      ["  of which: build + identity checks", ms(median(phases.build)), ""],
      ["  of which: render JSON + XLSX + DOCX", ms(median(phases.render)), ""],
      ["  of which: upload (3 PutObject)", ms(median(phases.upload)), ""],
      [
        `same commune-year, 10× dossiers: ${dossiers(tenfold)} (${tenfold.records.length} aggregates, ${tenfold.listings.length} listings)`,
        ms(commune10x.median),
        `${ms(commune10x.min)}–${ms(commune10x.max)}`,
      ],
      [
        `province roll-up, ${communes.length} communes (${provinceItems.toLocaleString("en")} items read)`,
        ms(province.median),
        `${ms(province.min)}–${ms(province.max)}`,
      ],
      [
        `commune-year with predecessors and previous period: xã Trần Phú 2025 (3 codes' aggregates, ${dossiers(merger)} dossiers over 2024–2025)`,
        ms(mergedCommune.median),
        `${ms(mergedCommune.min)}–${ms(mergedCommune.max)}`,
      ],
      [
        `province roll-up with predecessors: Hải Phòng 2025, ${mergedCommunes.length} new communes (${new Set(mergedCommunes.flatMap((c) => [c.code, ...(c.predecessors ?? []).filter((p) => p.kind === "full").map((p) => p.code)])).size} codes read)`,
        ms(mergedProvince.median),
        `${ms(mergedProvince.min)}–${ms(mergedProvince.max)}`,
      ],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`Report benchmark (${RUNS} runs after a warm-up; DynamoDB Local + s3rver on this machine)\n`);
    console.log(`| ${"measure".padEnd(width)} | median   | range           |`);
    console.log(`|${"-".repeat(width + 2)}|----------|-----------------|`);
    for (const [name, value, range] of rows)
      console.log(`| ${name.padEnd(width)} | ${value.padStart(8)} | ${range.padEnd(15)} |`);
    console.log(`\nfiles of the commune report: ${sizes}`);
    console.log(
      `targets: commune ≤ 1,000 ms (${Math.max(commune.median, mergedCommune.median) <= 1000 ? "met" : "MISSED"}), ` +
        `province ≤ 20,000 ms (${Math.max(province.median, mergedProvince.median) <= 20_000 ? "met" : "MISSED"})`,
    );
    console.log("data: aggregates and listings written directly from the oracle (not through the intake)");
  } finally {
    dynamo.destroy();
    s3.destroy();
    await services.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
