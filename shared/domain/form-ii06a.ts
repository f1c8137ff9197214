import { type MonthKey, monthIndex } from "./calendar";
import { COUNTER, type Counters } from "./counters";

/** One stored aggregate: the counters of a commune's field in one reporting month. */
export interface AggregateRecord {
  communeCode: string;
  month: MonthKey;
  fieldCode: string;
  fieldName?: string;
  counters: Counters;
}

export interface FormCounts {
  received: { total: number; online: number; directOrPostal: number; carriedOver: number };
  resolved: { total: number; early: number; onTime: number; late: number };
  pending: { total: number; withinDeadline: number; overdue: number };
}

export interface FormFieldRow extends FormCounts {
  fieldCode: string;
  fieldName: string;
}

export interface MonthWindow {
  firstMonth: MonthKey;
  lastMonth: MonthKey;
}

/**
 * Sums of counters for a period: `inPeriod` over its months, `before` over every earlier month
 * and `toEnd` over every month up to its last (opening and closing balances of interval counters).
 */
export interface PeriodSums {
  inPeriod: Counters;
  before: Counters;
  toEnd: Counters;
}

export function emptySums(): PeriodSums {
  return { inPeriod: {}, before: {}, toEnd: {} };
}

function addCounters(target: Counters, counters: Counters): void {
  for (const [name, value] of Object.entries(counters)) target[name] = (target[name] ?? 0) + value;
}

/** Adds one aggregate record to the sums of a period; records after the period are ignored. */
export function accumulate(sums: PeriodSums, record: AggregateRecord, window: MonthWindow): void {
  const index = monthIndex(record.month);
  if (index > monthIndex(window.lastMonth)) return;
  addCounters(sums.toEnd, record.counters);
  if (index < monthIndex(window.firstMonth)) addCounters(sums.before, record.counters);
  else addCounters(sums.inPeriod, record.counters);
}

const count = (counters: Counters, name: string) => counters[name] ?? 0;

/** The Form II.06a figures from a period's sums (docs/architecture.md#figure-rules). */
export function formCounts({ inPeriod, before, toEnd }: PeriodSums): FormCounts {
  const online = count(inPeriod, COUNTER.receivedOnline);
  const directOrPostal = count(inPeriod, COUNTER.receivedDirect) + count(inPeriod, COUNTER.receivedPostal);
  const carriedOver = count(before, COUNTER.pendingWithin) + count(before, COUNTER.pendingOverdue);
  const early = count(inPeriod, COUNTER.early);
  const onTime = count(inPeriod, COUNTER.onTime);
  const late = count(inPeriod, COUNTER.late);
  const withinDeadline = count(toEnd, COUNTER.pendingWithin);
  const overdue = count(toEnd, COUNTER.pendingOverdue);
  return {
    received: { total: online + directOrPostal + carriedOver, online, directOrPostal, carriedOver },
    resolved: { total: early + onTime + late, early, onTime, late },
    pending: { total: withinDeadline + overdue, withinDeadline, overdue },
  };
}

export function isEmptyRow(row: FormCounts): boolean {
  return row.received.total === 0 && row.resolved.total === 0 && row.pending.total === 0;
}

/**
 * Form II.06a for one commune and one period, by field and in total, from aggregate records only.
 * `records` must hold every record of the commune up to the period's last month (the pending
 * balances are sums over all earlier months). Fields with nothing to show are left out.
 */
export function formII06a(
  records: Iterable<AggregateRecord>,
  window: MonthWindow,
): { byField: FormFieldRow[]; total: FormCounts } {
  const byField = new Map<string, { name?: string; sums: PeriodSums }>();
  const all = emptySums();
  for (const record of records) {
    const entry = byField.get(record.fieldCode) ?? { sums: emptySums() };
    if (record.fieldName) entry.name = record.fieldName;
    byField.set(record.fieldCode, entry);
    accumulate(entry.sums, record, window);
    accumulate(all, record, window);
  }
  const rows = [...byField.entries()]
    .map(([fieldCode, { name, sums }]) => ({ fieldCode, fieldName: name ?? fieldCode, ...formCounts(sums) }))
    .filter((row) => !isEmptyRow(row))
    .sort((a, b) => (a.fieldCode < b.fieldCode ? -1 : a.fieldCode > b.fieldCode ? 1 : 0));
  return { byField: rows, total: formCounts(all) };
}
