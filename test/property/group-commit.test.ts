import {
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { DynamoSubjectStore } from "../../shared/adapters/dynamo/subject-store";
import { canonicalJson } from "../../shared/domain/canonical-json";
import type { Contribution } from "../../shared/domain/counters";
import type { Event } from "../../shared/domain/events";
import { foldSubject, recomputeAggregates } from "../../shared/domain/fold";
import { listingsOf } from "../../shared/domain/listings";
import { type EventResult, ingestBatch } from "../../shared/intake/intake";
import { createTestTable, type TestTable } from "../support/aws";
import { dossierHistory, type GeneratedSubject, inCommunes } from "../support/histories";

/**
 * Group commit under concurrent, overlapping batches (docs/architecture.md#exactly-once-aggregates):
 * several requests carrying overlapping sets of many dossiers' events, all in flight at once, some
 * of their group transactions cancelled as DynamoDB cancels a lost race (injected: DynamoDB Local
 * never does). Every event must be applied exactly once, and the aggregates and listings must equal
 * the oracle's recomputation.
 */
const RUNS = Number(process.env.GROUP_COMMIT_RUNS ?? (process.env.CI ? 150 : 40));
const units = { communeExists: () => true, provinceOf: () => "30" };

let table: TestTable;
let caseNumber = 0;
beforeAll(async () => {
  table = await createTestTable("group-property");
});

const groupCase = fc
  .array(dossierHistory(["C0", "C1"]), { minLength: 2, maxLength: 12 })
  .map((dossiers): GeneratedSubject[] => {
    let n = 0;
    return dossiers.map((events, d) => ({
      kind: "dossier",
      events: events.map((e) => ({ ...e, id: `e${n++}`, dossierCode: `D${d}` }) as unknown as Event),
    }));
  })
  .chain((subjects) => {
    const count = subjects.flatMap((s) => s.events).length;
    const indexes = Array.from({ length: count }, (_, i) => i);
    return fc.tuple(
      fc.constant(subjects),
      fc.array(fc.shuffledSubarray(indexes, { minLength: 1 }), { minLength: 2, maxLength: 5 }),
      // Which group transactions are cancelled, and on which of their items.
      fc.array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.nat()), { maxLength: 4 }),
    );
  });

/** A client that cancels the chosen transactions of several dossiers, one item's reason a conflict. */
function cancellingClient(cancellations: [number, number][]) {
  const realSend = table.client.send.bind(table.client);
  let groupCall = 0;
  const send = async (command: unknown) => {
    if (command instanceof TransactWriteItemsCommand) {
      const items: TransactWriteItem[] = command.input.TransactItems ?? [];
      const heads = items.filter((item) => item.Put?.Item?.sk?.S === "HEAD").length;
      if (heads > 1) {
        groupCall += 1;
        const cancel = cancellations.find(([call]) => call === groupCall);
        if (cancel) {
          throw new TransactionCanceledException({
            message: "Transaction cancelled",
            $metadata: {},
            CancellationReasons: items.map((_, i) => ({
              Code: i === cancel[1] % items.length ? "TransactionConflict" : "None",
            })),
          });
        }
      }
    }
    return realSend(command as never);
  };
  return new Proxy(table.client, {
    get: (target, key) => (key === "send" ? send : Reflect.get(target, key)),
  });
}

async function stored(
  communes: readonly string[],
): Promise<{ aggregates: Contribution; listings: string[] }> {
  const aggregates: Contribution = new Map();
  const listings: string[] = [];
  for (const communeCode of communes) {
    for (const prefix of ["A", "L"]) {
      let startKey: Record<string, never> | undefined;
      do {
        const page = await table.client.send(
          new QueryCommand({
            TableName: table.tableName,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": { S: `${prefix}#${communeCode}` } },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const { pk: _pk, sk, fieldName: _name, dossierCode, ...rest } = unmarshall(item);
          if (prefix === "L") {
            listings.push(`${dossierCode} ${canonicalJson(rest)}`);
            continue;
          }
          const nonZero = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== 0));
          if (Object.keys(nonZero).length > 0)
            aggregates.set(`${communeCode}#${sk}`, nonZero as Record<string, number>);
        }
        startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (startKey);
    }
  }
  return { aggregates, listings: listings.sort() };
}

const roundTrip = (event: Event) => JSON.parse(JSON.stringify(event)) as Event;

describe("group commit (concurrent overlapping batches)", () => {
  it("applies every event exactly once and equals the oracle, whatever batches overlap and whichever group transactions are cancelled", async () => {
    await fc.assert(
      fc.asyncProperty(groupCase, async ([generated, batches, cancellations]) => {
        const n = ++caseNumber;
        const communes = [String(50000 + n * 2), String(50001 + n * 2)] as const;
        const subjects = inCommunes(generated, communes);
        const all = subjects.flatMap((s) => s.events);
        const covered = new Set(batches.flat());
        const requests = [...batches, all.map((_, i) => i).filter((i) => !covered.has(i))]
          .filter((batch) => batch.length > 0)
          .map((batch) => batch.map((i) => all[i]!));
        const store = new DynamoSubjectStore(cancellingClient(cancellations), table.tableName, {
          maxAttempts: 50,
          baseDelayMs: 2,
          maxDelayMs: 20,
          random: Math.random,
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        });

        const results: EventResult[] = (
          await Promise.all(requests.map((batch) => ingestBatch({ id: `gp${n}` }, batch, { store, units })))
        ).flat();

        expect(results.every((r) => r.status === "applied" || r.status === "duplicate")).toBe(true);
        const applied = results.filter((r) => r.status === "applied").map((r) => r.id);
        expect(applied.sort()).toEqual(all.map((e) => e.id).sort());

        const actual = await stored(communes);
        expect(actual.aggregates).toEqual(
          recomputeAggregates(subjects.map((s) => ({ kind: s.kind, events: s.events.map(roundTrip) }))),
        );
        const expectedListings = subjects
          .filter((s) => s.events.length > 0)
          .flatMap((s) => {
            const code = (s.events[0] as { dossierCode: string }).dossierCode;
            return listingsOf(foldSubject(s.kind, s.events.map(roundTrip))).map(
              (l) => `${code} ${canonicalJson(l)}`,
            );
          });
        expect(actual.listings).toEqual(expectedListings.sort());
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
