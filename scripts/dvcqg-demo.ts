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
import { DEMO_SOURCE } from "../shared/intake/sources";
import {
  apiOptions,
  buildAndPrintReport,
  DEMO_COMMUNE as COMMUNE,
  DEMO_OPTIONS,
  requireRunningStack,
  runDemo,
  DEMO_YEAR as YEAR,
} from "./reports-client";

const { values } = parseArgs({
  options: DEMO_OPTIONS,
});
const { baseUrl, token } = apiOptions(values);

async function main(): Promise<void> {
  await requireRunningStack(baseUrl);
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
  await buildAndPrintReport(
    baseUrl,
    token,
    { communeCode: COMMUNE, year: YEAR },
    () => `\nReport of xã Quốc Tuấn, year ${YEAR}, from the DVCQG sync:`,
    { out: values.out, stem: `bao-cao-dvcqg-${COMMUNE}-${YEAR}` },
  );
}

runDemo(main);
