import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayYearAsDvcqg, sendEvents } from "../../bench/dvcqg-sender";
import { generateCommuneYear } from "../../bench/realistic-year";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { reportLinks } from "../../scripts/reports-client";
import { DEMO_READER_TOKEN, DEMO_SOURCE } from "../../shared/intake/sources";

/**
 * `npm run dvcqg:demo` against `npm run demo`: the same generated year, once sent as events
 * (commune 10621) and once as a provincial system's DVCQG sync (commune 10618, same dossiers), in one
 * local stack; the two reports are equal but for the unit and the commune inside dossier codes.
 * A smaller year than the demo's 3,300 dossiers keeps the run short; the paths are the same.
 */
const YEAR = 2023;
const DOSSIERS = Number(process.env.DVCQG_DEMO_DOSSIERS ?? (process.env.CI ? 400 : 200));

let stack: LocalStack;
beforeAll(async () => {
  delete process.env.SOURCES_JSON;
  stack = await startLocalStack({ port: 0, functions: ["intake", "dvcqg", "links", "meta"] });
});
afterAll(async () => {
  await stack?.stop();
});

async function reportJson(communeCode: string): Promise<Record<string, unknown>> {
  const links = await reportLinks(stack.url, DEMO_READER_TOKEN, { communeCode, year: YEAR }, true);
  const json = links.find((link) => link.format === "json")!;
  const report = (await (await fetch(json.url)).json()) as Record<string, unknown>;
  const { generatedAt: _g, unit: _u, ...figures } = report;
  return figures;
}

describe("the DVCQG demo sync", () => {
  it("gives a report whose figures equal those of the same year sent as events", async () => {
    const events = generateCommuneYear({ communeCode: "10621", year: YEAR, dossiers: DOSSIERS, seed: YEAR });
    await sendEvents(stack.url, DEMO_SOURCE.id, DEMO_SOURCE.secrets[0]!, events);
    const stats = await replayYearAsDvcqg({
      baseUrl: stack.url,
      communeCode: "10618",
      year: YEAR,
      dossiers: DOSSIERS,
      source: {
        id: DEMO_SOURCE.id,
        secret: DEMO_SOURCE.secrets[0]!,
        username: DEMO_SOURCE.dvcqg!.username,
        password: DEMO_SOURCE.dvcqg!.password,
      },
    });
    expect(stats.rejected).toBe(0);
    expect(stats.unchanged).toBeGreaterThan(0); // the re-sends and stale snapshots changed nothing

    const fromEvents = await reportJson("10621");
    const fromDvcqg = JSON.parse(JSON.stringify(await reportJson("10618")).replaceAll(".10618.", ".10621."));
    expect(
      (fromEvents.dossiers as { total: { received: { total: number } } }).total.received.total,
    ).toBeGreaterThan(DOSSIERS * 0.9);
    expect(fromDvcqg).toEqual(fromEvents);
  }, 600_000);
});
