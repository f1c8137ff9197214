import { randomUUID } from "node:crypto";
import { type DynamoDBClient, ScanCommand, type ScanCommandInput } from "@aws-sdk/client-dynamodb";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD, DEMO_PEOPLE } from "../../local/demo-people";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { dynamoClientFromEnv, s3ClientFromEnv } from "../../shared/adapters/aws-clients";
import { DynamoGrantStore } from "../../shared/adapters/dynamo/grant-store";
import { DynamoTokenStore } from "../../shared/adapters/dynamo/token-store";
import { putGrant } from "../../shared/people/manage-grants";
import { oidcLogin } from "../support/oidc-login";

/**
 * The authorization matrix of docs/people.md over HTTP: every people route and every reader route ×
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
}

interface Route {
  readonly name: string;
  /** Who may: anyone, any caller that reads (access codes too), or a person of at least this role. */
  readonly needs: "public" | Rank;
  /** Whether the target unit must be within the caller's grant. */
  readonly unitScoped: boolean;
  readonly ok: number;
  readonly request: (unit: string, ctx: Ctx, cell: string) => Promise<Request> | Request;
  /** After an accepted request: what it wrote is there. */
  readonly wrote?: (unit: string, ctx: Ctx, cell: string) => Promise<void>;
}

const unitQuery = (unit: string, extra = "") =>
  `${unit.length === 2 ? "provinceCode" : "communeCode"}=${unit}${extra}`;
const matrixEmail = (cell: string) => `${cell}@grantee.example`;

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
    functions: ["links", "people"],
    webRoot: false,
    oidc: { accounts: [...DEMO_PEOPLE, ...EXTRA_ACCOUNTS] },
  });
  dynamo = dynamoClientFromEnv({ ...stack.env });
  s3 = s3ClientFromEnv({ ...stack.env });
  const grants = new DynamoGrantStore(dynamo, stack.env.TABLE_NAME);
  ctx = { login: oidcLogin({ issuer: stack.oidc!.issuer, portalOrigin: stack.url }), grants };
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
    (route.unitScoped ? ALL_UNITS : [undefined]).map((unit) => {
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
    const headers: Record<string, string> = { "content-type": "application/json" };
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
