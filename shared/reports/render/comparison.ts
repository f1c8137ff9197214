/**
 * The comparison with the previous period (docs/reports.md `previous`), as rows and Vietnamese
 * sentences: counts change in percent ("tăng 12,45%"), rates in percentage points ("tăng 3,2 điểm
 * phần trăm"). One source for the Word narrative and the Excel comparison sheet. Pure.
 */

import { type FormRow, type PreviousPeriod, percentOf, type Rate, type ReportPeriod } from "../model";
import type { ServiceIndex } from "../service-index";
import { formatCount, formatDecimal, formatPercent, periodLabel } from "./vietnamese-format";

export interface ComparisonRow {
  key: string;
  /** What is compared, in Vietnamese. */
  label: string;
  kind: "count" | "rate";
  /** A count, or a rate's percentage (null when it had nothing to divide by). */
  current: number | null;
  previous: number | null;
  /** Counts: the change in percent of the previous value; rates: in percentage points. Null when not comparable. */
  change: number | null;
  /** "tăng 12,45%", "giảm 0,8 điểm phần trăm", "không thay đổi", "không so sánh được". */
  words: string;
}

/** What a report says about itself that the comparison reads. */
export interface ComparedFigures {
  period: ReportPeriod;
  total: FormRow;
  onlineReception: Rate;
  serviceIndex: ServiceIndex;
}

const onTimeRate = (total: FormRow): number | null =>
  percentOf(total.resolved.early + total.resolved.onTime, total.resolved.total);

const indicatorPercent = (index: ServiceIndex, code: string): number | null =>
  index.indicators.find((indicator) => indicator.code === code)?.rate.percent ?? null;

/** The compared headline figures, in the order the documents state them. */
function headline(figures: Omit<ComparedFigures, "period">) {
  const { total, onlineReception, serviceIndex } = figures;
  return [
    { key: "received", label: "Tổng số hồ sơ tiếp nhận", kind: "count", value: total.received.total },
    {
      key: "receivedNew",
      label: "Số hồ sơ tiếp nhận mới trong kỳ",
      kind: "count",
      value: total.received.online + total.received.directOrPostal,
    },
    { key: "resolved", label: "Số hồ sơ đã giải quyết", kind: "count", value: total.resolved.total },
    {
      key: "resolvedOnTime",
      label: "Số hồ sơ giải quyết trước hạn và đúng hạn",
      kind: "count",
      value: total.resolved.early + total.resolved.onTime,
    },
    {
      key: "onTimeRate",
      label: "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn",
      kind: "rate",
      value: onTimeRate(total),
    },
    {
      key: "onlineReception",
      label: "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
      kind: "rate",
      value: onlineReception.percent,
    },
    {
      key: "onlinePayment",
      label: "Tỷ lệ hồ sơ thanh toán trực tuyến",
      kind: "rate",
      value: indicatorPercent(serviceIndex, "onlinePayment"),
    },
    {
      key: "digitizedComponents",
      label: "Tỷ lệ số hóa thành phần hồ sơ",
      kind: "rate",
      value: indicatorPercent(serviceIndex, "digitizedComponents"),
    },
    {
      key: "digitizedResults",
      label: "Tỷ lệ cấp kết quả giải quyết điện tử",
      kind: "rate",
      value: indicatorPercent(serviceIndex, "digitizedResults"),
    },
    {
      key: "pendingOverdue",
      label: "Số hồ sơ quá hạn chưa giải quyết",
      kind: "count",
      value: total.pending.overdue,
    },
  ] as const;
}

/** Change in words: "tăng 12,45%", "giảm 3 điểm phần trăm", "không thay đổi". */
export function changeWords(kind: "count" | "rate", current: number | null, previous: number | null): string {
  const change = changeOf(kind, current, previous);
  if (change === null) return "không so sánh được";
  if (change === 0) return "không thay đổi";
  const amount =
    kind === "count" ? formatPercent(Math.abs(change)) : `${formatDecimal(Math.abs(change))} điểm phần trăm`;
  return `${change > 0 ? "tăng" : "giảm"} ${amount}`;
}

function changeOf(kind: "count" | "rate", current: number | null, previous: number | null): number | null {
  if (current === null || previous === null) return null;
  if (kind === "rate") return Math.round((current - previous) * 100) / 100;
  if (previous === 0) return current === 0 ? 0 : null;
  return percentOf(current - previous, previous);
}

/** The comparison rows of a report with its previous period. */
export function comparisonRows(
  current: Omit<ComparedFigures, "period">,
  previous: PreviousPeriod,
): ComparisonRow[] {
  const before = headline({
    total: previous.dossiers.total,
    onlineReception: previous.onlineReception,
    serviceIndex: previous.serviceIndex,
  });
  return headline(current).map((row, i) => {
    const prior = before[i]!.value;
    return {
      key: row.key,
      label: row.label,
      kind: row.kind,
      current: row.value,
      previous: prior,
      change: changeOf(row.kind, row.value, prior),
      words: changeWords(row.kind, row.value, prior),
    };
  });
}

const shown = (row: ComparisonRow, value: number | null) =>
  row.kind === "count" ? (value === null ? "–" : formatCount(value)) : formatPercent(value);

/**
 * One sentence per row, as the narrative states it:
 * "Tổng số hồ sơ tiếp nhận: 3.299, tăng 13,17% so với năm 2024 (2.915)".
 */
export function comparisonSentences(rows: ComparisonRow[], previous: PreviousPeriod): string[] {
  const label = periodLabel(previous.period);
  return rows.map((row) => {
    const now = shown(row, row.current);
    const before = shown(row, row.previous);
    if (row.change === null) return `${row.label}: ${now} (${label}: ${before})`;
    if (row.change === 0) return `${row.label}: ${now}, không thay đổi so với ${label}`;
    return `${row.label}: ${now}, ${row.words} so với ${label} (${before})`;
  });
}
