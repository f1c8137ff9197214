import { randomUUID } from "node:crypto";
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../local/stack";
import { dynamoClientFromEnv } from "../../shared/adapters/aws-clients";
import { signPayload } from "../../shared/intake/signature";
import { DEMO_SOURCE } from "../../shared/intake/sources";
import { dossierEvent, feedbackEvent, received } from "../support/events";

/**
 * The intake (docs/api.md#intake) over HTTP against the local stack: the real handler, DynamoDB Local and s3rver.
 * Sources: the demo source (every unit), a source scoped to province 30 with two secrets (rotation).
 */
const OLD_SECRET = "whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZC1zZWNyZXQ=";
const NEW_SECRET = "whsec_bmV3LXNlY3JldC1uZXctc2VjcmV0LW5ldy1zZWNyZXQ=";
const DEMO_SECRET = DEMO_SOURCE.secrets[0]!;

let stack: LocalStack;
beforeAll(async () => {
  process.env.SOURCES_JSON = JSON.stringify([
    DEMO_SOURCE,
    { id: "haiduong", secrets: [OLD_SECRET, NEW_SECRET], allowedProvinces: ["30"] },
  ]);
  stack = await startLocalStack({ port: 0, functions: ["intake", "meta"] });
});
afterAll(async () => {
  await stack?.stop();
});

interface SendOptions {
  source?: string;
  secret?: string;
  timestamp?: number;
  headers?: Record<string, string>;
  omitSignature?: boolean;
}

async function send(body: string, options: SendOptions = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = signPayload({ secret: options.secret ?? DEMO_SECRET, id: randomUUID(), timestamp, body });
  const response = await fetch(`${stack.url}/v1/sources/${options.source ?? "demo"}/events`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.omitSignature ? {} : signature),
      ...options.headers,
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const sendEvents = (events: unknown[], options?: SendOptions) => send(JSON.stringify({ events }), options);

async function received2023(communeCode: string): Promise<number> {
  const page = await dynamoClientFromEnv(process.env).send(
    new QueryCommand({
      TableName: stack.env.TABLE_NAME,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: `A#${communeCode}` } },
    }),
  );
  return (page.Items ?? []).reduce((n, item) => n + Number(item.rcv?.N ?? 0), 0);
}

describe("POST /v1/sources/{sourceId}/events", () => {
  it("answers 200 with every event applied, then 200 with every event a duplicate on retry", async () => {
    const events = [
      received("2023-02-01T08:00:00+07:00", {}, "e2e-1"),
      dossierEvent("dossier.resolved", "2023-02-02T08:00:00+07:00", {}, "e2e-1"),
    ];
    const first = await sendEvents(events);
    expect(first).toEqual({
      status: 200,
      body: { results: events.map((e) => ({ id: e.id, status: "applied" })) },
    });
    const again = await sendEvents(events);
    expect(again.body.results).toEqual(events.map((e) => ({ id: e.id, status: "duplicate" })));
    expect(again.status).toBe(200);
  });

  it("answers 207 when some events are rejected, with the results in request order", async () => {
    const good = received("2023-02-01T08:00:00+07:00", {}, "e2e-2");
    const bad = { ...received("2023-02-01T08:00:00+07:00", {}, "e2e-3"), channel: "pigeon" };
    const { status, body } = await sendEvents([bad, good]);
    expect(status).toBe(207);
    expect(body.results).toEqual([
      {
        id: bad.id,
        status: "rejected",
        error: { code: "invalid_event", message: expect.any(String), path: "channel" },
      },
      { id: good.id, status: "applied" },
    ]);
  });

  it("answers 422 when every event is rejected, with each of the four fixed error codes", async () => {
    const applied = received("2023-02-01T08:00:00+07:00", {}, "e2e-4");
    await sendEvents([applied]);
    const events = [
      { type: "dossier.received", id: "no-fields" },
      received("2023-02-01T08:00:00+07:00", { communeCode: "99999" }, "e2e-5"),
      received("2025-08-01T08:00:00+07:00", { communeCode: "10621" }, "e2e-6"),
      { ...applied, fieldCode: "CT" },
    ];
    const { status, body } = await sendEvents(events);
    expect(status).toBe(422);
    expect((body.results as { error: { code: string } }[]).map((r) => r.error.code)).toEqual([
      "invalid_event",
      "unknown_unit",
      "unknown_unit",
      "id_conflict",
    ]);
    const outOfScope = await sendEvents(
      [received("2023-02-01T08:00:00+07:00", { communeCode: "00004" }, "e2e-7")],
      {
        source: "haiduong",
        secret: NEW_SECRET,
      },
    );
    expect(outOfScope.status).toBe(422);
    expect(outOfScope.body.results).toMatchObject([{ status: "rejected", error: { code: "out_of_scope" } }]);
  });

  it("accepts feedback events and the commune of a source's own province", async () => {
    const { status } = await sendEvents(
      [
        feedbackEvent("feedback.received", "2023-02-01T08:00:00+07:00", {
          communeCode: "10621",
          fieldCode: "HT",
          kind: "behavior",
        }),
      ],
      { source: "haiduong", secret: OLD_SECRET },
    );
    expect(status).toBe(200);
  });

  it.each([
    ["a body that is not JSON", "{events: nope", "invalid_body"],
    ["a body without events", JSON.stringify({ items: [] }), "invalid_body"],
    ["an empty batch", JSON.stringify({ events: [] }), "invalid_body"],
    [
      "more than 500 events",
      JSON.stringify({ events: Array.from({ length: 501 }, () => ({})) }),
      "invalid_body",
    ],
  ])("answers 400 for %s and changes nothing", async (_name, body, code) => {
    const before = await received2023("10621");
    const response = await send(body);
    expect(response).toMatchObject({ status: 400, body: { error: { code } } });
    expect(await received2023("10621")).toBe(before);
  });

  it("answers 400 for a body that is not application/json", async () => {
    const response = await send(JSON.stringify({ events: [received("2023-02-01T08:00:00+07:00")] }), {
      headers: { "content-type": "text/plain" },
    });
    expect(response).toMatchObject({ status: 400, body: { error: { code: "invalid_content_type" } } });
  });

  it("answers 413 for a body over 1 MiB", async () => {
    const padding = "x".repeat(1024 * 1024);
    const response = await send(JSON.stringify({ events: [{ padding }] }));
    expect(response).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });
  });

  describe("signatures", () => {
    const body = () =>
      JSON.stringify({ events: [received("2023-02-01T08:00:00+07:00", {}, `sig-${randomUUID()}`)] });

    it("answers 401 unknown_source for a source that is not configured", async () => {
      expect(await send(body(), { source: "nobody" })).toMatchObject({
        status: 401,
        body: { error: { code: "unknown_source" } },
      });
    });

    it("answers 401 missing_signature without the webhook headers", async () => {
      expect(await send(body(), { omitSignature: true })).toMatchObject({
        status: 401,
        body: { error: { code: "missing_signature" } },
      });
    });

    it("answers 401 invalid_signature when signed with another secret", async () => {
      expect(await send(body(), { secret: NEW_SECRET })).toMatchObject({
        status: 401,
        body: { error: { code: "invalid_signature" } },
      });
    });

    it("accepts both the old and the new secret of a source during rotation", async () => {
      expect((await send(body(), { source: "haiduong", secret: OLD_SECRET })).status).toBe(200);
      expect((await send(body(), { source: "haiduong", secret: NEW_SECRET })).status).toBe(200);
    });

    it("answers 401 stale_timestamp six minutes late, and applies nothing", async () => {
      const before = await received2023("10621");
      const stale = Math.floor(Date.now() / 1000) - 6 * 60;
      expect(await send(body(), { timestamp: stale })).toMatchObject({
        status: 401,
        body: { error: { code: "stale_timestamp" } },
      });
      expect(await received2023("10621")).toBe(before);
    });
  });
});

describe("service routes", () => {
  it("answers GET /health with 200 once DynamoDB and S3 are reachable", async () => {
    const response = await fetch(`${stack.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });
  });

  it("serves the OpenAPI 3.1 document", async () => {
    const response = await fetch(`${stack.url}/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\.1/);
    expect(Object.keys(document.paths)).toContain("/v1/sources/{sourceId}/events");
  });

  it("answers 404 not_found for an unknown route", async () => {
    const response = await fetch(`${stack.url}/v2/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
