import { createHash, randomBytes } from "node:crypto";
import { type DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { DEMO_READER_TOKEN } from "../../intake/sources";
import type { ReaderToken, TokenScope, TokenVerifier } from "../../reports/ports";

/**
 * Report reader tokens, stored hashed: item pk `T#{sha256hex(token)}`, sk `TOKEN`, with the scope
 * (`communes`, `provinces`: lists of codes, `"*"` for all), an optional `expiresAt` (RFC 3339) and
 * its epoch-seconds copy `ttl` (for a DynamoDB TTL on that attribute), and a free `label`.
 * The token itself is never stored: a leaked table does not leak readable tokens.
 */
export const TOKEN_SORT_KEY = "TOKEN";

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function tokenKey(token: string) {
  return { pk: `T#${hashToken(token)}`, sk: TOKEN_SORT_KEY };
}

/** A new random token: `rt_` and 32 random bytes in base64url. */
export function newReaderToken(): string {
  return `rt_${randomBytes(32).toString("base64url")}`;
}

export class DynamoTokenStore implements TokenVerifier {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Stores (or replaces) a token's scope. */
  async put(token: string, record: ReaderToken): Promise<void> {
    const item: Record<string, unknown> = { ...tokenKey(token), scope: normalizeScope(record.scope) };
    if (record.expiresAt) {
      const at = Date.parse(record.expiresAt);
      if (Number.isNaN(at)) throw new RangeError(`expiresAt is not a timestamp: ${record.expiresAt}`);
      item.expiresAt = new Date(at).toISOString();
      item.ttl = Math.ceil(at / 1000);
    }
    if (record.label) item.label = record.label;
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall(item, { removeUndefinedValues: true }),
      }),
    );
  }

  async verify(token: string, now: Date): Promise<ReaderToken | undefined> {
    if (token.length === 0 || token.length > 512) return undefined;
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall(tokenKey(token)) }),
    );
    if (!result.Item) return undefined;
    const item = unmarshall(result.Item);
    const expiresAt = typeof item.expiresAt === "string" ? item.expiresAt : undefined;
    if (expiresAt !== undefined && Date.parse(expiresAt) <= now.getTime()) return undefined;
    return {
      scope: normalizeScope((item.scope ?? {}) as TokenScope),
      ...(expiresAt ? { expiresAt } : {}),
      ...(typeof item.label === "string" ? { label: item.label } : {}),
    };
  }
}

function normalizeScope(scope: TokenScope): TokenScope {
  const out: TokenScope = {};
  if (scope.communes?.length) out.communes = [...new Set(scope.communes)].sort();
  if (scope.provinces?.length) out.provinces = [...new Set(scope.provinces)].sort();
  return out;
}

/** docs/api.md#local-defaults: the local stack's reader token `demo-reader-token`, allowed for every unit. Idempotent. */
export async function seedDemoReaderToken(client: DynamoDBClient, tableName: string): Promise<void> {
  await new DynamoTokenStore(client, tableName).put(DEMO_READER_TOKEN, {
    scope: { provinces: ["*"] },
    label: "local development reader token",
  });
}
