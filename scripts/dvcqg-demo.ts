/**
 * npm run dvcqg:demo — the demo year of xã Quốc Tuấn (commune 10621, 2023, the same dossiers as
 * `npm run demo`) sent to the running local stack as a provincial one-stop system syncs with the
 * national portal: log in, look up, upsert a snapshot at every status change, progress entries,
 * retries and re-sends (bench/dvcqg-sender.ts); then the report is built and its links printed.
 * Its figures equal those of `npm run demo` (test/integration/dvcqg-demo.test.ts proves it).
 *
 * Run it on a fresh stack (`npm start -- --fresh`) to see the DVCQG path alone: after `npm run demo`
 * the same dossier codes already exist, and the sync only confirms them.
 *
 * Options: --url URL (default $REPORTS_API_URL or http://127.0.0.1:3000), --dossiers N (default 3300),
 * --out DIR (also download the files), --token TOKEN (default demo-reader-token).
 */
import { parseArgs } from "node:util";
import { replayYearAsDvcqg } from "../bench/dvcqg-sender";
import { DEMO_READER_TOKEN, DEMO_SOURCE } from "../shared/intake/sources";
import { ApiError, downloadAll, printLinks, reportLinks } from "./reports-client";

const COMMUNE = "10621";
const YEAR = 2023;

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    dossiers: { type: "string" },
    out: { type: "string" },
    token: { type: "string" },
  },
});
const baseUrl = (values.url ?? process.env.REPORTS_API_URL ?? "http://127.0.0.1:3000").replace(/\/$/, "");
const token = values.token ?? process.env.REPORTS_TOKEN ?? DEMO_READER_TOKEN;

async function main(): Promise<void> {
  try {
    const health = await fetch(`${baseUrl}/health`);
    if (!health.ok) throw new Error(`GET /health answered ${health.status}`);
  } catch (error) {
    console.error(
      `The local stack does not answer at ${baseUrl} (${(error as Error).message}).\nStart it first: npm start`,
    );
    process.exit(1);
  }
  await replayYearAsDvcqg({
    baseUrl,
    communeCode: COMMUNE,
    year: YEAR,
    dossiers: Number(values.dossiers ?? 3300),
    source: {
      id: DEMO_SOURCE.id,
      secret: DEMO_SOURCE.secrets[0]!,
      username: DEMO_SOURCE.dvcqg!.username,
      password: DEMO_SOURCE.dvcqg!.password,
    },
    log: console.log,
  });
  const links = await reportLinks(
    baseUrl,
    token,
    { communeCode: COMMUNE, year: YEAR, expiresIn: 3600 },
    true,
  );
  console.log(`\nReport of xã Quốc Tuấn, year ${YEAR}, from the DVCQG sync:`);
  printLinks(links);
  if (values.out) {
    for (const file of await downloadAll(links, values.out, `bao-cao-dvcqg-${COMMUNE}-${YEAR}`))
      console.log(`  wrote ${file}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ApiError) console.error(`\nThe API answered ${error.status}: ${error.body}`);
  else console.error(`\n${(error as Error).message}`);
  process.exit(1);
});
