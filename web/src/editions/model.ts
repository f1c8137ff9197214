/**
 * What the page reads and writes through the editions routes (docs/editions.md): an edition of a
 * unit's report for a period, the province's status list, and the body of a save. The shapes of
 * the contract, written once for the page.
 */
import type { SectionId } from "./sections";

export type EditionStatus = "draft" | "issued" | "superseded";

export interface EditionNumbers {
  procedures?: { total?: number; central?: number; provincial?: number };
  vertical?: { total?: number; police?: number; military?: number };
  proceduresChanged?: { issued?: number; abolished?: number; amended?: number };
  publications?: number;
  reviewed?: { procedures?: number; fields?: number };
  proposals?: { new?: string[]; abolish?: string[]; simplify?: string[] };
  initiatives?: number;
  inspections?: number;
}
export type NumberName = keyof EditionNumbers;

export interface EditionDocument {
  number?: string;
  place?: string;
  /** YYYY-MM-DD */
  date?: string;
  recipients?: string[];
  authority?: string;
  signerTitle?: string;
  signerName?: string;
  preparerName?: string;
}
export type DocumentField = keyof EditionDocument;

export interface IssuedFile {
  format: string;
  url: string;
  sha256: string;
}

export interface Drift {
  received: number;
  resolved: number;
  pending: number;
}

export interface Edition {
  unit: string;
  year: number;
  period: string;
  edition: number;
  status: EditionStatus;
  revision: number;
  savedAt: string;
  savedBy?: { name: string };
  carriedFrom?: { year: number; edition: number };
  texts: Partial<Record<SectionId, string>>;
  numbers: EditionNumbers;
  document: EditionDocument;
  issued?: { at: string; by?: { name: string }; figuresAsOf?: string; files: IssuedFile[] };
  drift?: Drift;
  /** A province's edition: its communes' issued numbers summed, `issued` of `total`. */
  fromCommunes?: { issued: number; total: number; numbers: EditionNumbers };
}

/** The body of PUT: each key given replaces that key, `null` clears it, keys not given are kept. */
export interface EditionChanges {
  texts?: Partial<Record<SectionId, string | null>>;
  numbers?: { [K in NumberName]?: EditionNumbers[K] | null };
  document?: { [K in DocumentField]?: EditionDocument[K] | null };
}

export type {
  CommuneEditionRow,
  CommuneEditionStatus,
  ProvinceEditions,
} from "../../../shared/editions/province-status";

/** An edition as the server answered it, with the ETag to send back in `If-Match`. */
export interface Tagged {
  edition: Edition;
  etag: string;
}
