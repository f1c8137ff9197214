/**
 * A report edition (docs/editions.md): what officials write around the computed figures (the
 * sections' texts, the counts the product cannot compute, the document block), kept, versioned and
 * issued. Pure: the schemas of what a client may send, the PUT merge, what each revision changed,
 * carry-over, issue completeness, drift and the province's sums. No AWS, no HTTP.
 */
import * as z from "zod";
import type { PeriodSpec } from "../domain/calendar";
import type { ReportFormat } from "../reports/ports";
import type { FigureTotals } from "./province-status";
import { MAX_SECTION_CHARS, SECTION_IDS, type SectionId } from "./sections";

export type { FigureTotals };

/** At most this many bytes of JSON for an edition's texts, numbers and document together. */
export const MAX_EDITION_BYTES = 200 * 1024;

/** Whether `text` holds a control character (C0, DEL, C1); a line feed is allowed where `lineFeeds`. */
export function hasControlCharacter(text: string, lineFeeds: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 && lineFeeds) continue;
    if (code < 32 || (code >= 127 && code <= 159)) return true;
  }
  return false;
}

const sectionText = z
  .string()
  .max(MAX_SECTION_CHARS, `at most ${MAX_SECTION_CHARS} characters a section`)
  .refine((text) => !hasControlCharacter(text, true), "no control characters (only line feeds)");

const line = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((text) => !hasControlCharacter(text, false), "one line, no control characters");

const count = z.number().int("a whole number").min(0, "not negative").max(1_000_000_000);
const group = <K extends string>(names: readonly K[]) =>
  z.strictObject(
    Object.fromEntries(names.map((name) => [name, count.optional()])) as Record<
      K,
      z.ZodOptional<typeof count>
    >,
  );
const procedureNames = z.array(line(500)).max(500);

/** The counts officials state, each a non-negative integer or absent (docs/editions.md#sections). */
export const numbersShape = {
  procedures: group(["total", "central", "provincial"] as const),
  vertical: group(["total", "police", "military"] as const),
  proceduresChanged: group(["issued", "abolished", "amended"] as const),
  publications: count,
  reviewed: group(["procedures", "fields"] as const),
  proposals: z.strictObject({
    new: procedureNames.optional(),
    abolish: procedureNames.optional(),
    simplify: procedureNames.optional(),
  }),
  initiatives: count,
  inspections: count,
};
export type NumberName = keyof typeof numbersShape;
export const NUMBER_NAMES = Object.keys(numbersShape) as NumberName[];

export const documentShape = {
  number: line(50),
  place: line(100),
  /** YYYY-MM-DD, in the period's year or the next (checked against the period). */
  date: z.iso.date(),
  recipients: z.array(line(200)).min(1).max(30),
  authority: line(50),
  signerTitle: line(100),
  signerName: line(100),
  preparerName: line(100),
};
export type DocumentField = keyof typeof documentShape;
export const DOCUMENT_FIELDS = Object.keys(documentShape) as DocumentField[];

const optionalAll = <S extends Record<string, z.ZodType>>(shape: S) =>
  z.strictObject(
    Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.optional()])) as {
      [K in keyof S]: z.ZodOptional<S[K]>;
    },
  );
const nullableAll = <S extends Record<string, z.ZodType>>(shape: S) =>
  z.strictObject(
    Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.nullable().optional()])) as {
      [K in keyof S]: z.ZodOptional<z.ZodNullable<S[K]>>;
    },
  );

const textsShape = Object.fromEntries(SECTION_IDS.map((id) => [id, sectionText])) as Record<
  SectionId,
  typeof sectionText
>;

export const textsSchema = optionalAll(textsShape).meta({
  id: "EditionTexts",
  description: `The sections written, by id (${SECTION_IDS.join(", ")}); plain text, paragraphs on blank lines, "- " list items.`,
});
export const numbersSchema = optionalAll(numbersShape).meta({ id: "EditionNumbers" });
export const documentSchema = optionalAll(documentShape).meta({ id: "EditionDocument" });

export type EditionTexts = Partial<Record<SectionId, string>>;
export type EditionNumbers = z.infer<typeof numbersSchema>;
export type EditionDocument = z.infer<typeof documentSchema>;

export interface EditionContent {
  texts: EditionTexts;
  numbers: EditionNumbers;
  document: EditionDocument;
}

/** The body of `PUT /v1/editions/{unit}/{year}`: each key given replaces, `null` clears, absent keeps. */
export const editionPutSchema = z
  .strictObject({
    texts: nullableAll(textsShape).optional(),
    numbers: nullableAll(numbersShape).optional(),
    document: nullableAll(documentShape).optional(),
  })
  .meta({ id: "EditionPut" });
export type EditionPut = z.infer<typeof editionPutSchema>;

export const EDITION_STATUSES = ["draft", "issued", "superseded"] as const;
export type EditionStatus = (typeof EDITION_STATUSES)[number];

/** Who did something, as kept in an edition (the name is shown, never logged). */
export interface EditionActor {
  name: string;
}

/** The Form II.06a totals an issue froze, and the live minus frozen difference. */

export interface IssuedFile {
  format: ReportFormat;
  /** The object key: written once, never again (docs/editions.md#freezing). */
  key: string;
  /** Lowercase hex SHA-256 of the bytes stored. */
  sha256: string;
  size: number;
}

export interface IssuedBlock {
  at: string;
  by: EditionActor;
  /** When the aggregates the files were built from were read. */
  figuresAsOf: string;
  files: IssuedFile[];
  figures: FigureTotals;
}

/** An edition as stored: the head of one edition number of a unit and period. */
export interface EditionRecord extends EditionContent {
  unit: string;
  period: PeriodSpec;
  edition: number;
  status: EditionStatus;
  revision: number;
  savedAt: string;
  savedBy: EditionActor;
  /** The previous period's issued edition the draft started from. */
  carriedFrom?: { year: number; edition: number };
  /** A correction: the issued edition it started from. */
  corrects?: number;
  issued?: IssuedBlock;
}

/** One revision: the creation (1) or a save, whole, with what it changed. */
export interface EditionRevision extends EditionContent {
  revision: number;
  savedAt: string;
  savedBy: EditionActor;
  sections: string[];
}

export const emptyContent = (): EditionContent => ({ texts: {}, numbers: {}, document: {} });

// --- PUT merge ------------------------------------------------------------------------------------

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function mergeGroup(
  current: Record<string, unknown>,
  put: Record<string, unknown> | undefined,
  label: (key: string) => string,
  changed: string[],
): Record<string, unknown> {
  const next = { ...current };
  for (const [key, value] of Object.entries(put ?? {})) {
    if (value === undefined) continue;
    if (value === null) {
      if (key in next) changed.push(label(key));
      delete next[key];
    } else {
      if (!same(next[key], value)) changed.push(label(key));
      next[key] = value;
    }
  }
  return next;
}

/** The content after a PUT, and the names of what it changed (`I.1`, `numbers.procedures`, `document.date`). */
export function mergeContent(
  current: EditionContent,
  put: EditionPut,
): { content: EditionContent; sections: string[] } {
  const sections: string[] = [];
  const texts = mergeGroup(current.texts, put.texts, (id) => id, sections) as EditionTexts;
  const numbers = mergeGroup(current.numbers, put.numbers, (k) => `numbers.${k}`, sections) as EditionNumbers;
  const document = mergeGroup(
    current.document,
    put.document,
    (k) => `document.${k}`,
    sections,
  ) as EditionDocument;
  return { content: { texts: orderTexts(texts), numbers, document }, sections };
}

/** The texts in the seed's order of sections (stable JSON, readable revisions). */
function orderTexts(texts: EditionTexts): EditionTexts {
  const ordered: EditionTexts = {};
  for (const id of SECTION_IDS) if (texts[id] !== undefined) ordered[id] = texts[id];
  return ordered;
}

/** What a content holds, named like `sections` (the creation's revision lists what it started with). */
export function contentSections(content: EditionContent): string[] {
  return mergeContent(emptyContent(), content).sections;
}

// --- Checks that need the period -----------------------------------------------------------------

export type ContentProblem =
  | { kind: "too_large"; bytes: number }
  | { kind: "date_outside"; date: string; years: [number, number] };

/** The limits a schema cannot see: the edition's size and the date's year (the period's or the next). */
export function contentProblem(content: EditionContent, year: number): ContentProblem | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(content), "utf8");
  if (bytes > MAX_EDITION_BYTES) return { kind: "too_large", bytes };
  const date = content.document.date;
  if (date !== undefined) {
    const dateYear = Number(date.slice(0, 4));
    if (dateYear !== year && dateYear !== year + 1)
      return { kind: "date_outside", date, years: [year, year + 1] };
  }
  return undefined;
}

/** What an issue needs and the edition lacks (docs/editions.md#routes), as `document.{field}` names. */
export const ISSUE_REQUIRES: readonly DocumentField[] = [
  "number",
  "place",
  "date",
  "signerTitle",
  "signerName",
  "recipients",
];

export function missingForIssue(content: EditionContent): string[] {
  return ISSUE_REQUIRES.filter((field) => {
    const value = content.document[field];
    return value === undefined || (Array.isArray(value) && value.length === 0);
  }).map((field) => `document.${field}`);
}

// --- Carry-over, drift, province sums ------------------------------------------------------------

/** A new draft from the previous period's issued edition: texts, numbers and the document block
 * but its number and date (docs/editions.md#carry-over). */
export function carriedContent(previous: EditionContent): EditionContent {
  const { number: _number, date: _date, ...document } = previous.document;
  return { texts: { ...previous.texts }, numbers: structuredClone(previous.numbers), document };
}

/** Live Form II.06a totals minus the issued ones. */
export function driftOf(live: FigureTotals, issued: FigureTotals): FigureTotals {
  return {
    received: live.received - issued.received,
    resolved: live.resolved - issued.resolved,
    pending: live.pending - issued.pending,
  };
}

/**
 * The province's default numbers: each count summed over its communes' issued editions (a count no
 * commune stated stays absent), proposal lists joined without repeats.
 */
export function sumNumbers(list: readonly EditionNumbers[]): EditionNumbers {
  const sum: Record<string, unknown> = {};
  for (const numbers of list) {
    for (const [name, value] of Object.entries(numbers) as [NumberName, unknown][]) {
      if (typeof value === "number") {
        sum[name] = ((sum[name] as number | undefined) ?? 0) + value;
      } else if (value && typeof value === "object") {
        sum[name] ??= {};
        const into = sum[name] as Record<string, unknown>;
        for (const [key, inner] of Object.entries(value)) {
          if (typeof inner === "number") into[key] = ((into[key] as number | undefined) ?? 0) + inner;
          else if (Array.isArray(inner))
            into[key] = [...new Set([...((into[key] as string[] | undefined) ?? []), ...inner])];
        }
      }
    }
  }
  return sum as EditionNumbers;
}

/** `2023`, `2023-six-months`, `2023-q2`, `2023-m03`: the period in keys and audit records. */
export function periodKey(period: PeriodSpec): string {
  switch (period.kind) {
    case "year":
      return String(period.year);
    case "six-months":
    case "nine-months":
      return `${period.year}-${period.kind}`;
    case "quarter":
      return `${period.year}-q${period.quarter}`;
    case "month":
      return `${period.year}-m${String(period.month).padStart(2, "0")}`;
  }
}
