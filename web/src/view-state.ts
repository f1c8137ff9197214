/**
 * What the page shows, as the address bar writes it (docs/portal.md deep links):
 * `/?unit=10621&year=2023&period=quarter&quarter=2`. One parser and one writer, so a deep link,
 * the back button and the pickers all agree. Pure: unit-tested in test/unit/web-format.test.ts.
 */
export type PeriodKind = "year" | "six-months" | "nine-months" | "quarter" | "month";

export const PERIOD_KINDS: readonly { kind: PeriodKind; label: string }[] = [
  { kind: "year", label: "Năm" },
  { kind: "six-months", label: "6 tháng đầu năm" },
  { kind: "nine-months", label: "9 tháng" },
  { kind: "quarter", label: "Quý" },
  { kind: "month", label: "Tháng" },
];

export interface ViewState {
  /** A 5-digit commune code or a 2-digit province code; absent: the unit picker. */
  unit?: string;
  year: number;
  period: PeriodKind;
  quarter?: number;
  month?: number;
  /** A unit's "Soạn báo cáo" page (its report edition) instead of its figures (`tab=edition`). */
  tab?: "edition";
}

/** The reporting year a local day belongs to: from 15 December on, it is the next year's. */
export function reportingYearOf(date: Date): number {
  const local = new Date(date.getTime() + 7 * 3_600_000); // Asia/Ho_Chi_Minh, no daylight saving
  const year = local.getUTCFullYear();
  return local.getUTCMonth() === 11 && local.getUTCDate() >= 15 ? year + 1 : year;
}

/** The running year so far: the reports of the running year are cut at today (year to date). */
export function yearToDate(now: Date): ViewState {
  return { year: reportingYearOf(now), period: "year" };
}

const isKind = (value: string | null): value is PeriodKind => PERIOD_KINDS.some((p) => p.kind === value);

function intIn(value: string | null, min: number, max: number): number | undefined {
  if (value === null || !/^\d{1,4}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/** Reads the view from a query string; anything malformed or in the future falls back to the running year. */
export function parseViewState(search: string, now: Date): ViewState {
  const params = new URLSearchParams(search);
  const unitParam = params.get("unit");
  const unit = unitParam && /^(\d{2}|\d{5})$/.test(unitParam) ? unitParam : undefined;
  // A year not started yet has no figures: the running year stands for it.
  const year = Math.min(intIn(params.get("year"), 2000, 2099) ?? reportingYearOf(now), reportingYearOf(now));
  const periodParam = params.get("period");
  const period: PeriodKind = isKind(periodParam) ? periodParam : "year";
  const state: ViewState = { ...(unit ? { unit } : {}), year, period };
  if (period === "quarter") state.quarter = intIn(params.get("quarter"), 1, 4) ?? 1;
  if (period === "month") state.month = intIn(params.get("month"), 1, 12) ?? 1;
  if (params.get("tab") === "edition" && unit) state.tab = "edition";
  return state;
}

/** The query string of a view, without the leading "?": the keys the API takes, in a fixed order. */
export function viewStateQuery(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.unit) params.set("unit", state.unit);
  params.set("year", String(state.year));
  if (state.period !== "year") params.set("period", state.period);
  if (state.period === "quarter") params.set("quarter", String(state.quarter ?? 1));
  if (state.period === "month") params.set("month", String(state.month ?? 1));
  if (state.tab && state.unit) params.set("tab", state.tab);
  return params.toString();
}

/** The unit and period as the API's query (`communeCode` or `provinceCode`, `year`, `period`…). */
export function apiQuery(state: ViewState & { unit: string }): URLSearchParams {
  const params = new URLSearchParams();
  params.set(state.unit.length === 5 ? "communeCode" : "provinceCode", state.unit);
  params.set("year", String(state.year));
  params.set("period", state.period);
  if (state.period === "quarter") params.set("quarter", String(state.quarter ?? 1));
  if (state.period === "month") params.set("month", String(state.month ?? 1));
  return params;
}

/** The same unit and period as the JSON body of POST /v1/reports. */
export function apiBody(state: ViewState & { unit: string }): Record<string, string | number> {
  return {
    [state.unit.length === 5 ? "communeCode" : "provinceCode"]: state.unit,
    year: state.year,
    period: state.period,
    ...(state.period === "quarter" ? { quarter: state.quarter ?? 1 } : {}),
    ...(state.period === "month" ? { month: state.month ?? 1 } : {}),
  };
}

/**
 * A link's click handler for moving within the page: a plain click calls `go`; with Ctrl, ⌘ or Shift
 * the browser opens the link's `href` itself (a new tab or window), as any link does.
 */
export function inPageClick(go: () => void) {
  // The event's shape, not DOM's MouseEvent: this module is also type-checked without the DOM.
  return (e: { ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; preventDefault(): void }) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    go();
  };
}
