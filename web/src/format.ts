/**
 * The page's formatting: the reports' own Vietnamese number, percent and date style (one definition,
 * shared/reports/render/vietnamese-format.ts, so the page writes "3.241" and "98,87%" exactly as the Word report
 * does), plus what only the page needs: diacritics-insensitive search and short month labels.
 * Pure, no DOM: unit-tested in test/unit/web-format.test.ts.
 */
import { type FormRow, percentOf, type Rate, rateOf } from "../../shared/reports/model";
import {
  formatCount,
  formatDate,
  formatPercent,
  formatRate,
  periodLabel,
  periodRangeLabel,
} from "../../shared/reports/render/vietnamese-format";

export {
  formatCount,
  formatDate,
  formatPercent,
  formatRate,
  percentOf,
  periodLabel,
  periodRangeLabel,
  rateOf,
};

/**
 * Folds Vietnamese text for search: lower case, tone and vowel marks removed, "đ" → "d", spaces
 * collapsed. "Xã Quốc Tuấn" → "xa quoc tuan".
 */
export function foldDiacritics(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Whether every word of the query appears in the text, ignoring case and diacritics:
 * "quoc tuan", "Quốc Tuấn" and "tuan quoc" all find "Xã Quốc Tuấn"; an empty query finds everything.
 */
export function matchesSearch(text: string, query: string): boolean {
  const haystack = foldDiacritics(text);
  return foldDiacritics(query)
    .split(" ")
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** A reporting month for chart axes and table rows: (2023, 1) → "T1/2023". */
export function monthLabel(year: number, month: number): string {
  return `T${month}/${year}`;
}

/** A signed change in Vietnamese style: 12 → "+12", -3 → "-3", 0 → "0". */
export function formatChange(delta: number): string {
  return delta > 0 ? `+${formatCount(delta)}` : formatCount(delta);
}

/** The change from `before` to `now` in percent, "+12,5%", or "–" when `before` is 0. */
export function formatChangePercent(now: number, before: number): string {
  if (before === 0) return formatPercent(null);
  const percent = Math.round(((now - before) / before) * 10_000) / 100;
  return `${percent > 0 ? "+" : ""}${formatPercent(percent)}`;
}

/** Resolved early or on time ÷ resolved: the rate a reviewer sorts communes by. */
export function onTimeRate(row: FormRow): Rate {
  return rateOf(row.resolved.early + row.resolved.onTime, row.resolved.total);
}
