/**
 * Vietnamese number, date and name style for the report renderers (Decree 30/2020/NĐ-CP practice):
 * thousands grouped with ".", decimals after ",", dates dd/mm/yyyy, the place-date line
 * "Quốc Tuấn, ngày 14 tháng 12 năm 2023". Pure functions, no locale data from the runtime.
 */
import type { LocalDate, Rate, ReportPeriod } from "../model";

/** What a rate with nothing to divide by (`percent: null`) prints as. */
export const NO_RATE = "–";

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

/** 3241 → "3.241", 1000000 → "1.000.000", 0 → "0", -12 → "-12". Non-integers round to whole numbers. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return NO_RATE;
  const rounded = Math.round(n);
  const sign = rounded < 0 ? "-" : "";
  return sign + groupThousands(String(Math.abs(rounded)));
}

/**
 * A decimal number in Vietnamese style, at most `maxDigits` decimals, trailing zeros dropped:
 * 98.87 → "98,87", 99.6 → "99,6", 100 → "100", 1234.5 → "1.234,5".
 */
export function formatDecimal(n: number, maxDigits = 2): string {
  if (!Number.isFinite(n)) return NO_RATE;
  const fixed = Math.abs(n).toFixed(maxDigits);
  const [intPart = "0", fracPart = ""] = fixed.split(".");
  const frac = fracPart.replace(/0+$/, "");
  const negative = n < 0 && (Number(intPart) !== 0 || frac !== "");
  return `${negative ? "-" : ""}${groupThousands(intPart)}${frac ? `,${frac}` : ""}`;
}

/** A percentage value (already ×100): 98.87 → "98,87%", 100 → "100%", null → "–". */
export function formatPercent(percent: number | null | undefined, maxDigits = 2): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return NO_RATE;
  return `${formatDecimal(percent, maxDigits)}%`;
}

/** A {@link Rate} as its percentage: "98,87%", or "–" when there was nothing to divide by. */
export function formatRate(rate: Rate): string {
  return formatPercent(rate.percent);
}

/** A {@link Rate} with its terms, as the seed writes it: "1.249/2.842 (43,95%)". */
export function formatRateWithTerms(rate: Rate): string {
  return `${formatCount(rate.count)}/${formatCount(rate.of)} (${formatRate(rate)})`;
}

interface DateParts {
  year: number;
  month: number;
  day: number;
}

/** Splits "YYYY-MM-DD" (a longer RFC 3339 string is cut to its date) into numbers; throws on anything else. */
export function parseLocalDate(date: LocalDate): DateParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) throw new Error(`not a local date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** "2023-12-14" → "14/12/2023". */
export function formatDate(date: LocalDate): string {
  const { year, month, day } = parseLocalDate(date);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}

/**
 * "2023-12-14" → "ngày 14 tháng 12 năm 2023". Decree 30/2020: days below 10 and the months
 * 1 and 2 take a leading zero ("ngày 05 tháng 02 năm 2024", "ngày 21 tháng 3 năm 2024").
 */
export function formatDateLong(date: LocalDate): string {
  const { year, month, day } = parseLocalDate(date);
  const monthText = month <= 2 ? pad2(month) : String(month);
  return `ngày ${pad2(day)} tháng ${monthText} năm ${year}`;
}

/** The place-date line: ("Quốc Tuấn", "2023-12-14") → "Quốc Tuấn, ngày 14 tháng 12 năm 2023". */
export function placeDateLine(place: string, date: LocalDate): string {
  return `${place}, ${formatDateLong(date)}`;
}

/** 1 → "I", 4 → "IV" (quarters, annex and section numbers). */
export function romanNumeral(n: number): string {
  const table: [number, string][] = [
    [1000, "M"],
    [900, "CM"],
    [500, "D"],
    [400, "CD"],
    [100, "C"],
    [90, "XC"],
    [50, "L"],
    [40, "XL"],
    [10, "X"],
    [9, "IX"],
    [5, "V"],
    [4, "IV"],
    [1, "I"],
  ];
  let rest = Math.floor(n);
  let out = "";
  for (const [value, symbol] of table) {
    while (rest >= value) {
      out += symbol;
      rest -= value;
    }
  }
  return out;
}

/**
 * The period in Vietnamese as reports name it: "năm 2023", "6 tháng đầu năm 2023", "9 tháng năm 2023",
 * "quý I năm 2023", "tháng 3 năm 2023"; a year-to-date report adds its cut-off:
 * "năm 2023 (đến ngày 28/11/2023)".
 */
export function periodLabel(period: ReportPeriod): string {
  const kind = period.kind ?? "year";
  let label: string;
  switch (kind) {
    case "year":
      label = `năm ${period.year}`;
      break;
    case "six-months":
      label = `6 tháng đầu năm ${period.year}`;
      break;
    case "nine-months":
      label = `9 tháng năm ${period.year}`;
      break;
    case "quarter":
      label = `quý ${romanNumeral(period.quarter ?? 1)} năm ${period.year}`;
      break;
    case "month":
      label = `tháng ${period.month ?? 1} năm ${period.year}`;
      break;
  }
  return period.asOf ? `${label} (đến ngày ${formatDate(period.asOf)})` : label;
}

/** The last day the figures cover: the cut-off of a year-to-date report, else the period's last day. */
export function periodEnd(period: ReportPeriod): LocalDate {
  return period.asOf ?? period.to;
}

/** "Từ ngày 15/12/2022 đến ngày 14/12/2023" (to the cut-off day for a year-to-date report). */
export function periodRangeLabel(period: ReportPeriod): string {
  return `Từ ngày ${formatDate(period.from)} đến ngày ${formatDate(periodEnd(period))}`;
}

/** Unit-kind prefixes of Vietnamese administrative names, longest first. */
const UNIT_PREFIXES = [
  "Thành phố",
  "Thị trấn",
  "Thị xã",
  "Đặc khu",
  "Phường",
  "Huyện",
  "Quận",
  "Tỉnh",
  "Xã",
] as const;

function splitUnitName(name: string): { prefix: string | null; rest: string } {
  const normalized = name.normalize("NFC").trim().replace(/\s+/g, " ");
  const lower = normalized.toLocaleLowerCase("vi");
  for (const prefix of UNIT_PREFIXES) {
    const p = prefix.toLocaleLowerCase("vi");
    if (lower.startsWith(`${p} `) && normalized.length > p.length + 1) {
      return { prefix: p, rest: normalized.slice(p.length + 1) };
    }
  }
  return { prefix: null, rest: normalized };
}

/**
 * The short place name of a unit, as the place-date line writes it: "Xã Quốc Tuấn" → "Quốc Tuấn",
 * "Phường Ba Đình" → "Ba Đình", "Thị trấn Nam Sách" → "Nam Sách", "Tỉnh Hải Dương" → "Hải Dương".
 * A name without a known prefix is returned as is. Numbered wards keep their kind: "Phường 1" → "Phường 1".
 */
export function shortPlaceName(unitName: string): string {
  const { prefix, rest } = splitUnitName(unitName);
  if (prefix !== null && /^\d+$/.test(rest)) return unitName.normalize("NFC").trim();
  return rest;
}

/** The unit's kind in lower case ("xã", "phường", "thị trấn", "huyện", "tỉnh"…), or null when unknown. */
export function unitKind(unitName: string): string | null {
  return splitUnitName(unitName).prefix;
}

/** The unit name inside a sentence, kind in lower case: "Xã Quốc Tuấn" → "xã Quốc Tuấn". */
export function unitNameInSentence(unitName: string): string {
  const { prefix, rest } = splitUnitName(unitName);
  return prefix ? `${prefix} ${rest}` : rest;
}

/** Upper case the Vietnamese way: "Xã Quốc Tuấn" → "XÃ QUỐC TUẤN". */
export function upperVi(text: string): string {
  return text.normalize("NFC").toLocaleUpperCase("vi");
}
