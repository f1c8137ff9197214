/**
 * The report model: everything a commune's report says, computed from aggregates only.
 * `report.v1` JSON is this object serialized; the Excel and Word renderers read nothing else.
 * The `unit`, `period` and `dossiers` parts are fixed by the contract; the other sections are ours
 * (docs/api.md#report-json).
 */

import type { FormRow, Rate } from "./measures";
import type { ServiceIndex } from "./service-index";

export type LocalDate = string; // YYYY-MM-DD, Asia/Ho_Chi_Minh
export type { FormRow, PendingCounts, Rate, ReceivedCounts, ResolvedCounts } from "./measures";
export { percentOf, rateOf } from "./measures";
export type { ServiceIndex, ServiceIndicator } from "./service-index";

export interface FieldRow extends FormRow {
  fieldCode: string;
  fieldName: string;
}

/** Period kinds of the Decree 09/2019 calendar. */
export type PeriodKind = "year" | "nine-months" | "six-months" | "quarter" | "month";

export interface ReportPeriod {
  year: number;
  kind?: PeriodKind; // absent means "year" (the contract's fixed shape)
  quarter?: 1 | 2 | 3 | 4;
  month?: number; // 1..12, for kind "month"
  from: LocalDate; // first day, e.g. 2022-12-15
  to: LocalDate; // last day, e.g. 2023-12-14
  /** Present on a year-to-date report: figures are as of this day, not the period's end. */
  asOf?: LocalDate;
}

export interface ReportUnit {
  communeCode: string;
  communeName: string; // "Xã Quốc Tuấn", from the registry valid for the period
  provinceCode: string;
  provinceName?: string;
  districtName?: string;
  /**
   * docs/reports.md: for a commune created by the 1 July 2025 reorganization, over a period that
   * starts before that day, the communes it replaced. Full ones are summed into the figures,
   * partial ones are listed only. Absent otherwise.
   */
  predecessors?: PredecessorRef[];
}

export interface PredecessorRef {
  communeCode: string;
  communeName: string;
  share: "full" | "partial";
}

export interface DigitizationSection {
  received: number; // received in the period (new dossiers, carried over excluded)
  componentsNone: number;
  componentsPartial: number;
  componentsFull: number;
  /** received with at least partially digitized components ÷ received */
  digitizedRate: Rate;
  /** fully digitized ÷ received */
  fullyDigitizedRate: Rate;
  resolved: number;
  resultNotDigitized: number;
  resultDigitized: number;
  resultDigitizedRate: Rate;
}

export interface OnlinePaymentSection {
  feeRequired: number; // fee-bearing dossiers received in the period
  paidOnline: number; // of those, paid online
  rate: Rate;
}

export interface InterlinkSection {
  total: number;
  sameLevel: number;
  crossLevel: number;
  byBundle: { bundle: string; count: number }[];
}

export interface SatisfactionSection {
  rated: number;
  verySatisfied: number;
  satisfied: number;
  unsatisfied: number;
  /** (verySatisfied + satisfied) ÷ rated */
  satisfiedRate: Rate;
}

export interface PostalSection {
  receivedByPost: number;
  returnedByPost: number;
}

export interface FeedbackSection {
  received: { total: number; regulation: number; behavior: number; carriedOver: number };
  resolved: number;
  inProgress: number;
  published: number;
}

export interface DossierListEntry {
  dossierCode: string;
  fieldCode: string;
  fieldName: string;
  procedureCode: string;
  procedureName?: string;
  receivedAt: LocalDate;
  dueAt: LocalDate | null;
  resolvedAt?: LocalDate; // late list only
  apology?: boolean; // an apology letter was issued
}

/**
 * docs/reports.md: the previous period of the same kind (year Y−1, the previous quarter or month…)
 * over the same communes as the report (its full predecessors included); for a year-to-date report,
 * cut at the same day of that period. `serviceIndex` is ours (the headline rates compared).
 */
export interface PreviousPeriod {
  period: ReportPeriod;
  dossiers: { total: FormRow };
  onlineReception: Rate;
  serviceIndex: ServiceIndex;
}

export interface CommuneReport {
  schema: "report.v1";
  unit: ReportUnit;
  period: ReportPeriod;
  generatedAt: string; // RFC 3339
  dossiers: {
    byField: FieldRow[];
    total: FormRow;
  };
  onlineReception: Rate; // online ÷ new dossiers received in the period
  digitization: DigitizationSection;
  onlinePayment: OnlinePaymentSection;
  interlink: InterlinkSection;
  electronicCertification: number;
  postal: PostalSection;
  satisfaction: SatisfactionSection;
  feedback: FeedbackSection;
  lateDossiers: DossierListEntry[]; // resolved late in the period
  overdueDossiers: DossierListEntry[]; // pending and overdue at the period's end
  /** Decision 766/QĐ-TTg's dossier-derived indicators as the product reads them (service-index.ts). */
  serviceIndex: ServiceIndex;
  previous: PreviousPeriod;
}

/** Province roll-up: one row per commune plus the province total, from aggregates only. */
export interface ProvinceReport {
  schema: "province-report.v1";
  province: { provinceCode: string; provinceName: string };
  period: ReportPeriod;
  generatedAt: string;
  communes: (FormRow & {
    communeCode: string;
    communeName: string;
    onlineReception: Rate;
    /** As `ReportUnit.predecessors`: the figures include the full ones. */
    predecessors?: PredecessorRef[];
  })[];
  total: FormRow & { onlineReception: Rate };
  serviceIndex: ServiceIndex;
  previous: PreviousPeriod;
}
