/**
 * The reporting calendar of Decree 09/2019/NĐ-CP, in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
 * Reporting month M of year Y runs from the 15th of the previous month to the 14th of M; year Y
 * runs from 15/12/Y−1 to 14/12/Y. Quarters, 6 and 9 months are unions of reporting months.
 */

export type LocalDate = string; // YYYY-MM-DD
/** A reporting month as `YYYY-MM`: `2023-01` runs from 2022-12-15 to 2023-01-14. */
export type MonthKey = string;

const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export function toInstant(timestamp: string | number): number {
  return typeof timestamp === "number" ? timestamp : Date.parse(timestamp);
}

/** The calendar date in Vietnam at that instant. */
export function localDateOf(timestamp: string | number): LocalDate {
  return new Date(toInstant(timestamp) + OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** A month as a number that counts months, so that months can be compared and stepped. */
export function monthIndex(month: MonthKey): number {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return year * 12 + (m - 1);
}

export function monthKeyOf(index: number): MonthKey {
  const year = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${String(year).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
}

export function addMonths(month: MonthKey, count: number): MonthKey {
  return monthKeyOf(monthIndex(month) + count);
}

/** The reporting month a local date falls in: from the 15th on, it is the next month's. */
export function reportingMonthOfDate(date: LocalDate): MonthKey {
  const index = monthIndex(date.slice(0, 7));
  return monthKeyOf(Number(date.slice(8, 10)) >= 15 ? index + 1 : index);
}

export function reportingMonthOf(timestamp: string | number): MonthKey {
  return reportingMonthOfDate(localDateOf(timestamp));
}

/** First and last local day of a reporting month. */
export function monthBounds(month: MonthKey): { from: LocalDate; to: LocalDate } {
  return { from: `${addMonths(month, -1)}-15`, to: `${month}-14` };
}

/** The last instant of a reporting month: the 14th at 23:59:59.999 local time. */
export function monthEndInstant(month: MonthKey): number {
  return Date.parse(`${month}-15T00:00:00+07:00`) - 1;
}

export type PeriodSpec =
  | { kind: "year"; year: number }
  | { kind: "six-months"; year: number }
  | { kind: "nine-months"; year: number }
  | { kind: "quarter"; year: number; quarter: 1 | 2 | 3 | 4 }
  | { kind: "month"; year: number; month: number };

export interface PeriodRange {
  firstMonth: MonthKey;
  lastMonth: MonthKey;
  from: LocalDate;
  to: LocalDate;
}

/** The reporting months a period covers, and its first and last local day. */
export function periodRange(period: PeriodSpec): PeriodRange {
  const [first, last] = monthSpan(period);
  const firstMonth = `${period.year}-${String(first).padStart(2, "0")}`;
  const lastMonth = `${period.year}-${String(last).padStart(2, "0")}`;
  return { firstMonth, lastMonth, from: monthBounds(firstMonth).from, to: monthBounds(lastMonth).to };
}

function monthSpan(period: PeriodSpec): [number, number] {
  switch (period.kind) {
    case "year":
      return [1, 12];
    case "six-months":
      return [1, 6];
    case "nine-months":
      return [1, 9];
    case "quarter":
      return [period.quarter * 3 - 2, period.quarter * 3];
    case "month":
      return [period.month, period.month];
  }
}
