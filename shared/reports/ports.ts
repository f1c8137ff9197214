/**
 * What the report use cases need from the outside world, as interfaces: the DynamoDB and S3
 * adapters implement them (shared/adapters), tests may fake them.
 */
import type { LocalDate, MonthKey, PeriodSpec } from "../domain/calendar";
import type { AggregateRecord, MonthWindow } from "../domain/form-ii06a";
import type { StoredListing } from "./build-model";

/** Reads a commune's aggregates and listings (never events). */
export interface AggregateSource {
  /** Every aggregate record of the commune up to `lastMonth` included. */
  readRecords(communeCode: string, lastMonth: MonthKey): Promise<AggregateRecord[]>;
  /** The listings that can appear in a report of that window (late in it, overdue runs begun by its end). */
  readListings(communeCode: string, window: MonthWindow): Promise<StoredListing[]>;
  /** Whether the commune has any aggregate record up to `lastMonth` (one cheap read). */
  hasData(communeCode: string, lastMonth: MonthKey): Promise<boolean>;
}

/**
 * The intake's commit markers (docs/portal.md#live-figures-cache): per commune, a count every intake
 * transaction that changes the commune's aggregates or listings bumps.
 */
export interface CommitMarkers {
  /** The current count of each commune (0 for one never committed to), read strongly consistent. */
  read(communeCodes: readonly string[]): Promise<Map<string, number>>;
}

export type ReportFormat = "json" | "xlsx" | "docx";

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: "application/json; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

/** Which report: a commune's or a province roll-up, for a period. */
export type ReportTarget =
  | { kind: "commune"; communeCode: string; provinceCode: string; period: PeriodSpec }
  | { kind: "province"; provinceCode: string; period: PeriodSpec };

export interface ReportFile {
  format: ReportFormat;
  body: Buffer;
}

export interface StoredReport {
  format: ReportFormat;
  key: string;
  lastModified?: Date;
  size?: number;
}

export interface PresignedLink {
  format: ReportFormat;
  url: string;
  /** RFC 3339: when the URL stops working. */
  expiresAt: string;
}

/** Where built reports live and how readers get them. */
export interface ReportStore {
  /** Uploads the files of a report, replacing any earlier build. */
  save(target: ReportTarget, files: ReportFile[]): Promise<StoredReport[]>;
  /** The formats stored for a report (empty when it was never built). */
  list(target: ReportTarget): Promise<StoredReport[]>;
  /** A presigned GET URL valid `expiresInSeconds` from `now`. */
  presign(stored: StoredReport, expiresInSeconds: number, now: Date): Promise<PresignedLink>;
  /** When each commune's report of a province and period was last built (for roll-up readiness). */
  builtCommunes(provinceCode: string, period: PeriodSpec): Promise<Map<string, Date>>;
}

/** Reader tokens: stored hashed, scoped to communes and/or provinces. */
export interface TokenScope {
  /** Commune codes, or "*" for every commune. */
  communes?: string[];
  /** Province codes, or "*" for every province (and so every commune). */
  provinces?: string[];
}

export interface ReaderToken {
  scope: TokenScope;
  /** RFC 3339; absent: never expires. */
  expiresAt?: string;
  label?: string;
}

export interface TokenVerifier {
  /** The token's record when the token is known and not expired at `now`, else undefined. */
  verify(token: string, now: Date): Promise<ReaderToken | undefined>;
}

export type { LocalDate };
