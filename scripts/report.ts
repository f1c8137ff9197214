/**
 * npm run report -- --commune 10621 --year 2023 [--out DIR]
 *
 * Builds a report now through the API (POST /v1/reports) and prints its download links; `--out DIR`
 * also downloads the files there. Options:
 *   --commune CODE | --province CODE   the unit (a province gives the roll-up workbook)
 *   --year YYYY                         the reporting year (15/12 of YYYY−1 → 14/12 of YYYY)
 *   --period year|six-months|nine-months|quarter|month   default year; with --quarter N or --month N
 *   --expires SECONDS                   link lifetime, up to 604800 (7 days); default 900
 *   --no-build                          only the links of the last build (GET /v1/reports)
 *   --url URL                           default $REPORTS_API_URL or http://127.0.0.1:3000
 *   --token TOKEN                       default $REPORTS_TOKEN or the local demo-reader-token
 */
import { parseArgs } from "node:util";
import { DEMO_READER_TOKEN } from "../shared/intake/sources";
import { ApiError, downloadAll, printLinks, reportLinks } from "./reports-client";

const { values } = parseArgs({
  options: {
    commune: { type: "string" },
    province: { type: "string" },
    year: { type: "string" },
    period: { type: "string" },
    quarter: { type: "string" },
    month: { type: "string" },
    expires: { type: "string" },
    out: { type: "string" },
    url: { type: "string" },
    token: { type: "string" },
    "no-build": { type: "boolean" },
  },
});

function usage(message: string): never {
  console.error(
    `${message}\nusage: npm run report -- --commune 10621 --year 2023 [--out DIR] (see scripts/report.ts)`,
  );
  process.exit(2);
}

if (!values.commune === !values.province) usage("give --commune CODE or --province CODE");
if (!values.year || !/^\d{4}$/.test(values.year)) usage("give --year YYYY");
const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
const baseUrl = (values.url ?? process.env.REPORTS_API_URL ?? "http://127.0.0.1:3000").replace(/\/$/, "");
const token = values.token ?? process.env.REPORTS_TOKEN ?? DEMO_READER_TOKEN;
const query = {
  communeCode: values.commune,
  provinceCode: values.province,
  year: Number(values.year),
  period: values.period,
  quarter: number(values.quarter),
  month: number(values.month),
  expiresIn: number(values.expires),
};

try {
  const build = !values["no-build"];
  const started = performance.now();
  const links = await reportLinks(baseUrl, token, query, build);
  const unit = values.commune ? `commune ${values.commune}` : `province ${values.province}`;
  console.log(
    `${build ? "Built" : "Last build of"} the report of ${unit}, ${query.period ?? "year"} ${query.year}` +
      `${build ? ` in ${Math.round(performance.now() - started)} ms` : ""}:`,
  );
  printLinks(links);
  if (values.out) {
    const stem = `${values.commune ? `bao-cao-${values.commune}` : `tong-hop-${values.province}`}-${query.year}`;
    for (const file of await downloadAll(links, values.out, stem)) console.log(`  wrote ${file}`);
  }
} catch (error) {
  if (error instanceof ApiError) console.error(`The API answered ${error.status}: ${error.body}`);
  else if ((error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED") {
    console.error(`Nothing answers at ${baseUrl}: start the local stack first (npm start).`);
  } else console.error((error as Error).message);
  process.exit(1);
}
