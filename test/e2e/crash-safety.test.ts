import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditAggregates } from "../../shared/adapters/dynamo/audit";
import type { Event } from "../../shared/domain/events";
import { type ApiProcess, postSigned, startApiProcess } from "../support/api-process";
import { createTestBucket, createTestTable, type TestTable } from "../support/aws";
import { deliveryPlan, type GeneratedSubject, subjectHistories } from "../support/histories";
import { expectedAggregates, storedAggregates } from "../support/oracle";

/**
 * Crash safety: the API process is SIGKILLed in the middle of a shuffled, duplicated stream sent by
 * concurrent senders, restarted on the same data, and everything is sent again. DynamoDB Local runs
 * in the test runner's process (global setup), never killed: it loses acknowledged transactions
 * when SIGKILLed itself, which AWS's DynamoDB does not (docs/reliability.md, "Crash safety").
 */
const SENDERS = 8;
const CASES = Number(process.env.CRASH_CASES ?? (process.env.CI ? 40 : 25));
/** The kill comes once this share of the requests has been answered. */
const KILL_AFTER = 0.35;
const COMMUNES = ["10507", "10510"] as const;

let table: TestTable;
let bucketName: string;
let api: ApiProcess | undefined;

beforeAll(async () => {
  table = await createTestTable("crash", { setEnv: false });
  bucketName = (await createTestBucket("crash", { setEnv: false })).bucketName;
});
afterAll(async () => {
  await api?.stop();
});

const launch = () =>
  startApiProcess({
    dynamoEndpoint: process.env.DYNAMODB_ENDPOINT!,
    s3Endpoint: process.env.S3_ENDPOINT!,
    tableName: table.tableName,
    bucketName,
    // A loaded CI machine may take longer than API Gateway's 30 s: this test is about crashes.
    env: { API_TIMEOUT_MS: "600000" },
  });

/** Generated histories (seeded), each case's subjects and ids in a namespace of their own. */
function generateSubjects(): GeneratedSubject[] {
  const cases = fc.sample(subjectHistories(COMMUNES), { numRuns: CASES, seed: 20261129 });
  return cases.flatMap((subjects, k) =>
    subjects.map((subject) => ({
      kind: subject.kind,
      events: subject.events.map((event) => {
        const renamed: Record<string, unknown> = { ...event, id: `k${k}-${event.id}` };
        if ("dossierCode" in event) renamed.dossierCode = `K${k}-${event.dossierCode}`;
        if ("feedbackCode" in event) renamed.feedbackCode = `K${k}-${event.feedbackCode}`;
        return renamed as Event;
      }),
    })),
  );
}

interface Request {
  events: Event[];
}

interface SendLog {
  /** Event ids answered `applied`, with how many times. */
  applied: Map<string, number>;
  /** Event ids answered `applied` or `duplicate` in a 2xx answer. */
  acknowledged: Set<string>;
  /** Answers other than 200, or `results` not all applied/duplicate. */
  unexpected: string[];
  /** Requests sent whose answer never came (the process died under them). */
  unanswered: Request[];
  answered: number;
}

/** Sends the requests with SENDERS concurrent senders; a sender stops at its first network failure. */
async function sendAll(
  url: string,
  requests: Request[],
  onAnswer: (log: SendLog) => void = () => undefined,
): Promise<SendLog> {
  const log: SendLog = {
    applied: new Map(),
    acknowledged: new Set(),
    unexpected: [],
    unanswered: [],
    answered: 0,
  };
  let next = 0;
  const sender = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      let answer: Awaited<ReturnType<typeof postSigned>>;
      try {
        answer = await postSigned(url, JSON.stringify({ events: request.events }));
      } catch {
        log.unanswered.push(request);
        return;
      }
      log.answered += 1;
      const results = (answer.body as { results?: { id: string; status: string }[] }).results ?? [];
      if (answer.status !== 200 || results.some((r) => r.status !== "applied" && r.status !== "duplicate")) {
        log.unexpected.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      }
      if (answer.status === 200) {
        for (const result of results) {
          log.acknowledged.add(result.id);
          if (result.status === "applied") log.applied.set(result.id, (log.applied.get(result.id) ?? 0) + 1);
        }
      }
      onAnswer(log);
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  return log;
}

describe("crash safety of the API process", () => {
  it(
    "after a SIGKILL mid-stream and a restart, resending everything applies each event once: aggregates equal the oracle",
    async () => {
      const subjects = generateSubjects();
      const all = subjects.flatMap((s) => s.events);
      const [plan] = fc.sample(deliveryPlan(all.length), { numRuns: 1, seed: 7 });
      const stream = [...plan!.order, ...plan!.repeats].map((i) => all[i]!);
      const requests: Request[] = [];
      for (let i = 0; i < stream.length; i += plan!.batchSize) {
        requests.push({ events: stream.slice(i, i + plan!.batchSize) });
      }

      // Phase 1: the stream, until the process is killed under the senders.
      api = await launch();
      const victim = api;
      let killed = false;
      const before = await sendAll(victim.url, requests, (log) => {
        if (!killed && log.answered >= requests.length * KILL_AFTER) {
          killed = true;
          victim.child.kill("SIGKILL");
        }
      });
      expect(await victim.exited).toBe("SIGKILL");
      expect(killed).toBe(true);
      expect(before.unexpected).toEqual([]);
      // The kill came mid-stream: some requests were never answered, most never sent.
      expect(before.answered).toBeLessThan(requests.length);
      expect(before.unanswered.length).toBeGreaterThan(0);

      // Phase 2: a new process on the same data; everything is sent again.
      api = await launch();
      const after = await sendAll(api.url, requests);
      expect(after.unexpected).toEqual([]);
      expect(after.unanswered).toEqual([]);

      // Nothing acknowledged before the kill is applied again: it comes back `duplicate`.
      const reapplied = [...before.acknowledged].filter((id) => after.applied.has(id));
      expect(reapplied).toEqual([]);
      // Each event is answered `applied` at most once over both runs; one never answered `applied`
      // was in a request the kill cut off (stored, but its answer lost).
      const unansweredIds = new Set(before.unanswered.flatMap((r) => r.events.map((e) => e.id)));
      for (const event of all) {
        const times = (before.applied.get(event.id) ?? 0) + (after.applied.get(event.id) ?? 0);
        if (times === 0)
          expect(unansweredIds.has(event.id), `event ${event.id} was never applied`).toBe(true);
        else expect(times, `event ${event.id} applied ${times} times`).toBe(1);
      }

      // The aggregates equal the oracle's recomputation from the generated histories, and the
      // stored events, aggregates and listings agree with each other (the audit).
      expect(await storedAggregates(table, COMMUNES)).toEqual(expectedAggregates(subjects));
      const audit = await auditAggregates(table.client, table.tableName);
      expect(audit.events).toBe(all.length);
      expect(audit.aggregates.differing).toEqual([]);
      expect(audit.listings.missing).toEqual([]);
      expect(audit.listings.unexpected).toEqual([]);
    },
    15 * 60_000,
  );
});
