import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { DvcqgConfig } from "../intake/sources";

/**
 * Log-in and sessions of the DVCQG-compatible intake (docs/dvcqg.md).
 * - A session is 32 random bytes (256 bits), handed out once; the store keeps only its SHA-256,
 *   the source it belongs to and its expiry (with a DynamoDB TTL for the clean-up).
 * - Failed log-ins are counted per source in fixed windows in the table, so the lock-out holds
 *   across Lambda instances: from the `LOCKOUT_MAX_FAILURES`th failure in a window, every log-in to
 *   that source (a correct one too) is refused with 429 until the window ends.
 */
export const SESSION_TTL_SECONDS = 60 * 60;
export const LOCKOUT_MAX_FAILURES = 10;
export const LOCKOUT_WINDOW_SECONDS = 15 * 60;

export interface SessionStore {
  /** Stores a new session's hash for the source; it expires at `expiresAt` (epoch ms). */
  create(sessionHash: string, sourceId: string, expiresAt: number): Promise<void>;
  /** The source of an unexpired session, by its hash. */
  sourceOf(sessionHash: string, now: number): Promise<string | undefined>;
  /** Failed log-ins of the source in the window starting at `windowStart` (epoch ms). */
  failures(sourceId: string, windowStart: number): Promise<number>;
  /** Counts one failed log-in in that window; the count expires with the window. */
  recordFailure(sourceId: string, windowStart: number, windowEnd: number): Promise<void>;
}

export function hashSession(session: string): string {
  return createHash("sha256").update(session, "utf8").digest("hex");
}

export function newSession(): string {
  return `dqs_${randomBytes(32).toString("base64url")}`;
}

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * Whether the username and password are the source's, compared in constant time: both are hashed
 * to equal-length digests and both comparisons always run, so timing tells neither which one failed
 * nor how much of it matched.
 */
export function credentialsMatch(config: DvcqgConfig, username: string, password: string): boolean {
  const userOk = timingSafeEqual(digest(username), digest(config.username));
  const passwordOk = timingSafeEqual(digest(password), digest(config.password));
  return userOk && passwordOk;
}

export function lockoutWindow(now: number): { start: number; end: number } {
  const length = LOCKOUT_WINDOW_SECONDS * 1000;
  const start = Math.floor(now / length) * length;
  return { start, end: start + length };
}

export type LoginOutcome =
  | { kind: "ok"; session: string; expiresIn: number }
  | { kind: "refused" }
  | { kind: "locked"; retryAfterSeconds: number };

/** One log-in attempt: the lock-out first (a correct password is refused during it), then the check. */
export async function logIn(
  store: SessionStore,
  source: { id: string; dvcqg?: DvcqgConfig | undefined },
  username: string,
  password: string,
  now: number,
): Promise<LoginOutcome> {
  const window = lockoutWindow(now);
  if ((await store.failures(source.id, window.start)) >= LOCKOUT_MAX_FAILURES) {
    return { kind: "locked", retryAfterSeconds: Math.max(1, Math.ceil((window.end - now) / 1000)) };
  }
  if (!source.dvcqg || !credentialsMatch(source.dvcqg, username, password)) {
    await store.recordFailure(source.id, window.start, window.end);
    return { kind: "refused" };
  }
  const session = newSession();
  await store.create(hashSession(session), source.id, now + SESSION_TTL_SECONDS * 1000);
  return { kind: "ok", session, expiresIn: SESSION_TTL_SECONDS };
}
