import { Logger } from "@aws-lambda-powertools/logger";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPeopleHandler } from "../../functions/people/handler";
import { peopleCommand } from "../../scripts/people";
import { DynamoGrantStore, GrantConflictError } from "../../shared/adapters/dynamo/grant-store";
import { oidcSettingsFromEnv } from "../../shared/adapters/oidc/access-tokens";
import { auditKey } from "../../shared/people/audit-record";
import { createAuthenticator } from "../../shared/people/authenticate";
import { putGrant, revokeGrant } from "../../shared/people/manage-grants";
import { createTestTable, type TestTable } from "../support/aws";

/**
 * Grants, bindings and audit records in DynamoDB Local (shared/adapters/dynamo/grant-store.ts), and
 * the people handler on top: one transaction per write, so a write whose audit record cannot be
 * written does not happen; one binding per grant; logs carry `sub`, never an e-mail or a name.
 */
let table: TestTable;
let store: DynamoGrantStore;
const ops = { kind: "operator", name: "ops" } as const;
const at = (requestId: string, iso = "2026-01-02T03:04:05.000Z") => ({ now: new Date(iso), requestId });

beforeAll(async () => {
  table = await createTestTable("grants");
  store = new DynamoGrantStore(table.client, table.tableName);
});
afterAll(async () => {
  await table.drop();
});

describe("the grant store", () => {
  it("writes a grant and its audit records together, and neither when an audit record cannot be written", async () => {
    await putGrant(store, ops, "a@x.vn", { role: "viewer", units: ["10621", "30"] }, at("r1"));
    expect(await store.byEmail("a@x.vn")).toMatchObject({ role: "viewer", units: ["10621", "30"], v: 1 });
    expect((await store.auditOf("30", 10)).records).toMatchObject([
      { action: "grant.put", target: "a@x.vn" },
    ]);

    // An audit record already at the key this write needs: the whole transaction is refused.
    const record = {
      unit: "10618",
      at: "2026-01-02T03:04:05.000Z",
      requestId: "r2",
      action: "grant.put" as const,
    };
    await table.client.send(
      new PutItemCommand({ TableName: table.tableName, Item: marshall(auditKey(record)) }),
    );
    await expect(
      putGrant(store, ops, "b@x.vn", { role: "viewer", units: ["10618"] }, at("r2")),
    ).rejects.toBeInstanceOf(GrantConflictError);
    expect(await store.byEmail("b@x.vn")).toBeUndefined();
  });

  it("refuses a write based on a stale read (another admin changed the grant meanwhile)", async () => {
    await putGrant(store, ops, "c@x.vn", { role: "viewer", units: ["10621"] }, at("r3"));
    const stale = (await store.byEmail("c@x.vn"))!;
    await putGrant(store, ops, "c@x.vn", { role: "editor", units: ["10621"] }, at("r4"));
    await expect(store.save({ ...stale, role: "admin" }, stale.v, [])).rejects.toBeInstanceOf(
      GrantConflictError,
    );
    await expect(store.remove(stale, [])).rejects.toBeInstanceOf(GrantConflictError);
    expect(await store.byEmail("c@x.vn")).toMatchObject({ role: "editor", v: 2 });
  });

  it("binds a grant once: of two people signing in with the same e-mail at once, one gets it", async () => {
    await putGrant(store, ops, "d@x.vn", { role: "editor", units: ["10621"] }, at("r5"));
    const results = await Promise.all([
      store.bind("d@x.vn", "iss", "one"),
      store.bind("d@x.vn", "iss", "two"),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? "one" : "two";
    expect(await store.bySubject("iss", winner)).toMatchObject({ email: "d@x.vn", subject: winner });
    expect(await store.bySubject("iss", winner === "one" ? "two" : "one")).toBeUndefined();
    // Changing the grant keeps the binding; revoking removes it, and a new grant binds afresh.
    await putGrant(store, ops, "d@x.vn", { role: "issuer", units: ["10621"] }, at("r6"));
    expect(await store.bySubject("iss", winner)).toMatchObject({ role: "issuer" });
    await revokeGrant(store, ops, "d@x.vn", at("r7"));
    expect(await store.bySubject("iss", winner)).toBeUndefined();
    expect((await store.auditOf("10621", 50)).records.map((r) => r.requestId)).toContain("r7");
  });

  it("answers a disabled, unbound grant's first sign-in 403 and leaves the grant unbound", async () => {
    await putGrant(store, ops, "off@x.vn", { role: "editor", units: ["10621"], disabled: true }, at("r8"));
    const authenticator = createAuthenticator({
      readerTokens: { verify: async () => undefined },
      accessTokens: {
        verify: async () => ({ issuer: "iss", subject: "sub-off", email: "off@x.vn" }),
        verifiedEmail: async () => undefined,
      },
      grants: store,
    });
    expect(await authenticator.authenticate("Bearer a.b.c", new Date())).toMatchObject({
      ok: false,
      status: 403,
      code: "forbidden",
    });
    const stored = await store.byEmail("off@x.vn");
    expect(stored?.subject).toBeUndefined();
    expect(await store.bySubject("iss", "sub-off")).toBeUndefined();
  });

  it("reads a unit's audit newest first, page by page", async () => {
    for (let i = 0; i < 5; i++) {
      const iso = `2026-02-0${i + 1}T00:00:00.000Z`;
      await putGrant(store, ops, `page${i}@x.vn`, { role: "viewer", units: ["00001"] }, at(`p${i}`, iso));
    }
    const first = await store.auditOf("00001", 3);
    expect(first.records.map((r) => r.requestId)).toEqual(["p4", "p3", "p2"]);
    const second = await store.auditOf("00001", 3, first.next);
    expect(second.records.map((r) => r.requestId)).toEqual(["p1", "p0"]);
  });
});

describe("the people handler's logs", () => {
  it("carry the admin's sub, never an e-mail or a name", async () => {
    const captured: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    }) as typeof process.stdout.write;
    try {
      await putGrant(
        store,
        ops,
        "qt.logs@x.vn",
        { role: "admin", units: ["30"], name: "Quản Trị Logs" },
        at("l1"),
      );
      const logger = new Logger({ serviceName: "test", logLevel: "DEBUG" });
      const handler = createPeopleHandler({
        authenticator: createAuthenticator({
          readerTokens: { verify: async () => undefined },
          accessTokens: {
            verify: async () => ({ issuer: "iss", subject: "sub-logs", email: "qt.logs@x.vn" }),
            verifiedEmail: async () => undefined,
          },
          grants: store,
        }),
        grants: store,
        oidc: undefined,
        logger,
      });
      const event = (routeKey: string, extra: Partial<APIGatewayProxyEventV2> = {}) =>
        ({
          routeKey,
          headers: { authorization: "Bearer a.b.c" },
          requestContext: { requestId: `req-${routeKey}` },
          ...extra,
        }) as unknown as APIGatewayProxyEventV2;
      const put = await handler(
        event("PUT /v1/grants/{email}", {
          pathParameters: { email: "Moi.Nguoi@x.vn" },
          body: JSON.stringify({ role: "viewer", units: ["10621"], name: "Người Mới Tên" }),
        }),
      );
      expect(put.statusCode).toBe(200);
      const removed = await handler(
        event("DELETE /v1/grants/{email}", { pathParameters: { email: "moi.nguoi@x.vn" } }),
      );
      expect(removed.statusCode).toBe(204);
    } finally {
      process.stdout.write = write;
    }
    const logs = captured.join("");
    expect(logs).toContain("sub-logs");
    for (const secret of ["qt.logs@x.vn", "moi.nguoi", "Moi.Nguoi", "Người Mới Tên", "Quản Trị Logs"]) {
      expect(logs).not.toContain(secret);
    }
  });
});

describe("npm run people", () => {
  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await peopleCommand(argv, {
      store,
      operator: "ops-cli",
      now: () => new Date("2026-03-01T00:00:00Z"),
      out: (line) => lines.push(line),
    });
    return { code, lines };
  };

  it("grants the first admin, with `*` allowed, lists and revokes, each with its audit record", async () => {
    expect(
      (await run("grant", "--email", "Root@X.vn", "--role", "admin", "--units", "*", "--name", "Root")).code,
    ).toBe(0);
    expect(await store.byEmail("root@x.vn")).toMatchObject({
      role: "admin",
      units: ["*"],
      grantedBy: "cli:ops-cli",
    });
    const listed = await run("list");
    expect(listed.lines.map((line) => JSON.parse(line).email)).toContain("root@x.vn");
    expect(
      (await run("grant", "--email", "cli@x.vn", "--role", "viewer", "--units", "10621", "--disabled")).code,
    ).toBe(0);
    expect(await store.byEmail("cli@x.vn")).toMatchObject({ disabled: true });
    expect((await run("list", "--unit", "30")).lines.map((line) => JSON.parse(line).email)).toContain(
      "cli@x.vn",
    );
    expect((await run("revoke", "--email", "cli@x.vn")).code).toBe(0);
    expect(await store.byEmail("cli@x.vn")).toBeUndefined();
    const audit = (await store.auditOf("*", 10)).records;
    expect(audit[0]).toMatchObject({
      action: "grant.put",
      target: "root@x.vn",
      by: { issuer: "cli", subject: "ops-cli" },
    });
  });

  it("refuses unknown units, roles and commands without writing", async () => {
    expect((await run("grant", "--email", "z@x.vn", "--role", "admin", "--units", "99999")).code).toBe(2);
    expect((await run("grant", "--email", "z@x.vn", "--role", "owner", "--units", "30")).code).toBe(2);
    expect((await run("grant", "--email", "not-an-email", "--role", "admin", "--units", "30")).code).toBe(2);
    expect((await run("promote", "--email", "z@x.vn")).code).toBe(2);
    expect((await run("revoke", "--email", "nobody@x.vn")).code).toBe(1);
    expect(await store.byEmail("z@x.vn")).toBeUndefined();
  });
});

describe("GET /v1/audit", () => {
  it("pages with the cursor it answered, API Gateway's request ids included", async () => {
    await putGrant(store, ops, "qt.audit@x.vn", { role: "admin", units: ["02"] }, at("a0"));
    for (const [i, requestId] of ["JiY3_jMQoAMEMjw=", "Ka+9/xYzQoAMEMjw="].entries()) {
      const iso = `2026-04-0${i + 1}T00:00:00.000Z`;
      await putGrant(store, ops, `audit${i}@x.vn`, { role: "viewer", units: ["02"] }, at(requestId, iso));
    }
    const handler = createPeopleHandler({
      authenticator: createAuthenticator({
        readerTokens: { verify: async () => undefined },
        accessTokens: {
          verify: async () => ({ issuer: "iss", subject: "sub-audit", email: "qt.audit@x.vn" }),
          verifiedEmail: async () => undefined,
        },
        grants: store,
      }),
      grants: store,
      oidc: undefined,
      logger: new Logger({ logLevel: "SILENT" }),
    });
    const page = async (query: Record<string, string>) => {
      const answer = await handler({
        routeKey: "GET /v1/audit",
        headers: { authorization: "Bearer a.b.c" },
        queryStringParameters: { unit: "02", ...query },
      } as unknown as APIGatewayProxyEventV2);
      return { status: answer.statusCode, body: JSON.parse(answer.body as string) };
    };
    const first = await page({ limit: "1" });
    expect(first.body.records.map((r: { requestId: string }) => r.requestId)).toEqual(["Ka+9/xYzQoAMEMjw="]);
    const second = await page({ limit: "1", cursor: first.body.next });
    expect(second.body.records.map((r: { requestId: string }) => r.requestId)).toEqual(["JiY3_jMQoAMEMjw="]);
    expect((await page({ cursor: "not a cursor" })).status).toBe(400);
    expect((await page({ limit: "0" })).status).toBe(400);
  });
});

describe("what an admin sees of a grant that also names units outside its own", () => {
  it("lists the grant and its audit records with the admin's units only", async () => {
    await putGrant(store, ops, "qt.10621@x.vn", { role: "admin", units: ["10621"] }, at("s0"));
    await putGrant(store, ops, "wide@x.vn", { role: "viewer", units: ["10621", "01"] }, at("s1"));
    const handler = createPeopleHandler({
      authenticator: createAuthenticator({
        readerTokens: { verify: async () => undefined },
        accessTokens: {
          verify: async () => ({ issuer: "iss", subject: "sub-10621", email: "qt.10621@x.vn" }),
          verifiedEmail: async () => undefined,
        },
        grants: store,
      }),
      grants: store,
      oidc: undefined,
      logger: new Logger({ logLevel: "SILENT" }),
    });
    const get = async (routeKey: string) => {
      const answer = await handler({
        routeKey,
        headers: { authorization: "Bearer a.b.c" },
        queryStringParameters: { unit: "10621" },
      } as unknown as APIGatewayProxyEventV2);
      expect(answer.statusCode).toBe(200);
      return JSON.parse(answer.body as string);
    };
    const { grants } = await get("GET /v1/grants");
    expect(grants.find((g: { email: string }) => g.email === "wide@x.vn")).toMatchObject({
      units: ["10621"],
    });
    const { records } = await get("GET /v1/audit");
    const wide = records.find((r: { requestId: string }) => r.requestId === "s1");
    expect(wide).toMatchObject({ target: "wide@x.vn", detail: { units: ["10621"] } });
    expect(JSON.stringify({ grants, records })).not.toContain('"01"');
  });
});

describe("GET /v1/auth/config", () => {
  const config = async (oidc: Parameters<typeof createPeopleHandler>[0]["oidc"]) => {
    const handler = createPeopleHandler({
      authenticator: createAuthenticator({ readerTokens: { verify: async () => undefined } }),
      grants: store,
      oidc,
      logger: new Logger({ logLevel: "SILENT" }),
    });
    const answer = await handler({
      routeKey: "GET /v1/auth/config",
      headers: {},
    } as unknown as APIGatewayProxyEventV2);
    return { status: answer.statusCode, body: JSON.parse(answer.body as string) };
  };

  it("names the provider without a token, the resource only when one is configured, 404 when none is", async () => {
    const cognito = {
      issuer: "https://cognito-idp.ap-southeast-1.amazonaws.com/p",
      clientId: "c",
      scope: "openid email profile",
    };
    expect(await config(cognito)).toEqual({ status: 200, body: cognito });
    expect((await config({ ...cognito, audience: "urn:x" })).body).toEqual({ ...cognito, resource: "urn:x" });
    expect(await config(undefined)).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
  });
  it("names the sign-out URL of OIDC_LOGOUT_URL (Cognito has no end_session_endpoint), and none when unset", async () => {
    const env = {
      OIDC_ISSUER: "https://cognito-idp.ap-southeast-1.amazonaws.com/p",
      OIDC_CLIENT_ID: "c",
    };
    const logoutUrl =
      "https://onestop-1.auth.ap-southeast-1.amazoncognito.com/logout?client_id=c&logout_uri=https%3A%2F%2Fbaocao.example%2F";
    expect(await config(oidcSettingsFromEnv({ ...env, OIDC_LOGOUT_URL: ` ${logoutUrl} ` }))).toEqual({
      status: 200,
      body: { issuer: env.OIDC_ISSUER, clientId: "c", scope: "openid email profile", logoutUrl },
    });
    expect((await config(oidcSettingsFromEnv(env))).body).not.toHaveProperty("logoutUrl");
  });
});
