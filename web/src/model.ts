/**
 * What the page reads from the API: the report JSON (shared/reports/model.ts, one definition) plus
 * the API's additions: `months` of GET /v1/figures (docs/portal.md), and `previous`, `serviceIndex`
 * and `unit.predecessors` (docs/reports.md), which a report may not carry yet (all optional).
 */
import type { CommuneReport, FormRow, ProvinceReport, Rate, ReportPeriod } from "../../shared/reports/model";

export type {
  CommuneReport,
  DossierListEntry,
  FieldRow,
  FormRow,
  ProvinceReport,
  Rate,
  ReportPeriod,
} from "../../shared/reports/model";

/** One reporting month of the period (docs/portal.md). */
export interface MonthFigures {
  year: number;
  month: number;
  from: string;
  to: string;
  received: { online: number; directOrPostal: number };
  resolved: { early: number; onTime: number; late: number };
  pendingAtEnd: { withinDeadline: number; overdue: number };
}

/** docs/reports.md#previous-period-previous: the previous period of the same kind for the same unit. */
export interface PreviousPeriod {
  period: ReportPeriod;
  dossiers: { total: FormRow };
  onlineReception: Rate;
}

export interface ServiceIndicator {
  code: string;
  name: string;
  rate: Rate;
  threshold: number;
  points: number;
  maxPoints: number;
}

export interface ServiceIndex {
  indicators: ServiceIndicator[];
  points: number;
  maxPoints: number;
}

export interface PredecessorUnit {
  communeCode: string;
  communeName: string;
  share: "full" | "partial";
}

interface Additions {
  months: MonthFigures[];
  previous?: PreviousPeriod;
  serviceIndex?: ServiceIndex;
}

export type CommuneFigures = CommuneReport &
  Additions & { unit: CommuneReport["unit"] & { predecessors?: PredecessorUnit[] } };
export type ProvinceFigures = ProvinceReport & Additions;

/** GET /v1/units: the units the access code may read, named as in the period's registry. */
export interface UnitsInScope {
  year: number;
  provinces: { code: string; name: string }[];
  communes: { code: string; name: string; provinceCode: string; districtName?: string }[];
}

export interface ReportLink {
  format: "json" | "xlsx" | "docx";
  url: string;
  expiresAt: string;
}
