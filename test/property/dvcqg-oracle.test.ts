import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { renderDossier, type SyncMessage } from "../../bench/dvcqg-sender";
import type { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import type { Event } from "../../shared/domain/events";
import { type DvcqgSource, type ItemResult, syncProgress, syncSnapshots } from "../../shared/dvcqg/sync";
import { createTestTable, type TestTable } from "../support/aws";
import {
  acceptAllUnits,
  expectedAggregates,
  expectedListings,
  oracleStore,
  sendConcurrently,
  storedAggregates,
  storedListings,
} from "../support/oracle";

/**
 * The DVCQG oracle: random dossier histories, rendered as the snapshots and progress entries a
 * provincial system emits (bench/dvcqg-sender.ts: one snapshot per change, an entry per status
 * change), delivered shuffled, duplicated and by concurrent senders, give in DynamoDB Local the
 * aggregates and listings that folding the same histories as events gives.
 *
 * The histories are those the national sync can express: a reception, then non-overlapping
 * episodes in time (supplement rounds, pauses), online payment, corrections of field, procedure,
 * channel and fee (and of the due date before any supplement round) made before the dossier's
 * dated closing step, and one closing step: finished, finished and returned (by post or not),
 * returned, withdrawn or not received. Snapshots carry no version: a correction is ordered by the
 * dates a snapshot carries, so the closing step dates it (docs/dvcqg.md).
 */
const RUNS = Number(process.env.DVCQG_ORACLE_RUNS ?? (process.env.CI ? 250 : 40));
const WORKERS = 8;

let table: TestTable;
let store: DynamoSubjectStore;
let caseNumber = 0;

beforeAll(async () => {
  table = await createTestTable("dvcqg-oracle");
  store = oracleStore(table);
});

const START = Date.parse("2022-11-01T00:00:00Z");
const local = (ms: number) => `${new Date(ms + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;

type Body = Record<string, unknown>;
const fieldCode = fc.constantFrom("HT", "CT", "BTXH");
const procedureCode = fc.constantFrom("1.001193", "2.000908");
const channel = fc.constantFrom("online", "direct", "postal");

/** A step of a history, before it is given its time: each episode takes one or two instants. */
const episode: fc.Arbitrary<Body[]> = fc.oneof(
  fc
    .tuple(fc.boolean(), fc.option(fc.constant("due"), { nil: undefined }))
    .map(([received, due]) => [
      { type: "dossier.supplement_requested" },
      ...(received ? [{ type: "dossier.supplement_received", ...(due ? { dueAt: "NEWDUE" } : {}) }] : []),
    ]),
  fc
    .tuple(fc.constantFrom("financial-obligation", "stopped"), fc.boolean())
    .map(([reason, resumed]) => [
      { type: "dossier.paused", reason },
      ...(resumed ? [{ type: "dossier.resumed" }] : []),
    ]),
  fc.constant<Body[]>([{ type: "dossier.payment", paidOnline: true }]),
);
const closing: fc.Arbitrary<Body[]> = fc.oneof(
  fc.boolean().map((resultDigitized) => [{ type: "dossier.resolved", resultDigitized }]),
  fc.tuple(fc.boolean(), fc.constantFrom("postal", "direct")).map(([resultDigitized, returnChannel]) => [
    { type: "dossier.resolved", resultDigitized },
    { type: "dossier.returned", returnChannel },
  ]),
  fc.constantFrom("postal", "direct").map((returnChannel) => [{ type: "dossier.returned", returnChannel }]),
  fc.constant<Body[]>([{ type: "dossier.withdrawn" }]),
  fc.constant<Body[]>([{ type: "dossier.rejected" }]),
);

const history = fc
  .record({
    details: fc.record({
      fieldCode,
      procedureCode,
      channel,
      hasDue: fc.boolean(),
      dueDays: fc.integer({ min: 0, max: 40 }),
      digitization: fc.constantFrom("none", "partial", "full"),
      feeRequired: fc.boolean(),
    }),
    episodes: fc.array(episode, { maxLength: 3 }),
    closing: fc.option(closing, { freq: 3, nil: undefined }),
    correction: fc.option(
      fc.record(
        {
          fieldCode,
          procedureCode,
          channel,
          feeRequired: fc.boolean(),
          dueDays: fc.integer({ min: 0, max: 40 }),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
    /** Minutes from START to the reception, then between consecutive steps. */
    start: fc.integer({ min: 0, max: 14 * 30 * 24 * 60 }),
    gaps: fc.array(fc.integer({ min: 1, max: 40 * 24 * 60 }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ details, episodes: drawn, closing: end, correction, start, gaps }) => {
    // Episodes do not overlap: one left open (a supplement not received, a pause not resumed) ends them.
    const open = drawn.findIndex((e) => e.length === 1 && e[0]!.type !== "dossier.payment");
    const episodes = open === -1 ? drawn : drawn.slice(0, open + 1);
    const receivedAt = START + start * 60_000;
    const due = (days: number) => local(receivedAt + days * 86_400_000 + 9 * 3_600_000);
    const steps: Body[] = [];
    // A due-date correction is only expressible before the first supplement round (see above).
    const firstRound = episodes.findIndex((e) => e[0]!.type === "dossier.supplement_requested");
    if (correction && end) {
      const { dueDays, ...rest } = correction;
      const dueFix = dueDays !== undefined && firstRound === -1 ? { dueAt: due(dueDays) } : {};
      // Made just before the closing step, so the closing snapshot carries (and dates) it.
      if (Object.keys(rest).length + Object.keys(dueFix).length > 0) {
        episodes.push([{ type: "dossier.updated", ...rest, ...dueFix, sameInstantAsNext: true }]);
      }
    }
    for (const e of episodes) steps.push(...e);
    if (end) steps.push(...end);
    let at = receivedAt;
    const events: Body[] = [
      {
        type: "dossier.received",
        occurredAt: local(at),
        communeCode: "C",
        fieldCode: details.fieldCode,
        procedureCode: details.procedureCode,
        channel: details.channel,
        dueAt: details.hasDue ? due(details.dueDays) : null,
        digitization: details.digitization,
        feeRequired: details.feeRequired,
      },
    ];
    steps.forEach((step, i) => {
      const { sameInstantAsNext: _s, ...body } = step;
      if (!events.at(-1)?.sameInstantAsNext) at += gaps[i % gaps.length]! * 60_000;
      const dueAt = body.dueAt === "NEWDUE" ? local(at + 5 * 86_400_000) : body.dueAt;
      events.push({
        ...body,
        ...(dueAt === undefined ? {} : { dueAt }),
        occurredAt: local(at),
        sameInstantAsNext: step.sameInstantAsNext,
      });
    });
    return events.map(({ sameInstantAsNext: _s, ...event }) => event);
  });

const dvcqgCase = fc
  .array(fc.tuple(history, fc.constantFrom(0, 1)), { minLength: 1, maxLength: 4 })
  .chain((dossiers) => {
    const count = dossiers.length * 12;
    return fc.tuple(
      fc.constant(dossiers),
      fc.record({
        seed: fc.integer(),
        repeats: fc.array(fc.nat({ max: count }), { maxLength: Math.ceil(count / 3) }),
        batchSize: fc.integer({ min: 1, max: 6 }),
      }),
    );
  });

/** A deterministic shuffle (the case's seed), so fast-check can shrink and replay a failure. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let a = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    a = (a + 0x6d2b79f5) | 0;
    const j = (a >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("the DVCQG sync on the exactly-once core (oracle)", () => {
  it(
    `gives the aggregates and listings of the same histories as events, for any order, duplication and ${WORKERS} concurrent senders`,
    async () => {
      await fc.assert(
        fc.asyncProperty(dvcqgCase, async ([dossiers, plan]) => {
          const n = ++caseNumber;
          const communes = [String(30000 + n * 2), String(30001 + n * 2)];
          const source: DvcqgSource = {
            id: `dq-case${n}`,
            dvcqg: { username: "u", password: "p".repeat(16), agencies: {}, communeCodesAsAgencies: true },
          };
          const histories = dossiers.map(([bodies, c], d) => {
            const dossierCode = `${communes[c]}-D${d}`;
            return bodies.map(
              (body, i) =>
                ({
                  ...body,
                  ...(body.communeCode ? { communeCode: communes[c] } : {}),
                  id: `e${d}.${i}`,
                  dossierCode,
                }) as unknown as Event,
            );
          });
          const messages: SyncMessage[] = histories.flatMap(
            (events, d) => renderDossier(events, `m${d}`).messages,
          );
          const sent = shuffled(
            [...messages, ...plan.repeats.filter((i) => i < messages.length).map((i) => messages[i]!)],
            plan.seed,
          );

          const results: ItemResult[] = [];
          const deps = { store, units: acceptAllUnits };
          await sendConcurrently(sent, WORKERS, plan.batchSize, async (batch) => {
            const snapshots = batch.filter((m) => m.service === "DongBoHoSoMC").map((m) => m.item);
            const entries = batch.filter((m) => m.service === "CapNhatTienDoHoSoMC").map((m) => m.item);
            if (snapshots.length > 0)
              results.push(...(await syncSnapshots(source, undefined, snapshots, deps)));
            if (entries.length > 0) results.push(...(await syncProgress(source, undefined, entries, deps)));
          });
          expect(results.filter((r) => r.status === "rejected")).toEqual([]);

          const subjects = histories.map((events) => ({ kind: "dossier" as const, events }));
          expect(await storedAggregates(table, communes)).toEqual(expectedAggregates(subjects));
          expect(await storedListings(table, communes)).toEqual(expectedListings(subjects));
        }),
        { numRuns: RUNS },
      );
    },
    30 * 60_000,
  );
});
