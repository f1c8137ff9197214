/**
 * An audit record (docs/people.md#audit): appended by every write (edition save, issue, grant,
 * revoke), never updated or deleted by the API, kept at least 5 years (no TTL). Pure data: the
 * DynamoDB item is written in the same transaction as the write it records, so a refused request
 * leaves none and an accepted one always has its record.
 */
export const AUDIT_ACTIONS = [
  "edition.create",
  "edition.save",
  "edition.issue",
  "edition.correct",
  "grant.put",
  "grant.revoke",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditRecord {
  /** Who: the person's issuer, subject and display name at the time. */
  readonly by: { readonly issuer: string; readonly subject: string; readonly name: string };
  readonly action: AuditAction;
  /** On what: an edition (`{unit}/{year}/{period}#{edition}`) or a grantee's e-mail. */
  readonly target: string;
  /** The unit (commune or province code) the write concerns; for a grant, each unit it names. */
  readonly unit: string;
  /** The period spec of the write, when it concerns one (`2023`, `2023-Q2`…). */
  readonly period?: string;
  /** RFC 3339. */
  readonly at: string;
  readonly requestId: string;
  /** What was written, briefly (for a grant: the role, units and disabled flag it now has). */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Item key: one partition per unit, sorted by time, so admins read a unit's records in order. */
export function auditKey(record: Pick<AuditRecord, "unit" | "at" | "requestId" | "action">) {
  return { pk: `AU#${record.unit}`, sk: `${record.at}#${record.requestId}#${record.action}` };
}
