import { randomUUID } from "node:crypto";
import { type DynamoDBClient, ScanCommand, type ScanCommandInput } from "@aws-sdk/client-dynamodb";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD, DEMO_PEOPLE } from "../../local/demo-people";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { DEMO_EDITION } from "../../scripts/demo-edition";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../../shared/adapters/aws-clients";
import { DynamoAggregateReader } from "../../shared/adapters/dynamo/aggregate-reader";
import { DynamoEditionStore } from "../../shared/adapters/dynamo/edition-store";
import { DynamoGrantStore } from "../../shared/adapters/dynamo/grant-store";
import { DynamoTokenStore } from "../../shared/adapters/dynamo/token-store";
import { S3EditionFileStore } from "../../shared/adapters/s3/edition-files";
import type { PeriodSpec } from "../../shared/domain/calendar";
import { type EditionRecord, periodKey } from "../../shared/editions/edition";
import { issueEdition } from "../../shared/editions/issue";
import {
  correctEdition,
  createEdition,
  type EditionDeps,
  editionTarget,
  saveEdition,
} from "../../shared/editions/service";
import { putGrant } from "../../shared/people/manage-grants";
import { oidcLogin } from "../support/oidc-login";

/**
 * The authorization matrix of docs/people.md over HTTP: every people, reader and edition route ×
 * every kind of caller × a target unit, against the local stack (DynamoDB Local, s3rver, the local
 * OpenID provider issuing real tokens through the authorization code flow with PKCE). Each cell's
 * status follows from the contract's rules written as data below (who covers which unit, which
 * routes need which role); a refused request must leave the table and the bucket unchanged.
 * New routes (report editions) are added as rows of ROUTES.
 */

// --- Units ---------------------------------------------------------------------------------------
// Xã Quốc Tuấn, its neighbour Hiệp Cát (same district), their province Hải Dương, and Hà Nội.
const UNITS = { own: "10621", neighbour: "10618", province: "30", otherProvince: "01" } as const;
type UnitLabel = keyof typeof UNITS;
const ALL_UNITS = Object.keys(UNITS) as UnitLabel[];
const isProvince = (label: UnitLabel) => label === "province" || label === "otherProvince";

// --- Callers -------------------------------------------------------------------------------------
type Rank = "access-code" | "viewer" | "editor" | "issuer" | "admin";
const RANKS: Rank[] = ["access-code", "viewer", "editor", "issuer", "admin"];

interface Caller {
  readonly name: string;
  /** How the bearer is obtained (undefined: no Authorization header). */
  readonly bearer?: (ctx: Ctx) => Promise<string>;
  /** A refusal whatever the route (but the public one). */
  readonly refused?: { status: 401 | 403; code: string };
  readonly rank?: Rank;
  /** The units its grant (or access code) covers, over the registry's whole history. */
  readonly within?: readonly UnitLabel[];
}

const person = (username: string) => (ctx: Ctx) => ctx.login.accessTokenFor(username);
const EXTRA_ACCOUNTS = [
  { username: "qt.quoctuan", name: "Quản trị xã Quốc Tuấn", email: "qt.quoctuan@matrix.example" },
  { username: "moi.den", name: "Người chưa được cấp quyền", email: "moi.den@matrix.example" },
  { username: "da.nghi", name: "Người đã nghỉ", email: "da.nghi@matrix.example" },
].map((account) => ({ ...account, password: DEMO_PASSWORD }));

const CALLERS: readonly Caller[] = [
  { name: "no token", refused: { status: 401, code: "unauthorized" } },
  {
    name: "a forged token (alg none)",
    bearer: async () => `${b64({ alg: "none", typ: "at+jwt" })}.${b64({ sub: "cb.quoctuan" })}.`,
    refused: { status: 401, code: "unauthorized" },
  },
  {
    name: "an ID token instead of an access token",
    bearer: async (ctx) => (await ctx.login.signIn("qt.haiduong", DEMO_PASSWORD)).idToken,
    refused: { status: 401, code: "unauthorized" },
  },
  {
    name: "an access code of province 30",
    bearer: async () => ACCESS_CODE,
    rank: "access-code",
    within: ["own", "neighbour", "province"],
  },
  {
    name: "viewer of province 30",
    bearer: person("vp.haiduong"),
    rank: "viewer",
    within: ["own", "neighbour", "province"],
  },
  { name: "editor of 10621", bearer: person("cb.quoctuan"), rank: "editor", within: ["own"] },
  { name: "issuer of 10621", bearer: person("ct.quoctuan"), rank: "issuer", within: ["own"] },
  {
    name: "admin of province 30",
    bearer: person("qt.haiduong"),
    rank: "admin",
    within: ["own", "neighbour", "province"],
  },
  { name: "admin of 10621", bearer: person("qt.quoctuan"), rank: "admin", within: ["own"] },
  { name: "a person without a grant", bearer: person("moi.den"), refused: { status: 403, code: "no_grant" } },
  {
    name: "a person whose grant is disabled",
    bearer: person("da.nghi"),
    refused: { status: 403, code: "forbidden" },
  },
];

// --- Routes --------------------------------------------------------------------------------------
interface Request {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Route {
  readonly name: string;
  /** Who may: anyone, any caller that reads (access codes too), or a person of at least this role. */
  readonly needs: "public" | Rank;
  /** Whether the target unit must be within the caller's grant. */
  readonly unitScoped: boolean;
  /** The targets of a scoped route (default: every unit). */
  readonly units?: readonly UnitLabel[];
  readonly ok: number;
  readonly request: (unit: string, ctx: Ctx, cell: string) => Promise<Request> | Request;
  /** After an accepted request: what it wrote is there. */
  readonly wrote?: (unit: string, ctx: Ctx, cell: string) => Promise<void>;
}

const unitQuery = (unit: string, extra = "") =>
  `${unit.length === 2 ? "provinceCode" : "communeCode"}=${unit}${extra}`;
const matrixEmail = (cell: string) => `${cell}@grantee.example`;

// --- Report editions (docs/editions.md#routes) ----------------------------------------------------
// Each edition route works on its own periods of 2023, so that one route's writes never become
// another's precondition. Every cell finds its precondition in place (an existing draft, an issued
// edition, the current If-Match) whatever its caller: a refusal is the authorization's, never a
// 404, 409, 412 or 428, and an accepted cell really writes.
const EDITION_YEAR = 2023;
const READ_PERIOD: PeriodSpec = { kind: "quarter", year: EDITION_YEAR, quarter: 1 };
const ISSUE_PERIOD: PeriodSpec = { kind: "quarter", year: EDITION_YEAR, quarter: 2 };
const CORRECTION_PERIOD: PeriodSpec = { kind: "quarter", year: EDITION_YEAR, quarter: 3 };
const SETUP = {
  actor: { issuer: "matrix-setup", subject: "matrix-setup", name: "Thiết lập" },
  requestId: "",
};

const periodQuery = (period: PeriodSpec) =>
  period.kind === "quarter"
    ? `?period=quarter&quarter=${period.quarter}`
    : period.kind === "month"
      ? `?period=month&month=${period.month}`
      : `?period=${period.kind}`;
const editionPath = (unit: string, period: PeriodSpec, tail = "") =>
  `/v1/editions/${unit}/${period.year}${tail}${periodQuery(period)}`;
const targetOf = (unit: string, period: PeriodSpec) => editionTarget(unit, period, new Date())!;
const setupContext = (cell: string) => ({ ...SETUP, requestId: `setup-${cell}` });
const current = (ctx: Ctx, unit: string, period: PeriodSpec) => ctx.editions.editions.current(unit, period);

/** A draft of the unit for the period, complete enough to issue; answers it. */
async function completeDraft(
  ctx: Ctx,
  unit: string,
  period: PeriodSpec,
  cell: string,
): Promise<EditionRecord> {
  const target = targetOf(unit, period);
  let record = await current(ctx, unit, period);
  if (!record) record = await createEdition(ctx.editions, target, setupContext(cell));
  if (record.status === "issued") record = await correctEdition(ctx.editions, target, setupContext(cell));
  return saveEdition(ctx.editions, target, DEMO_EDITION, record.revision, setupContext(cell));
}

/** The unit's edition for the period, issued (and not being corrected); answers it. */
async function issuedEdition(
  ctx: Ctx,
  unit: string,
  period: PeriodSpec,
  cell: string,
): Promise<EditionRecord> {
  const record = await current(ctx, unit, period);
  if (record?.status === "issued") return record;
  const draft = await completeDraft(ctx, unit, period, cell);
  return issueEdition(ctx.editions, targetOf(unit, period), draft.revision, setupContext(cell));
}

/** A month of 2023 in which the unit has no edition yet: one per cell of POST /v1/editions/{unit}/{year}. */
const monthsTaken = new Map<string, number>();
function freshMonth(unit: string): PeriodSpec {
  const month = (monthsTaken.get(unit) ?? 0) + 1;
  if (month > 12) throw new Error(`more than 12 create cells on ${unit}`);
  monthsTaken.set(unit, month);
  return { kind: "month", year: EDITION_YEAR, month };
}
const createdIn = new Map<string, PeriodSpec>();

/** The audit of the unit holds `action` on the edition written by this cell's caller. */
async function audited(ctx: Ctx, unit: string, action: string, period: PeriodSpec, edition: number) {
  const audit = await ctx.grants.auditOf(unit, 500);
  const target = `${unit}/${periodKey(period)}#${edition}`;
  expect(
    audit.records.some(
      (r) => r.action === action && r.target === target && r.by.issuer !== SETUP.actor.issuer,
    ),
    `${action} on ${target} in the audit`,
  ).toBe(true);
}

const EDITION_ROUTES: readonly Route[] = [
  {
    name: "POST /v1/editions/{unit}/{year}",
    needs: "editor",
    unitScoped: true,
    ok: 201,
    request: (unit, _ctx, cell) => {
      const period = freshMonth(unit);
      createdIn.set(cell, period);
      return { method: "POST", path: editionPath(unit, period) };
    },
    wrote: async (unit, ctx, cell) => {
      const period = createdIn.get(cell)!;
      expect(await current(ctx, unit, period)).toMatchObject({ status: "draft", edition: 1, revision: 1 });
      await audited(ctx, unit, "edition.create", period, 1);
    },
  },
  {
    name: "GET /v1/editions/{unit}/{year}",
    needs: "access-code",
    unitScoped: true,
    ok: 200,
    request: (unit) => ({ method: "GET", path: editionPath(unit, READ_PERIOD) }),
  },
  {
    name: "PUT /v1/editions/{unit}/{year}",
    needs: "editor",
    unitScoped: true,
    ok: 200,
    request: async (unit, ctx, cell) => {
      const draft = (await current(ctx, unit, READ_PERIOD))!;
      return {
        method: "PUT",
        path: editionPath(unit, READ_PERIOD),
        headers: { "if-match": `"${draft.revision}"` },
        body: { texts: { III: `Nhiệm vụ của ô ${cell}` } },
      };
    },
    wrote: async (unit, ctx, cell) => {
      const draft = await current(ctx, unit, READ_PERIOD);
      expect(draft?.texts.III).toBe(`Nhiệm vụ của ô ${cell}`);
      await audited(ctx, unit, "edition.save", READ_PERIOD, 1);
    },
  },
  {
    name: "GET /v1/editions/{unit}/{year}/revisions",
    needs: "access-code",
    unitScoped: true,
    ok: 200,
    request: (unit) => ({ method: "GET", path: editionPath(unit, READ_PERIOD, "/revisions") }),
  },
  {
    name: "GET /v1/editions/{unit}/{year}/revisions/{revision}",
    needs: "access-code",
    unitScoped: true,
    ok: 200,
    request: (unit) => ({ method: "GET", path: editionPath(unit, READ_PERIOD, "/revisions/1") }),
  },
  {
    name: "POST /v1/editions/{unit}/{year}/preview",
    needs: "editor",
    unitScoped: true,
    ok: 200,
    request: (unit) => ({ method: "POST", path: editionPath(unit, READ_PERIOD, "/preview") }),
  },
  {
    name: "POST /v1/editions/{unit}/{year}/issue",
    needs: "issuer",
    unitScoped: true,
    ok: 200,
    request: async (unit, ctx, cell) => {
      const draft = await completeDraft(ctx, unit, ISSUE_PERIOD, cell);
      return {
        method: "POST",
        path: editionPath(unit, ISSUE_PERIOD, "/issue"),
        headers: { "if-match": `"${draft.revision}"` },
      };
    },
    wrote: async (unit, ctx) => {
      const issued = (await current(ctx, unit, ISSUE_PERIOD))!;
      expect(issued.status).toBe("issued");
      expect(issued.issued?.by.name).not.toBe(SETUP.actor.name);
      await audited(ctx, unit, "edition.issue", ISSUE_PERIOD, issued.edition);
    },
  },
  {
    name: "POST /v1/editions/{unit}/{year}/correction",
    needs: "editor",
    unitScoped: true,
    ok: 201,
    request: async (unit, ctx, cell) => {
      await issuedEdition(ctx, unit, CORRECTION_PERIOD, cell);
      return { method: "POST", path: editionPath(unit, CORRECTION_PERIOD, "/correction") };
    },
    wrote: async (unit, ctx) => {
      const draft = (await current(ctx, unit, CORRECTION_PERIOD))!;
      expect(draft).toMatchObject({ status: "draft", corrects: draft.edition - 1 });
      await audited(ctx, unit, "edition.correct", CORRECTION_PERIOD, draft.edition);
    },
  },
  // The province's routes take a province only (a commune code is bad input, not a target).
  {
    name: "GET /v1/editions",
    needs: "access-code",
    unitScoped: true,
    units: ["province", "otherProvince"],
    ok: 200,
    request: (unit) => ({ method: "GET", path: `/v1/editions?provinceCode=${unit}&year=${EDITION_YEAR}` }),
  },
  {
    name: "GET /v1/editions/bundle",
    needs: "access-code",
    unitScoped: true,
    units: ["province", "otherProvince"],
    ok: 200,
    request: (unit) => ({
      method: "GET",
      path: `/v1/editions/bundle?provinceCode=${unit}&year=${EDITION_YEAR}`,
    }),
  },
];

const ROUTES: readonly Route[] = [
  {
    name: "GET /v1/auth/config",
    needs: "public",
    unitScoped: false,
    ok: 200,
    request: () => ({ method: "GET", path: "/v1/auth/config" }),
  },
  {
    name: "GET /v1/units",
    needs: "access-code",
    unitScoped: false,
    ok: 200,
    request: () => ({ method: "GET", path: "/v1/units?year=2023" }),
  },
  {
    name: "GET /v1/figures",
    needs: "access-code",
    unitScoped: true,
    ok: 200,
    request: (unit) => ({ method: "GET", path: `/v1/figures?${unitQuery(unit, "&year=2023")}` }),
  },
  // Nothing was built yet: an allowed caller learns that (404), a refused one learns nothing (403).
  {
    name: "GET /v1/reports",
    needs: "access-code",
    unitScoped: true,
    ok: 404,
    request: (unit) => ({ method: "GET", path: `/v1/reports?${unitQuery(unit, "&year=2023")}` }),
  },
  {
    name: "POST /v1/reports",
    needs: "access-code",
    unitScoped: true,
    ok: 200,
    request: (unit) => ({
      method: "POST",
      path: "/v1/reports",
      body: unit.length === 2 ? { provinceCode: unit, year: 2023 } : { communeCode: unit, year: 2023 },
    }),
  },
  {
    name: "GET /v1/me",
    needs: "viewer",
    unitScoped: false,
    ok: 200,
    request: () => ({ method: "GET", path: "/v1/me" }),
  },
  {
    name: "GET /v1/grants",
    needs: "admin",
    unitScoped: true,
    ok: 200,
    request: (unit) => ({ method: "GET", path: `/v1/grants?unit=${unit}` }),
  },
  {
    name: "PUT /v1/grants/{email}",
    needs: "admin",
    unitScoped: true,
    ok: 200,
    request: (unit, _ctx, cell) => ({
      method: "PUT",
      path: `/v1/grants/${encodeURIComponent(matrixEmail(cell))}`,
      body: { role: "viewer", units: [unit], name: "Người được cấp" },
    }),
    wrote: async (unit, ctx, cell) => {
      expect(await ctx.grants.byEmail(matrixEmail(cell))).toMatchObject({ role: "viewer", units: [unit] });
      const audit = await ctx.grants.auditOf(unit, 200);
      expect(audit.records.some((r) => r.action === "grant.put" && r.target === matrixEmail(cell))).toBe(
        true,
      );
    },
  },
  {
    name: "DELETE /v1/grants/{email}",
    needs: "admin",
    unitScoped: true,
    ok: 204,
    request: async (unit, ctx, cell) => {
      // The grant to revoke exists before the request (made by an operator).
      const context = { now: new Date(), requestId: randomUUID() };
      await putGrant(
        ctx.grants,
        { kind: "operator", name: "matrix" },
        matrixEmail(cell),
        { role: "viewer", units: [unit] },
        context,
      );
      return { method: "DELETE", path: `/v1/grants/${encodeURIComponent(matrixEmail(cell))}` };
    },
    wrote: async (unit, ctx, cell) => {
      expect(await ctx.grants.byEmail(matrixEmail(cell))).toBeUndefined();
      const audit = await ctx.grants.auditOf(unit, 200);
      expect(audit.records.some((r) => r.action === "grant.revoke" && r.target === matrixEmail(cell))).toBe(
        true,
      );
    },
  },
  {
    name: "GET /v1/audit",
    needs: "admin",
    unitScoped: true,
    ok: 200,
    request: (unit) => ({ method: "GET", path: `/v1/audit?unit=${unit}` }),
  },
  ...EDITION_ROUTES,
];

/** The contract's answer for a cell (docs/people.md#what-a-persons-token-can-and-cannot-do). */
function expected(
  route: Route,
  caller: Caller,
  unit: UnitLabel | undefined,
): { status: number; code?: string } {
  if (route.needs === "public") return { status: route.ok };
  if (caller.refused) return caller.refused;
  const rank = caller.rank!;
  if (RANKS.indexOf(rank) < RANKS.indexOf(route.needs)) return { status: 403, code: "forbidden" };
  if (route.unitScoped && unit && !caller.within!.includes(unit)) return { status: 403, code: "forbidden" };
  return { status: route.ok };
}

// --- The stack -----------------------------------------------------------------------------------
interface Ctx {
  login: ReturnType<typeof oidcLogin>;
  grants: DynamoGrantStore;
  editions: EditionDeps;
}

const ACCESS_CODE = `rt_matrix_${randomUUID()}`;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

let stack: LocalStack;
let ctx: Ctx;
let dynamo: DynamoDBClient;
let s3: S3Client;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    services: { dynamoEndpoint: inject("dynamoEndpoint"), s3Endpoint: inject("s3Endpoint") },
    tableName: `people-matrix-${randomUUID().slice(0, 8)}`,
    bucketName: `people-matrix-${randomUUID().slice(0, 8)}`,
    functions: ["links", "people", "editions"],
    webRoot: false,
    oidc: { accounts: [...DEMO_PEOPLE, ...EXTRA_ACCOUNTS] },
  });
  dynamo = dynamoClientFromEnv({ ...stack.env });
  s3 = s3ClientFromEnv({ ...stack.env });
  const grants = new DynamoGrantStore(dynamo, stack.env.TABLE_NAME);
  const editions: EditionDeps = {
    editions: new DynamoEditionStore(dynamo, stack.env.TABLE_NAME),
    files: new S3EditionFileStore(s3, stack.env.BUCKET_NAME),
    aggregates: new DynamoAggregateReader(dynamo, stack.env.TABLE_NAME),
  };
  ctx = { login: oidcLogin({ issuer: stack.oidc!.issuer, portalOrigin: stack.url }), grants, editions };
  await new DynamoTokenStore(dynamo, stack.env.TABLE_NAME).put(ACCESS_CODE, { scope: { provinces: ["30"] } });
  const operator = { kind: "operator", name: "matrix" } as const;
  const context = (requestId: string) => ({ now: new Date(), requestId });
  await putGrant(
    grants,
    operator,
    "qt.quoctuan@matrix.example",
    { role: "admin", units: ["10621"], name: "Quản trị xã" },
    context("setup-admin"),
  );
  await putGrant(
    grants,
    operator,
    "da.nghi@matrix.example",
    { role: "viewer", units: ["10621"], disabled: true },
    context("setup-disabled"),
  );
  // The drafts that the edition routes read, save and preview.
  for (const unit of Object.values(UNITS)) {
    await createEdition(editions, targetOf(unit, READ_PERIOD), setupContext(`read-${unit}`));
  }
  // Every person signs in once and calls the API once: the first sign-in binds the grant (a write).
  for (const caller of CALLERS) {
    if (!caller.bearer) continue;
    await fetch(`${stack.url}/v1/me`, { headers: { authorization: `Bearer ${await caller.bearer(ctx)}` } });
  }
});

afterAll(async () => {
  dynamo?.destroy();
  s3?.destroy();
  await stack?.stop();
});

async function scanAll(): Promise<string[]> {
  const items: string[] = [];
  let startKey: ScanCommandInput["ExclusiveStartKey"];
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: stack.env.TABLE_NAME, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    for (const item of page.Items ?? []) items.push(JSON.stringify(unmarshall(item)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort();
}

async function objectKeys(): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: stack.env.BUCKET_NAME }));
  return (listed.Contents ?? []).map((o) => `${o.Key}@${o.ETag}`).sort();
}

const cells = ROUTES.flatMap((route) =>
  CALLERS.flatMap((caller) =>
    (route.unitScoped ? (route.units ?? ALL_UNITS) : [undefined]).map((unit) => {
      const want = expected(route, caller, unit);
      return {
        route,
        caller,
        unit,
        want,
        title: `${route.name} by ${caller.name}${unit ? ` on ${unit} (${UNITS[unit]})` : ""} → ${want.status}`,
      };
    }),
  ),
);

describe("the authorization matrix", () => {
  it("has a refusal and an acceptance for every route but the public one, and a province target for each scoped route", () => {
    for (const route of ROUTES.filter((r) => r.needs !== "public")) {
      const statuses = cells.filter((c) => c.route === route).map((c) => c.want.status);
      expect(statuses, route.name).toContain(route.ok);
      expect(
        statuses.some((s) => s === 401 || s === 403),
        route.name,
      ).toBe(true);
    }
    expect(ALL_UNITS.filter(isProvince)).toHaveLength(2);
  });

  it.each(cells)("$title", async ({ route, caller, unit, want }) => {
    const cell = `${route.name.split(" ")[0]!.toLowerCase()}-${randomUUID().slice(0, 8)}`;
    const request = await route.request(unit ? UNITS[unit] : "", ctx, cell);
    const before = want.status >= 400 ? await Promise.all([scanAll(), objectKeys()]) : undefined;
    const headers: Record<string, string> = { "content-type": "application/json", ...request.headers };
    if (caller.bearer) headers.authorization = `Bearer ${await caller.bearer(ctx)}`;
    const response = await fetch(`${stack.url}${request.path}`, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    const text = await response.text();
    expect(response.status, text).toBe(want.status);
    if (want.code) expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe(want.code);
    if (before) {
      expect(await scanAll(), "the table after a refused request").toEqual(before[0]);
      expect(await objectKeys(), "the bucket after a refused request").toEqual(before[1]);
    } else {
      await route.wrote?.(unit ? UNITS[unit] : "", ctx, cell);
    }
  });
});

describe("the local stack's portal origin", () => {
  it("lets the page fetch from the development provider (CSP connect-src), and from no other origin", async () => {
    const csp = (await fetch(`${stack.url}/health`)).headers.get("content-security-policy") ?? "";
    const connect = csp
      .split(";")
      .find((d) => d.trim().startsWith("connect-src"))
      ?.trim();
    expect(connect).toBe(`connect-src 'self' ${stack.oidc!.issuer}`);
  });
});
