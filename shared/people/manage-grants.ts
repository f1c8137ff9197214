/**
 * Granting and revoking (docs/people.md#grants), for the API (an admin, within its units) and the
 * command line (an operator, any unit, `"*"` allowed). Each write appends one audit record per unit
 * it concerns (the grant's units before and after), in the same transaction as the write.
 * Pure: the repository port is shared/adapters/dynamo/grant-store.ts.
 */
import type { AuditAction, AuditRecord } from "./audit-record";
import type { Person, Role } from "./caller";
import { type Grant, refusalToGrant, refusalToRevoke, UNNAMED_PERSON } from "./grants";

export interface VersionedGrant extends Grant {
  readonly v: number;
}

export interface GrantRepository {
  byEmail(email: string): Promise<VersionedGrant | undefined>;
  save(next: Grant, expected: number, audit: readonly AuditRecord[]): Promise<void>;
  remove(existing: VersionedGrant, audit: readonly AuditRecord[]): Promise<void>;
}

/** Who writes: a signed-in admin (API) or an operator at the command line (`grantedBy: cli:<name>`). */
export type GrantActor =
  | { readonly kind: "person"; readonly person: Person }
  | { readonly kind: "operator"; readonly name: string };

export interface GrantChange {
  readonly role: Role;
  readonly units: readonly string[];
  readonly name?: string;
  readonly disabled?: boolean;
}

export type GrantOutcome =
  | { readonly ok: true; readonly grant: Grant; readonly created: boolean }
  | { readonly ok: false; readonly reason: "forbidden"; readonly message: string };

export type RevokeOutcome =
  | { readonly ok: true; readonly revoked: Grant }
  | { readonly ok: false; readonly reason: "forbidden" | "not_found"; readonly message: string };

interface Context {
  readonly now: Date;
  readonly requestId: string;
}

function actorRecord(actor: GrantActor): AuditRecord["by"] {
  return actor.kind === "person"
    ? { issuer: actor.person.issuer, subject: actor.person.subject, name: actor.person.name }
    : { issuer: "cli", subject: actor.name, name: actor.name };
}

function auditRecords(
  actor: GrantActor,
  action: AuditAction,
  email: string,
  units: readonly string[],
  context: Context,
  detail: Record<string, unknown>,
): AuditRecord[] {
  return [...new Set(units)].sort().map((unit) => ({
    by: actorRecord(actor),
    action,
    target: email,
    unit,
    at: context.now.toISOString(),
    requestId: context.requestId,
    detail,
  }));
}

export async function putGrant(
  repository: GrantRepository,
  actor: GrantActor,
  email: string,
  change: GrantChange,
  context: Context,
): Promise<GrantOutcome> {
  const existing = await repository.byEmail(email);
  if (actor.kind === "person") {
    const refusal = refusalToGrant(actor.person, change, existing);
    if (refusal) return { ok: false, reason: "forbidden", message: refusal };
  }
  const next: Grant = {
    email,
    name: change.name ?? existing?.name ?? UNNAMED_PERSON,
    role: change.role,
    units: [...new Set(change.units)].sort(),
    grantedBy: actor.kind === "person" ? actor.person.subject : `cli:${actor.name}`,
    grantedAt: context.now.toISOString(),
    disabled: change.disabled ?? existing?.disabled ?? false,
    ...(existing?.issuer && existing.subject ? { issuer: existing.issuer, subject: existing.subject } : {}),
  };
  const detail = { role: next.role, units: next.units, disabled: next.disabled };
  const units = [...next.units, ...(existing?.units ?? [])];
  await repository.save(
    next,
    existing?.v ?? 0,
    auditRecords(actor, "grant.put", email, units, context, detail),
  );
  return { ok: true, grant: next, created: existing === undefined };
}

export async function revokeGrant(
  repository: GrantRepository,
  actor: GrantActor,
  email: string,
  context: Context,
): Promise<RevokeOutcome> {
  const existing = await repository.byEmail(email);
  if (!existing) return { ok: false, reason: "not_found", message: `no grant for ${email}` };
  if (actor.kind === "person") {
    const refusal = refusalToRevoke(actor.person, existing);
    if (refusal) return { ok: false, reason: "forbidden", message: refusal };
  }
  const detail = { role: existing.role, units: existing.units };
  await repository.remove(
    existing,
    auditRecords(actor, "grant.revoke", email, existing.units, context, detail),
  );
  return { ok: true, revoked: existing };
}
