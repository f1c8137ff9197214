import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { ERROR_CODES } from "../../shared/api/http";
import { canonicalJson } from "../../shared/domain/canonical-json";
import { EVENT_TYPES } from "../../shared/domain/events";
import { REJECTION_CODES } from "../../shared/intake/intake";
import { signPayload } from "../../shared/intake/signature";
import { DEMO_READER_TOKEN, DEMO_SOURCE } from "../../shared/intake/sources";
import { createTestBucket, createTestTable, type TestTable, useLocalAws } from "../support/aws";
import { received } from "../support/events";

/**
 * Fuzzing over HTTP against the local stack (real handlers, DynamoDB Local, s3rver): hostile bodies,
 * headers, encodings, sizes and event fields on the intake, hostile query strings and bodies on the
 * report endpoints. Whatever comes in: never a 5xx, every answer in the contract's shape, and no
 * figure changes for a unit that no applied event named.
 *
 * FUZZ_REQUESTS sets the count: 10,000 in CI, 500 by default locally.
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? (process.env.CI ? 10_000 : 500));
/** Requests in flight at once, over keep-alive connections. */
const CONCURRENCY = 16;
const SECRET = DEMO_SOURCE.secrets[0]!;
const INTAKE_PATH = `/v1/sources/${DEMO_SOURCE.id}/events`;

/** Communes seeded with figures before the fuzz; the fuzz names them too, but only sometimes. */
const SEEDED = ["10507", "10510"] as const;
/** Real communes (valid in 2023) the fuzz sends for, and codes that exist nowhere. */
const COMMUNES = [...SEEDED, "10621", "10513", "00001", "99999", "1062", "106210", "", "10621 "];

/**
 * The read routes whose query strings are fuzzed, each with the shape of its 200 answer.
 * Adding a route is one line here.
 */
const READ_ROUTES: { path: string; okBody: z.ZodType }[] = [
  {
    path: "/v1/reports",
    okBody: z.strictObject({
      reports: z.array(
        z.strictObject({
          format: z.enum(["json", "xlsx", "docx"]),
          url: z.string().url(),
          expiresAt: z.string(),
        }),
      ),
    }),
  },
  {
    // Live figures: the report model computed now, with its monthly series (docs/portal.md).
    path: "/v1/figures",
    okBody: z.looseObject({
      schema: z.enum(["report.v1", "province-report.v1"]),
      months: z.array(z.looseObject({ year: z.number().int(), month: z.number().int() })),
    }),
  },
];

const errorBody = z.object({
  error: z.looseObject({
    code: z.enum(Object.keys(ERROR_CODES) as [string, ...string[]]),
    message: z.string(),
  }),
});
const resultsBody = z.strictObject({
  results: z.array(
    z.union([
      z.strictObject({ id: z.string(), status: z.enum(["applied", "duplicate"]) }),
      z.strictObject({
        id: z.string(),
        status: z.literal("rejected"),
        error: z.strictObject({
          code: z.enum(Object.keys(REJECTION_CODES) as [string, ...string[]]),
          message: z.string(),
          path: z.string().optional(),
        }),
      }),
    ]),
  ),
});

// ---------------------------------------------------------------------------------------------
// Generators

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", " ", "\u0000", "\ud800", "__proto__", "constructor", "null", "NaN", "1e400", "-0"),
  fc.constantFrom("x".repeat(129), "x".repeat(600), "🙂".repeat(300)),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, [], {}) },
);
const instant = fc
  .integer({ min: Date.parse("2022-12-15T00:00:00Z"), max: Date.parse("2023-12-14T00:00:00Z") })
  .map((ms) => new Date(ms).toISOString());
const timestamp = fc.oneof(
  { weight: 4, arbitrary: instant },
  {
    weight: 1,
    arbitrary: fc.constantFrom("2023-02-30T00:00:00Z", "1999-12-31T23:59:59Z", "2100-01-01T00:00:00Z"),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("2023-03-01", "2023-03-01T08:00:00", "yesterday", "2023-03-01T08:00:00+25:00"),
  },
);
const eventId = fc.oneof(fc.constantFrom("f-1", "f-2", "f-3", "f-4", "f-5"), fc.string({ maxLength: 140 }));
const dossierCode = fc.oneof(fc.constantFrom("FZ-1", "FZ-2", "FZ-3"), hostileString);

/** Events close to valid: every type, real and fake communes, then a field made hostile or dropped. */
const nearlyValidEvent = fc
  .record({
    type: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...EVENT_TYPES) },
      { weight: 1, arbitrary: hostileString },
    ),
    id: eventId,
    occurredAt: timestamp,
    dossierCode,
    feedbackCode: dossierCode,
    communeCode: fc.constantFrom(...COMMUNES),
    fieldCode: fc.constantFrom("HT", "CT", ""),
    procedureCode: fc.constant("1.001193"),
    channel: fc.constantFrom("online", "direct", "postal", "fax"),
    dueAt: fc.option(timestamp, { nil: null }),
    kind: fc.constantFrom("regulation", "behavior"),
    returnChannel: fc.constantFrom("online", "direct", "postal"),
    paidOnline: fc.boolean(),
    amount: fc.oneof(fc.nat(), fc.constant(-5)),
    rating: fc.constantFrom("satisfied", "unsatisfied", "meh"),
  })
  .chain((event) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(event as Record<string, unknown>) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom(...Object.keys(event), "extra", "__proto__"), hostileValue)
          .map(([key, value]) => ({ ...event, [key]: value })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(...Object.keys(event))
          .map((key) => Object.fromEntries(Object.entries(event).filter(([k]) => k !== key))),
      },
    ),
  );

interface Fuzzed {
  label: string;
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Whether the request is validly signed for the demo source (only those may reach the events). */
  signedForIntake?: boolean;
  /** The read route (READ_ROUTES' path) whose 200 shape the answer must have. */
  route?: string;
}

const signed = (body: Buffer, tweak: "valid" | "none" | "bad" | "stale" = "valid") => {
  if (tweak === "none") return {};
  const timestamp = Math.floor(Date.now() / 1000) - (tweak === "stale" ? 3600 : 0);
  const headers = signPayload({ secret: SECRET, id: "fuzz", timestamp, body: body.toString("utf8") });
  return tweak === "bad" ? { ...headers, "webhook-signature": "v1,AAAA" } : headers;
};

const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 200,
});
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant("application/json") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "application/json; charset=utf-16",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/octet-stream",
      "APPLICATION/JSON",
    ),
  },
  { weight: 1, arbitrary: headerValue },
);
const extraHeaders = fc.dictionary(
  fc.constantFrom(
    "content-encoding",
    "x-forwarded-for",
    "accept-encoding",
    "webhook-id",
    "x-amz-date",
    "accept",
  ),
  fc.oneof(fc.constantFrom("gzip", "br", "identity", "deflate"), headerValue),
  { maxKeys: 3 },
);

/** Bodies for the intake: an envelope of (nearly) valid events, or anything else. */
const intakeBody: fc.Arbitrary<{ body: Buffer }> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.array(nearlyValidEvent, { minLength: 1, maxLength: 6 }).map((events) => ({
      body: Buffer.from(JSON.stringify({ events })),
    })),
  },
  { weight: 1, arbitrary: fc.jsonValue().map((value) => ({ body: Buffer.from(JSON.stringify(value)) })) },
  {
    weight: 1,
    arbitrary: fc.jsonValue().map((value) => ({ body: Buffer.from(JSON.stringify({ events: value })) })),
  },
  { weight: 1, arbitrary: hostileString.map((text) => ({ body: Buffer.from(text) })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((bytes) => ({ body: Buffer.from(bytes) })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      // encodings: UTF-16, a BOM, Latin-1, an invalid UTF-8 byte inside a string
      { body: Buffer.from(JSON.stringify({ events: [received("2023-03-01T08:00:00Z")] }), "utf16le") },
      { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"events":[{"id":"bom"}]}')]) },
      { body: Buffer.from('{"events":[{"id":"caf\u00e9"}]}', "latin1") },
      {
        body: Buffer.concat([
          Buffer.from('{"events":[{"id":"'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}]}'),
        ]),
      },
      // sizes: empty, 1 MiB and one byte more, deep nesting, 501 events, duplicate keys
      { body: Buffer.alloc(0) },
      { body: Buffer.from(`{"events":[{"id":"pad","p":"${"x".repeat(1024 * 1024 - 30)}"}]}`) },
      { body: Buffer.from(`{"events":[{"id":"big","p":"${"x".repeat(1024 * 1024)}"}]}`) },
      { body: Buffer.from(`{"events":[${"[".repeat(5000)}${"]".repeat(5000)}]}`) },
      { body: Buffer.from(`{"events":${"[".repeat(100_000)}${"]".repeat(100_000)}}`) },
      {
        body: Buffer.from(
          JSON.stringify({ events: Array.from({ length: 501 }, (_, i) => ({ id: `n${i}` })) }),
        ),
      },
      { body: Buffer.from('{"events":[{"id":"a"}],"events":[]}') },
    ),
  },
);

const intakeRequest: fc.Arbitrary<Fuzzed> = fc
  .record({
    payload: intakeBody,
    signature: fc.constantFrom(
      "valid",
      "valid",
      "valid",
      "valid",
      "valid",
      "none",
      "bad",
      "stale",
    ) as fc.Arbitrary<"valid" | "none" | "bad" | "stale">,
    contentType,
    extra: extraHeaders,
    path: fc.oneof(
      { weight: 10, arbitrary: fc.constant(INTAKE_PATH) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          "/v1/sources/nobody/events",
          "/v1/sources/%2e%2e/events",
          `${INTAKE_PATH}?x=1`,
        ),
      },
    ),
  })
  .map(({ payload, signature, contentType, extra, path }) => ({
    label: "intake",
    method: "POST" as const,
    path,
    headers: { ...extra, "content-type": contentType, ...signed(payload.body, signature) },
    body: payload.body,
    signedForIntake: signature === "valid" && path.startsWith(INTAKE_PATH),
  }));

/** Query parameters of the read routes: plausible, hostile, repeated and unknown. */
const queryValue = fc.oneof(
  fc.constantFrom(
    "10621",
    "10507",
    "30",
    "01",
    "2023",
    "2024",
    "1999",
    "year",
    "quarter",
    "month",
    "six-months",
    "3",
    "13",
    "0",
    "-1",
    "3600",
    "999999999",
  ),
  hostileString,
);
const hostileQuery = fc
  .array(
    fc.tuple(
      fc.oneof(
        {
          weight: 5,
          arbitrary: fc.constantFrom(
            "communeCode",
            "provinceCode",
            "year",
            "period",
            "quarter",
            "month",
            "expiresIn",
            "from",
            "to",
          ),
        },
        { weight: 1, arbitrary: hostileString },
      ),
      queryValue,
    ),
    { maxLength: 6 },
  )
  .map((pairs) => new URLSearchParams(pairs).toString());
/** A plausible query: one commune or province, a year, maybe a period; some values hostile. */
const plausibleQuery = fc
  .record({
    unit: fc.oneof(
      fc.oneof(fc.constantFrom(...COMMUNES), hostileString).map((code) => ["communeCode", code]),
      fc.constantFrom("30", "31", "99").map((code) => ["provinceCode", code]),
    ),
    year: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("2023", "2024", "2022") },
      { weight: 1, arbitrary: hostileString },
    ),
    period: fc.constantFrom(
      [],
      [["period", "six-months"]],
      [
        ["period", "quarter"],
        ["quarter", "2"],
      ],
      [
        ["period", "month"],
        ["month", "13"],
      ],
      [["expiresIn", "0"]],
    ),
  })
  .map(({ unit, year, period }) =>
    new URLSearchParams([
      unit as [string, string],
      ["year", year],
      ...(period as unknown as [string, string][]),
    ]).toString(),
  );
const queryString = fc.oneof(plausibleQuery, hostileQuery);
const authorization = fc.oneof(
  { weight: 6, arbitrary: fc.constant(`Bearer ${DEMO_READER_TOKEN}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "Bearer",
      "Bearer nope",
      `Basic ${DEMO_READER_TOKEN}`,
      `bearer ${DEMO_READER_TOKEN}`,
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

const readRequest: fc.Arbitrary<Fuzzed> = fc
  .record({ route: fc.constantFrom(...READ_ROUTES), query: queryString, authorization })
  .map(({ route, query, authorization }) => ({
    label: `GET ${route.path}`,
    method: "GET" as const,
    path: `${route.path}${query ? `?${query}` : ""}`,
    headers: (authorization ? { authorization } : {}) as Record<string, string>,
    route: route.path,
  }));

/**
 * POST /v1/reports builds a report when the body is valid: valid communes come rarely and never a
 * valid province (a province roll-up builds every commune's report, minutes of work per request).
 */
const reportBody = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          communeCode: fc.oneof(
            { weight: 1, arbitrary: fc.constant("10621") },
            { weight: 6, arbitrary: hostileValue },
          ),
          provinceCode: fc.oneof(fc.constantFrom("99", "3", "030"), hostileValue),
          year: fc.oneof(fc.constantFrom(2023, 1999, 2200), hostileValue),
          period: fc.oneof(fc.constantFrom("year", "quarter", "month"), hostileValue),
          quarter: hostileValue,
          month: hostileValue,
          expiresIn: hostileValue,
        },
        { requiredKeys: [] },
      )
      .map((body) => Buffer.from(JSON.stringify(body))),
  },
  { weight: 1, arbitrary: fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value))) },
  { weight: 1, arbitrary: hostileString.map((text) => Buffer.from(text)) },
);
const reportPost: fc.Arbitrary<Fuzzed> = fc
  .record({ body: reportBody, authorization, contentType, query: queryString })
  .map(({ body, authorization, contentType, query }) => ({
    label: "POST /v1/reports",
    method: "POST" as const,
    path: `/v1/reports${query ? `?${query}` : ""}`,
    headers: { "content-type": contentType, ...(authorization ? { authorization } : {}) },
    body,
    route: "/v1/reports",
  }));

const anyRequest = fc.oneof(
  { weight: 14, arbitrary: intakeRequest },
  { weight: 5, arbitrary: readRequest },
  { weight: 1, arbitrary: reportPost },
);

// ---------------------------------------------------------------------------------------------

let stack: LocalStack;
let table: TestTable;

beforeAll(async () => {
  const aws = useLocalAws();
  table = await createTestTable("fuzz", { setEnv: false });
  const bucket = await createTestBucket("fuzz", { setEnv: false });
  delete process.env.SOURCES_JSON; // the demo source of docs/api.md#local-defaults
  process.env.POWERTOOLS_LOG_LEVEL = "ERROR"; // refused signatures are logged as warnings
  stack = await startLocalStack({
    port: 0,
    services: { dynamoEndpoint: aws.dynamoEndpoint, s3Endpoint: aws.s3Endpoint },
    tableName: table.tableName,
    bucketName: bucket.bucketName,
    // A loaded CI machine may take longer than API Gateway's 30 s: this test is about answers.
    timeoutMs: 600_000,
  });
});
afterAll(async () => {
  await stack?.stop();
});

/** Every aggregate item, by commune: `{communeCode: {"month#field": counters}}`. */
async function figuresByCommune(): Promise<Map<string, Map<string, string>>> {
  const byCommune = new Map<string, Map<string, string>>();
  let startKey: ScanCommand["input"]["ExclusiveStartKey"];
  do {
    const page = await table.client.send(
      new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) {
      const { pk, sk, ...rest } = unmarshall(item) as { pk: string; sk: string };
      if (!pk.startsWith("A#")) continue;
      const commune = pk.slice(2);
      const figures = byCommune.get(commune) ?? new Map<string, string>();
      figures.set(sk, canonicalJson(rest));
      byCommune.set(commune, figures);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return byCommune;
}

async function send(request: Fuzzed): Promise<{ status: number; text: string }> {
  const response = await fetch(`${stack.url}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body ? { body: request.body } : {}),
  });
  return { status: response.status, text: await response.text() };
}

/** Checks one answer against the contract; returns the communes its applied events named. */
function checkAnswer(
  request: Fuzzed,
  answer: { status: number; text: string },
): { communes: string[]; appliedEvents: number } {
  const where = `${request.label} ${request.path} -> ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, where).toBeLessThan(500);
  const body = JSON.parse(answer.text) as unknown;
  if (request.label === "intake" && [200, 207, 422].includes(answer.status)) {
    const { results } = resultsBody.parse(body);
    // Only a signed envelope of 1 to 500 events gets per-event results, one per event, in order.
    expect(request.signedForIntake, `results for a request not validly signed: ${where}`).toBe(true);
    const events = (JSON.parse(request.body!.toString("utf8")) as { events: { id?: unknown }[] }).events;
    expect(events.length, where).toBeGreaterThan(0);
    expect(events.length, where).toBeLessThanOrEqual(500);
    expect(
      results.map((r) => r.id),
      where,
    ).toEqual(events.map((e) => (typeof e?.id === "string" ? e.id : "")));
    const rejected = results.filter((r) => r.status === "rejected").length;
    expect(answer.status, where).toBe(rejected === 0 ? 200 : rejected === results.length ? 422 : 207);
    const communes = results.flatMap((result, i) => {
      const event = events[i] as { communeCode?: unknown } | null;
      return result.status === "applied" && typeof event?.communeCode === "string" ? [event.communeCode] : [];
    });
    return { communes, appliedEvents: results.filter((r) => r.status === "applied").length };
  }
  const route = READ_ROUTES.find((r) => r.path === request.route);
  if (answer.status === 200 && route) {
    route.okBody.parse(body);
    return { communes: [], appliedEvents: 0 };
  }
  expect(errorBody.safeParse(body).success, where).toBe(true);
  expect(answer.status, where).toBeGreaterThanOrEqual(400);
  return { communes: [], appliedEvents: 0 };
}

describe("fuzzing the HTTP API", () => {
  it(
    `answers ${REQUESTS} hostile requests without a 5xx, in the contract's shapes, changing only the figures of units that applied events named`,
    async () => {
      // Figures to protect: two communes with a year of dossiers each.
      const seed = SEEDED.flatMap((communeCode, c) =>
        Array.from({ length: 20 }, (_, d) =>
          received(`2023-0${1 + (d % 9)}-1${d % 10}T08:00:00+07:00`, { communeCode }, `SEED-${c}-${d}`),
        ),
      );
      const seeded = await send({
        label: "seed",
        method: "POST",
        path: INTAKE_PATH,
        headers: {
          "content-type": "application/json",
          ...signed(Buffer.from(JSON.stringify({ events: seed }))),
        },
        body: Buffer.from(JSON.stringify({ events: seed })),
      });
      expect(seeded.status).toBe(200);
      const before = await figuresByCommune();
      expect([...before.keys()].sort()).toEqual([...SEEDED]);

      const named = new Set<string>();
      let applied = 0;
      const statuses = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(
          fc.array(anyRequest, { minLength: CONCURRENCY, maxLength: CONCURRENCY }),
          async (requests) => {
            const answers = await Promise.all(requests.map(send));
            requests.forEach((request, i) => {
              const key = `${request.label} ${answers[i]!.status}`;
              statuses.set(key, (statuses.get(key) ?? 0) + 1);
              const { communes, appliedEvents } = checkAnswer(request, answers[i]!);
              for (const commune of communes) named.add(commune);
              applied += appliedEvents;
            });
          },
        ),
        {
          numRuns: Math.ceil(REQUESTS / CONCURRENCY),
          seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000),
        },
      );

      // Units no applied event named keep every figure they had (or still have none).
      const after = await figuresByCommune();
      for (const commune of new Set([...before.keys(), ...after.keys()])) {
        if (named.has(commune)) continue;
        expect(Object.fromEntries(after.get(commune) ?? []), `figures of commune ${commune}`).toEqual(
          Object.fromEntries(before.get(commune) ?? []),
        );
      }
      // The fuzz reached past the gates: events were applied and rejected, reports answered.
      const seen = [...statuses.keys()].join(", ");
      expect(applied).toBeGreaterThan(0);
      expect(seen).toMatch(/intake 207|intake 422/);
      expect(seen).toMatch(/intake 40[01]/);
      expect(seen).toMatch(/GET \/v1\/reports (200|404)/);
      if (process.env.FUZZ_VERBOSE) console.log(Object.fromEntries(statuses));
    },
    60 * 60_000,
  );
});
