import { timingSafeEqual } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { type HttpHeaders, headerValue } from "../http-headers";

/**
 * Standard Webhooks v1 (symmetric) signatures (docs/api.md#signature).
 *
 * The signed content is `{webhook-id}.{webhook-timestamp}.{raw body}`, HMAC-SHA256 keyed with the
 * base64 part of a `whsec_` secret; `webhook-signature` holds space-separated `v1,<base64>`
 * entries and any one matching entry suffices. Several secrets may be configured per source
 * (rotation): the request is authentic if any secret matches any entry.
 *
 * The HMAC and the canonical signed content come from the `standardwebhooks` package
 * (`Webhook#sign`). Its `Webhook#verify` is not used, because it reads `Date.now()` (no clock can be
 * injected), accepts timestamps such as `"1700000000abc"` (`parseInt`), JSON-parses the body by
 * default (a `SyntaxError` escapes for a non-JSON body with a valid signature) and reports every
 * failure as one error class whose message is the only way to tell a stale timestamp from a bad
 * signature. The header parsing and comparison below follow it otherwise: entries split on
 * whitespace, only `v1` entries count, constant-time comparison.
 */

export const SIGNATURE_HEADERS = {
  id: "webhook-id",
  timestamp: "webhook-timestamp",
  signature: "webhook-signature",
} as const;

/** docs/api.md#signature: a timestamp more than 5 minutes from the receiver's clock is refused. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export type SignatureErrorCode = "missing_signature" | "invalid_signature" | "stale_timestamp";
export type SignatureCheck = { ok: true } | { ok: false; code: SignatureErrorCode; message: string };

export interface VerifyInput {
  /** The source's `whsec_…` secrets; invalid ones never match (and never throw). */
  secrets: readonly string[];
  headers: HttpHeaders | null | undefined;
  /** The body exactly as received, before any parsing. */
  rawBody: string | Buffer;
  /** The receiver's clock (default: now). */
  now?: Date | number;
}

/** A type alias (not an interface) so that it is assignable to a plain header record. */
export type SignatureHeaderSet = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

const webhooks = new Map<string, Webhook | null>();

/** The library's signer for a secret, built once (it decodes the key); null for a malformed secret. */
function webhookFor(secret: string): Webhook | null {
  let webhook = webhooks.get(secret);
  if (webhook === undefined) {
    try {
      webhook = new Webhook(secret);
    } catch {
      webhook = null;
    }
    if (webhooks.size > 1000) webhooks.clear();
    webhooks.set(secret, webhook);
  }
  return webhook;
}

const TIMESTAMP = /^\d{1,15}$/;

function fail(code: SignatureErrorCode, message: string): SignatureCheck {
  return { ok: false, code, message };
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Checks a request's Standard Webhooks signature. Never throws. */
export function verifySignature(input: VerifyInput): SignatureCheck {
  try {
    return verify(input);
  } catch {
    return fail("invalid_signature", "the signature could not be verified");
  }
}

function verify({ secrets, headers, rawBody, now }: VerifyInput): SignatureCheck {
  const id = headerValue(headers, SIGNATURE_HEADERS.id)?.trim();
  const timestamp = headerValue(headers, SIGNATURE_HEADERS.timestamp)?.trim();
  const signature = headerValue(headers, SIGNATURE_HEADERS.signature)?.trim();
  const missing = [
    id ? undefined : SIGNATURE_HEADERS.id,
    timestamp ? undefined : SIGNATURE_HEADERS.timestamp,
    signature ? undefined : SIGNATURE_HEADERS.signature,
  ].filter((name) => name !== undefined);
  if (!id || !timestamp || !signature) {
    return fail("missing_signature", `missing header${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  }

  if (!TIMESTAMP.test(timestamp)) {
    return fail("invalid_signature", "webhook-timestamp must be an integer number of Unix seconds");
  }
  const seconds = Number(timestamp);
  const nowMs = now === undefined ? Date.now() : typeof now === "number" ? now : now.getTime();
  const nowSeconds = Math.floor(nowMs / 1000);
  if (Math.abs(nowSeconds - seconds) > TIMESTAMP_TOLERANCE_SECONDS) {
    return fail(
      "stale_timestamp",
      `webhook-timestamp is ${Math.abs(nowSeconds - seconds)} s from the receiver's clock (at most ${TIMESTAMP_TOLERANCE_SECONDS} s allowed)`,
    );
  }

  const candidates: string[] = [];
  for (const entry of signature.split(/\s+/)) {
    const comma = entry.indexOf(",");
    if (comma > 0 && entry.slice(0, comma) === "v1") candidates.push(entry.slice(comma + 1));
  }
  if (candidates.length === 0) {
    return fail("invalid_signature", "webhook-signature has no `v1,<base64>` entry");
  }

  const signedAt = new Date(seconds * 1000);
  for (const secret of secrets) {
    const webhook = webhookFor(secret);
    if (!webhook) continue;
    // `sign` answers "v1,<base64>" for `{id}.{timestamp}.{body}`.
    const expected = webhook.sign(id, signedAt, rawBody).slice(3);
    if (candidates.some((candidate) => constantTimeEqual(candidate, expected))) return { ok: true };
  }
  return fail("invalid_signature", "no webhook-signature entry matches the source's secrets");
}

export interface SignInput {
  /** One `whsec_…` secret, or several to send one `v1` entry per secret (rotation on the sender side). */
  secret: string | readonly string[];
  /** The `webhook-id`: a unique message id. */
  id: string;
  /** When the message is sent: a Date, or Unix seconds (default: now). */
  timestamp?: Date | number;
  /** The exact body that will be sent. */
  body: string | Buffer;
}

/** The three Standard Webhooks headers for a body, signed with the same library the receiver uses. */
export function signPayload({ secret, id, timestamp, body }: SignInput): SignatureHeaderSet {
  const at =
    timestamp === undefined
      ? new Date()
      : typeof timestamp === "number"
        ? new Date(timestamp * 1000)
        : timestamp;
  const secrets = typeof secret === "string" ? [secret] : secret;
  const entries = secrets.map((one) => new Webhook(one).sign(id, at, body));
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": entries.join(" "),
  };
}
