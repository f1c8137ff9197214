/**
 * The page's formatting: the reports' own Vietnamese number, percent and date style (one definition,
 * shared/reports/render/vietnamese-format.ts, so the page writes "3.241" and "98,87%" exactly as the Word report
 * does) and the unit search (shared/units/search.ts, also the server's), plus short month labels.
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
import { foldDiacritics, matchesSearch } from "../../shared/units/search";

export {
  foldDiacritics,
  formatCount,
  formatDate,
  formatPercent,
  formatRate,
  matchesSearch,
  percentOf,
  periodLabel,
  periodRangeLabel,
  rateOf,
};

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
