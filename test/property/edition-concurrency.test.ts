import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { communesOfProvince } from "../../shared/units/registry";
import { createTestBucket, createTestTable, type TestBucket, type TestTable } from "../support/aws";
import { editionDeps, editionsClient } from "../support/editions";

/**
 * Two editors save the same draft against DynamoDB Local, in random interleavings: rounds where
 * one or both send a save at once, each with the ETag it last saw (a refused editor reads the
 * current revision from the 412 and tries again later). Every accepted save must be a revision of
 * its own in the list of revisions, every refused one a 412 `edition_conflict`, and the edition's
 * last revision what the last accepted save wrote.
 */
let table: TestTable;
let bucket: TestBucket;
let call: ReturnType<typeof editionsClient>;
const communes = communesOfProvince("30", "2023-12-14").map((c) => c.code);
let next = 0;
let refusedInAllRuns = 0;
let acceptedInAllRuns = 0;

beforeAll(async () => {
  table = await createTestTable("edition-races");
  bucket = await createTestBucket("edition-races");
  call = editionsClient(
    editionDeps(table.client, table.tableName, bucket.s3, bucket.bucketName),
    () => new Date(),
  );
});

const ED = "/v1/editions/{unit}/{year}";
const editor = "editor-30";

describe("concurrent saves of one draft", () => {
  it("list every accepted save as its own revision and answer every refused one 412", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("A", "B", "AB"), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom("opening", "I.1", "II.1", "III"), { minLength: 1, maxLength: 4 }),
        async (rounds, sections) => {
          const unit = { unit: communes[next++ % communes.length]!, year: "2023" };
          const created = await call(`POST ${ED}`, unit, { token: editor });
          expect(created.status).toBe(201);
          const seen: Record<"A" | "B", number> = { A: 1, B: 1 };
          const accepted: { revision: number; text: string; section: string }[] = [];
          let refused = 0;
          let counter = 0;
          for (const round of rounds) {
            const who = round === "AB" ? (["A", "B"] as const) : ([round] as const);
            await Promise.all(
              who.map(async (name) => {
                const section = sections[counter % sections.length]!;
                const text = `${name} ${counter++}`;
                const answer = await call(`PUT ${ED}`, unit, {
                  token: editor,
                  ifMatch: `"${seen[name]}"`,
                  body: { texts: { [section]: text } },
                });
                if (answer.status === 200) {
                  seen[name] = answer.body.revision;
                  accepted.push({ revision: answer.body.revision, text, section });
                } else {
                  expect(answer.status).toBe(412);
                  expect(answer.body.error.code).toBe("edition_conflict");
                  refused += 1;
                  seen[name] = answer.body.error.current.revision;
                }
              }),
            );
          }
          const list = await call(`GET ${ED}/revisions`, unit, { token: editor });
          const listed = list.body.revisions.map((r: { revision: number }) => r.revision);
          const revisions = accepted.map((a) => a.revision).sort((a, b) => a - b);
          expect(listed).toEqual([1, ...revisions]);
          refusedInAllRuns += refused;
          acceptedInAllRuns += accepted.length;
          expect(new Set(revisions).size).toBe(revisions.length);
          expect(accepted.length + refused).toBe(rounds.reduce((n, r) => n + r.length, 0));
          const current = await call(`GET ${ED}`, unit, { token: editor });
          expect(current.body.revision).toBe(1 + accepted.length);
          const last = accepted.find((a) => a.revision === current.body.revision);
          if (last) expect(current.body.texts[last.section]).toBe(last.text);
          for (const save of accepted) {
            const whole = await call(
              `GET ${ED}/revisions/{revision}`,
              { ...unit, revision: String(save.revision) },
              { token: editor },
            );
            expect(whole.body.texts[save.section]).toBe(save.text);
          }
        },
      ),
      // A round where both send with the same ETag always refuses one: the runs did race.
      { numRuns: 25, examples: [[["AB", "AB", "A", "AB"], ["I.1"]]] },
    );
    expect(refusedInAllRuns).toBeGreaterThan(0);
    expect(acceptedInAllRuns).toBeGreaterThan(25);
  });
});
