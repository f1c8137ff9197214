import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signPayload, verifySignature } from "../../shared/intake/signature";
import { DEMO_SOURCE } from "../../shared/intake/sources";

const OLD_SECRET = DEMO_SOURCE.secrets[0]!;
const NEW_SECRET = `whsec_${Buffer.from("a brand new secret of 32 bytes!!").toString("base64")}`;
const OTHER_SECRET = `whsec_${Buffer.from("somebody else's secret, 32 bytes").toString("base64")}`;

const NOW = new Date("2023-03-02T01:15:00Z");
const NOW_SECONDS = NOW.getTime() / 1000;
const BODY = JSON.stringify({
  events: [
    { id: "evt-1", type: "dossier.resolved", dossierCode: "D1", occurredAt: "2023-03-02T08:15:00+07:00" },
  ],
});

function signed(secret: string | string[], options: { timestamp?: number; body?: string } = {}) {
  return signPayload({
    secret,
    id: "msg_1",
    timestamp: options.timestamp ?? NOW_SECONDS,
    body: options.body ?? BODY,
  });
}

describe("verifySignature", () => {
  it("accepts a request signed with the source's secret", () => {
    expect(
      verifySignature({ secrets: [OLD_SECRET], headers: signed(OLD_SECRET), rawBody: BODY, now: NOW }),
    ).toEqual({
      ok: true,
    });
  });

  it("matches the Standard Webhooks scheme: base64 HMAC-SHA256 of id.timestamp.body keyed with the decoded secret", () => {
    const key = Buffer.from(OLD_SECRET.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key).update(`msg_1.${NOW_SECONDS}.${BODY}`).digest("base64");
    expect(signed(OLD_SECRET)).toEqual({
      "webhook-id": "msg_1",
      "webhook-timestamp": String(NOW_SECONDS),
      "webhook-signature": `v1,${expected}`,
    });
  });

  it("accepts a Buffer body and header names in any case", () => {
    const headers = Object.fromEntries(
      Object.entries(signed(OLD_SECRET)).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(verifySignature({ secrets: [OLD_SECRET], headers, rawBody: Buffer.from(BODY), now: NOW }).ok).toBe(
      true,
    );
  });

  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"] as const)(
    "refuses a request without %s as missing_signature",
    (name) => {
      const headers: Record<string, string | undefined> = { ...signed(OLD_SECRET) };
      delete headers[name];
      expect(verifySignature({ secrets: [OLD_SECRET], headers, rawBody: BODY, now: NOW })).toMatchObject({
        ok: false,
        code: "missing_signature",
        message: expect.stringContaining(name),
      });
    },
  );

  it("refuses a request with no headers at all, or blank ones, as missing_signature", () => {
    expect(
      verifySignature({ secrets: [OLD_SECRET], headers: undefined, rawBody: BODY, now: NOW }),
    ).toMatchObject({
      code: "missing_signature",
    });
    const blank = { "webhook-id": " ", "webhook-timestamp": "", "webhook-signature": "" };
    expect(verifySignature({ secrets: [OLD_SECRET], headers: blank, rawBody: BODY, now: NOW })).toMatchObject(
      {
        code: "missing_signature",
      },
    );
  });

  it("refuses a request signed with another secret as invalid_signature", () => {
    expect(
      verifySignature({ secrets: [OLD_SECRET], headers: signed(OTHER_SECRET), rawBody: BODY, now: NOW }),
    ).toMatchObject({
      ok: false,
      code: "invalid_signature",
    });
  });

  it("accepts both the old and the new secret while both are configured, only the new one once the old is removed", () => {
    const rotating = [OLD_SECRET, NEW_SECRET];
    expect(
      verifySignature({ secrets: rotating, headers: signed(OLD_SECRET), rawBody: BODY, now: NOW }).ok,
    ).toBe(true);
    expect(
      verifySignature({ secrets: rotating, headers: signed(NEW_SECRET), rawBody: BODY, now: NOW }).ok,
    ).toBe(true);

    const rotated = [NEW_SECRET];
    expect(
      verifySignature({ secrets: rotated, headers: signed(NEW_SECRET), rawBody: BODY, now: NOW }).ok,
    ).toBe(true);
    expect(
      verifySignature({ secrets: rotated, headers: signed(OLD_SECRET), rawBody: BODY, now: NOW }),
    ).toMatchObject({
      code: "invalid_signature",
    });
  });

  it("accepts a signature header with several v1 entries when any one matches", () => {
    const headers = signed([OTHER_SECRET, NEW_SECRET, OLD_SECRET]);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(3);
    expect(verifySignature({ secrets: [NEW_SECRET], headers, rawBody: BODY, now: NOW }).ok).toBe(true);

    const good = signed(OLD_SECRET)["webhook-signature"];
    const mixed = { ...headers, "webhook-signature": `v2,abc v1,bm90IGl0 ${good}  v1a,zzz` };
    expect(verifySignature({ secrets: [OLD_SECRET], headers: mixed, rawBody: BODY, now: NOW }).ok).toBe(true);
  });

  it("ignores entries of other versions: a valid HMAC labelled v2 does not count", () => {
    const good = signed(OLD_SECRET)["webhook-signature"].replace(/^v1,/, "v2,");
    const headers = { ...signed(OLD_SECRET), "webhook-signature": good };
    expect(verifySignature({ secrets: [OLD_SECRET], headers, rawBody: BODY, now: NOW })).toMatchObject({
      code: "invalid_signature",
    });
  });

  it("refuses a timestamp 6 minutes old as stale_timestamp", () => {
    const headers = signed(OLD_SECRET, { timestamp: NOW_SECONDS - 6 * 60 });
    expect(verifySignature({ secrets: [OLD_SECRET], headers, rawBody: BODY, now: NOW })).toMatchObject({
      ok: false,
      code: "stale_timestamp",
    });
  });

  it("refuses a timestamp 6 minutes in the future as stale_timestamp", () => {
    const headers = signed(OLD_SECRET, { timestamp: NOW_SECONDS + 6 * 60 });
    expect(verifySignature({ secrets: [OLD_SECRET], headers, rawBody: BODY, now: NOW })).toMatchObject({
      code: "stale_timestamp",
    });
  });

  it("accepts a timestamp exactly 5 minutes away on either side", () => {
    for (const offset of [-300, 300]) {
      const headers = signed(OLD_SECRET, { timestamp: NOW_SECONDS + offset });
      expect(verifySignature({ secrets: [OLD_SECRET], headers, rawBody: BODY, now: NOW }).ok).toBe(true);
    }
  });

  it("uses the real clock when no `now` is given", () => {
    const headers = signPayload({ secret: OLD_SECRET, id: "msg_now", body: BODY });
    expect(verifySignature({ secrets: [OLD_SECRET], headers, rawBody: BODY }).ok).toBe(true);
    expect(
      verifySignature({ secrets: [OLD_SECRET], headers: signed(OLD_SECRET), rawBody: BODY }),
    ).toMatchObject({
      code: "stale_timestamp",
    });
  });

  it("refuses a tampered body, id or timestamp as invalid_signature", () => {
    const headers = signed(OLD_SECRET);
    const tampered = BODY.replace("D1", "D2");
    expect(verifySignature({ secrets: [OLD_SECRET], headers, rawBody: tampered, now: NOW })).toMatchObject({
      code: "invalid_signature",
    });
    expect(verifySignature({ secrets: [OLD_SECRET], headers, rawBody: `${BODY} `, now: NOW })).toMatchObject({
      code: "invalid_signature",
    });
    expect(
      verifySignature({
        secrets: [OLD_SECRET],
        headers: { ...headers, "webhook-id": "msg_2" },
        rawBody: BODY,
        now: NOW,
      }),
    ).toMatchObject({ code: "invalid_signature" });
    const otherTimestamp = { ...headers, "webhook-timestamp": String(NOW_SECONDS + 1) };
    expect(
      verifySignature({ secrets: [OLD_SECRET], headers: otherTimestamp, rawBody: BODY, now: NOW }),
    ).toMatchObject({
      code: "invalid_signature",
    });
  });

  it("does not throw on garbage signature headers and answers invalid_signature", () => {
    const garbage = [
      "garbage",
      "v1",
      "v1,",
      ",,,,",
      "v1,!!!not-base64!!!",
      `v1,${"A".repeat(100_000)}`,
      "v1,\u0000\uffff😀",
      `${" ".repeat(50)}v1,abc`,
      Array.from({ length: 2000 }, () => "v1,xx").join(" "),
    ];
    for (const value of garbage) {
      const headers = { ...signed(OLD_SECRET), "webhook-signature": value };
      expect(() =>
        verifySignature({ secrets: [OLD_SECRET], headers, rawBody: BODY, now: NOW }),
      ).not.toThrow();
      expect(verifySignature({ secrets: [OLD_SECRET], headers, rawBody: BODY, now: NOW })).toMatchObject({
        ok: false,
        code: "invalid_signature",
      });
    }
  });

  it("refuses a non-numeric timestamp as invalid_signature without throwing", () => {
    for (const value of ["soon", "1677719700abc", "-1677719700", "1.5", "1e9", "9".repeat(40)]) {
      const headers = { ...signed(OLD_SECRET), "webhook-timestamp": value };
      const result = verifySignature({ secrets: [OLD_SECRET], headers, rawBody: BODY, now: NOW });
      expect(result.ok).toBe(false);
      expect(result).toMatchObject({ code: expect.stringMatching(/^(invalid_signature|stale_timestamp)$/) });
    }
  });

  it("never matches with malformed or empty secrets, and does not throw on them", () => {
    const headers = signed(OLD_SECRET);
    for (const secrets of [[], ["whsec_"], ["whsec_%%%"], ["not-a-secret"]]) {
      expect(verifySignature({ secrets, headers, rawBody: BODY, now: NOW })).toMatchObject({
        ok: false,
        code: "invalid_signature",
      });
    }
    expect(verifySignature({ secrets: ["whsec_%%%", OLD_SECRET], headers, rawBody: BODY, now: NOW }).ok).toBe(
      true,
    );
  });
});
