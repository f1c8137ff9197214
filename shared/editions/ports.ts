/**
 * What the edition use cases need from the outside world (docs/editions.md): the DynamoDB store of
 * editions and revisions and the S3 store of issued and preview files implement these.
 */
import type { PeriodSpec } from "../domain/calendar";
import type { AuditRecord } from "../people/audit-record";
import type { ReportFile } from "../reports/ports";
import type { EditionRecord, EditionRevision, IssuedFile } from "./edition";

/** A write refused because the edition is not what the writer last saw. */
export type WriteOutcome =
  | { ok: true; record: EditionRecord }
  | { ok: false; reason: "conflict" | "issued" | "missing" | "exists"; current?: EditionRecord };

export interface EditionStore {
  /** The unit's current (latest) edition of the period, read strongly consistent. */
  current(unit: string, period: PeriodSpec): Promise<EditionRecord | undefined>;
  /** A given edition number (the current one or an earlier, superseded or issued). */
  edition(unit: string, period: PeriodSpec, edition: number): Promise<EditionRecord | undefined>;
  /** The current edition of each unit (absent when none), in one batch. */
  currentOf(units: readonly string[], period: PeriodSpec): Promise<Map<string, EditionRecord>>;
  /** Every revision of an edition, oldest first. */
  revisions(unit: string, period: PeriodSpec, edition: number): Promise<EditionRevision[]>;
  revision(
    unit: string,
    period: PeriodSpec,
    edition: number,
    revision: number,
  ): Promise<EditionRevision | undefined>;
  /** A new edition: its first revision, the audit record; refused ("exists") when the unit and period
   * already have one. A correction (`record.corrects`) also keeps the issued edition it corrects. */
  create(record: EditionRecord, revision: EditionRevision, audit: AuditRecord): Promise<WriteOutcome>;
  /** A new revision of the current draft, only when its revision is still `expected`. */
  save(
    record: EditionRecord,
    expected: number,
    revision: EditionRevision,
    audit: AuditRecord,
  ): Promise<WriteOutcome>;
  /** The current draft, issued at revision `expected` (unchanged), the corrected edition superseded. */
  issue(record: EditionRecord, expected: number, audit: AuditRecord): Promise<WriteOutcome>;
}

export interface EditionFileStore {
  /** Stores a file under a key that was never written (S3 conditional write); refuses otherwise. */
  putOnce(key: string, file: ReportFile, downloadName: string): Promise<IssuedFile>;
  /** A temporary file (a preview, a bundle, an export) under a random key. */
  putTemporary(key: string, body: Buffer, contentType: string, downloadName: string): Promise<void>;
  /** A presigned GET URL valid `seconds` from `now`. */
  presign(key: string, seconds: number, now: Date): Promise<string>;
  read(key: string): Promise<Buffer>;
}
