/**
 * The province panel's answer, `GET /v1/editions?provinceCode&year` (docs/editions.md#the-province):
 * types only, so the portal reads the same definition as the server.
 */
import type { PeriodSpec } from "../domain/calendar";

/** Form II.06a totals: frozen at issue, and live minus frozen as `drift`. */
export interface FigureTotals {
  received: number;
  resolved: number;
  pending: number;
}

export type CommuneEditionStatus = "none" | "draft" | "issued" | "superseded";

export interface CommuneEditionRow {
  communeCode: string;
  communeName: string;
  status: CommuneEditionStatus;
  edition?: number;
  number?: string;
  date?: string;
  issuedBy?: string;
  savedAt?: string;
  drift?: FigureTotals;
}

export interface ProvinceEditions {
  provinceCode: string;
  year: number;
  period: PeriodSpec["kind"];
  communes: CommuneEditionRow[];
  issued: number;
  total: number;
}
