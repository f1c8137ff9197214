import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";
import * as z from "zod";
import { communeCodeSchema, provinceCodeSchema } from "../domain/unit-codes";

/**
 * Webhook sources: who may send events, with which secrets, for which units.
 *
 * Configuration (exactly one of, read at startup):
 * - `SOURCES_JSON`: a JSON array of sources;
 * - `SOURCES_FILE`: the path of a file holding that array;
 * - `SOURCES_SECRET_ARN`: a Secrets Manager secret whose SecretString is that array, fetched on
 *   first use and again at most every 5 minutes (Powertools parameters' cache), so rotated secrets
 *   apply without a redeploy.
 * With none of them, `LOCAL_DEFAULTS=1` (local stack only) gives the contract's development source
 * `demo`; otherwise loading fails with an explicit error, since a deployed stack has no defaults.
 *
 * A source is `{"id", "secrets": ["whsec_…", …], "allowedProvinces"?, "allowedCommunes"?, "dvcqg"?}`
 * (`dvcqg`: the national-portal-compatible log-in and agency map, see `dvcqgConfigSchema`).
 * Scope: with neither list (or with `"*"` in either) every unit is allowed; otherwise a unit is
 * allowed when its commune is in `allowedCommunes` or its province in `allowedProvinces`.
 * Several secrets are all accepted at once, which is how a secret is rotated: add the new one,
 * wait for the cache (5 minutes), switch the sender, then remove the old one.
 */

const MIN_SECRET_BYTES = 16;

/** A Standard Webhooks secret: `whsec_` and the base64 key (at least 16 bytes). */
export const webhookSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, "a Standard Webhooks secret: `whsec_` followed by base64")
  .refine(
    (secret) => {
      try {
        return (
          Buffer.from(secret.slice("whsec_".length), "base64").byteLength >= MIN_SECRET_BYTES &&
          !!new Webhook(secret)
        );
      } catch {
        return false;
      }
    },
    { message: `the key must be valid base64 of at least ${MIN_SECRET_BYTES} bytes` },
  );

const wildcard = z.literal("*");

/**
 * The DVCQG-compatible intake of a source (docs/dvcqg.md): the username and password the
 * provincial system logs in with, and its agency codes (mã định danh đơn vị) → 5-digit commune codes.
 * `communeCodesAsAgencies` (the local `demo` source only) lets a 5-digit commune code stand for itself.
 */
export const dvcqgConfigSchema = z.strictObject({
  username: z.string().min(1).max(256),
  password: z.string().min(16, "at least 16 characters").max(1024),
  agencies: z.record(z.string().min(1).max(64), communeCodeSchema).default({}),
  communeCodesAsAgencies: z.boolean().optional(),
});
export type DvcqgConfig = z.infer<typeof dvcqgConfigSchema>;

export const sourceSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "1–64 characters of [A-Za-z0-9._-]"),
  secrets: z.array(webhookSecretSchema).min(1, "at least one secret"),
  allowedProvinces: z.union([wildcard, z.array(z.union([wildcard, provinceCodeSchema]))]).optional(),
  allowedCommunes: z.union([wildcard, z.array(z.union([wildcard, communeCodeSchema]))]).optional(),
  dvcqg: dvcqgConfigSchema.optional(),
});

export const sourcesConfigSchema = z.array(sourceSchema).superRefine((sources, ctx) => {
  const seen = new Set<string>();
  sources.forEach((source, index) => {
    if (seen.has(source.id)) {
      ctx.addIssue({ code: "custom", message: `duplicate source id "${source.id}"`, path: [index, "id"] });
    }
    seen.add(source.id);
  });
});

export type Source = z.infer<typeof sourceSchema>;

/** docs/api.md#local-defaults: the local stack's development source. Never configured in a deployed stack. */
export const DEMO_SOURCE: Source = Object.freeze({
  id: "demo",
  secrets: Object.freeze(["whsec_ZGVtby1zZWNyZXQtZG8tbm90LXVzZS1pbi1wcm9kdWN0aW9u"]) as string[],
  // docs/dvcqg.md: the demo source's DVCQG log-in; any 5-digit commune code is an agency.
  dvcqg: Object.freeze({
    username: "demo",
    password: "demo-dvcqg-password-do-not-use-in-production",
    agencies: Object.freeze({}) as Record<string, string>,
    communeCodesAsAgencies: true,
  }),
});
/** docs/api.md#local-defaults: the local stack's development reader token, allowed for every unit. */
export const DEMO_READER_TOKEN = "demo-reader-token";

export const SOURCES_CACHE_MS = 5 * 60 * 1000;
/** After a failed refresh the previous configuration is kept and the fetch retried this much later. */
const RETRY_AFTER_FAILURE_MS = 30 * 1000;

export interface SourceDirectory {
  /** The source with that id, or undefined. Rejects only when the configuration cannot be read at all. */
  get(id: string): Promise<Source | undefined>;
  /** Where the configuration comes from, for logs (never a secret). */
  readonly origin: string;
}

/** What the directory needs of a secret store: Powertools' SecretsProvider has this shape. */
export interface SecretStore {
  /** The secret's value, from a cache younger than `maxAge` seconds or else fetched. */
  get(name: string, options: { maxAge: number }): Promise<unknown>;
}

export interface LoadSourcesOptions {
  /** Default: Powertools' SecretsProvider on AWS Secrets Manager. */
  secrets?: SecretStore;
  /** Clock of the retry after a failed refresh (default: Date.now). */
  now?: () => number;
}

export class SourcesConfigError extends Error {
  override name = "SourcesConfigError";
}

/** Parses and validates a configuration (a JSON string or an already parsed value). */
export function parseSources(input: unknown, origin: string): Source[] {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      // Not the parser's message: it quotes the input, which holds secrets.
      throw new SourcesConfigError(`${origin}: not valid JSON`);
    }
  }
  const parsed = sourcesConfigSchema.safeParse(value);
  if (!parsed.success) {
    // Issue messages and paths only: never echo the input, it holds secrets.
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new SourcesConfigError(`${origin}: invalid sources configuration: ${issues.join("; ")}`);
  }
  return parsed.data;
}

function staticDirectory(sources: readonly Source[], origin: string): SourceDirectory {
  const byId = new Map(sources.map((source) => [source.id, source]));
  return { origin, get: async (id) => byId.get(id) };
}

async function secretsManagerStore(): Promise<SecretStore> {
  // Imported on demand: only a stack configured with SOURCES_SECRET_ARN pays for the client.
  const [{ SecretsProvider }, { secretsManagerClientFromEnv }] = await Promise.all([
    import("@aws-lambda-powertools/parameters/secrets"),
    import("../adapters/secrets-client"),
  ]);
  return new SecretsProvider({ awsSdkV3Client: secretsManagerClientFromEnv() });
}

/**
 * Caching is Powertools' (SecretsProvider, `maxAge`); what it does not do is kept here: the last good
 * configuration is served while Secrets Manager fails or holds an invalid value, and the fetch is
 * retried 30 s later rather than on every request (docs/reliability.md).
 */
function secretDirectory(arn: string, options: LoadSourcesOptions): SourceDirectory {
  const now = options.now ?? Date.now;
  const origin = `SOURCES_SECRET_ARN (${arn})`;
  let store: Promise<SecretStore> | undefined;
  let parsedText: string | undefined;
  let current: Map<string, Source> | undefined;
  let retryAt = 0;

  const read = async (): Promise<Map<string, Source>> => {
    store ??= options.secrets ? Promise.resolve(options.secrets) : secretsManagerStore();
    const text = await (await store).get(arn, { maxAge: SOURCES_CACHE_MS / 1000 });
    if (typeof text !== "string") throw new SourcesConfigError(`${origin}: the secret has no SecretString`);
    if (text !== parsedText || !current) {
      const sources = parseSources(text, origin);
      current = new Map(sources.map((source) => [source.id, source]));
      parsedText = text;
    }
    return current;
  };

  return {
    origin,
    async get(id) {
      if (current && now() < retryAt) return current.get(id);
      try {
        return (await read()).get(id);
      } catch (error) {
        // Keep serving the last good configuration; without one, the caller sees the failure.
        if (!current) throw error;
        retryAt = now() + RETRY_AFTER_FAILURE_MS;
        return current.get(id);
      }
    },
  };
}

/**
 * The source directory configured by the environment. Throws `SourcesConfigError` when nothing is
 * configured (outside `LOCAL_DEFAULTS=1`), when more than one option is set, or when a static
 * configuration is invalid. A Secrets Manager configuration is read on first use.
 */
export function loadSources(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadSourcesOptions = {},
): SourceDirectory {
  const configured = (["SOURCES_JSON", "SOURCES_FILE", "SOURCES_SECRET_ARN"] as const).filter(
    (name) => (env[name] ?? "").trim() !== "",
  );
  if (configured.length > 1) {
    throw new SourcesConfigError(
      `set only one of SOURCES_JSON, SOURCES_FILE, SOURCES_SECRET_ARN (got ${configured.join(", ")})`,
    );
  }
  const [option] = configured;
  if (option === "SOURCES_JSON") {
    return staticDirectory(parseSources(env.SOURCES_JSON, "SOURCES_JSON"), "SOURCES_JSON");
  }
  if (option === "SOURCES_FILE") {
    const path = env.SOURCES_FILE!.trim();
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      throw new SourcesConfigError(
        `SOURCES_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? error})`,
      );
    }
    return staticDirectory(parseSources(text, `SOURCES_FILE ${path}`), `SOURCES_FILE ${path}`);
  }
  if (option === "SOURCES_SECRET_ARN") {
    return secretDirectory(env.SOURCES_SECRET_ARN!.trim(), options);
  }
  if (env.LOCAL_DEFAULTS === "1") {
    return staticDirectory([DEMO_SOURCE], "LOCAL_DEFAULTS (development source demo)");
  }
  throw new SourcesConfigError(
    "no webhook sources configured: set SOURCES_JSON, SOURCES_FILE or SOURCES_SECRET_ARN (LOCAL_DEFAULTS=1 is for the local stack only)",
  );
}

export interface UnitRef {
  communeCode: string;
  /** The commune's province on the event's date, from the unit registry. */
  provinceCode?: string | undefined;
}

/** Whether a source may send events about a unit. */
export function isInScope(
  source: Pick<Source, "allowedProvinces" | "allowedCommunes">,
  unit: UnitRef,
): boolean {
  const { allowedProvinces: provinces, allowedCommunes: communes } = source;
  if (provinces === undefined && communes === undefined) return true;
  if (provinces === "*" || communes === "*" || provinces?.includes("*") || communes?.includes("*"))
    return true;
  if (communes?.includes(unit.communeCode)) return true;
  return unit.provinceCode !== undefined && (provinces?.includes(unit.provinceCode) ?? false);
}
