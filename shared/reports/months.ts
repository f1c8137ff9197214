/**
 * The monthly series of live figures (docs/portal.md): a period's reporting months one by one,
 * summed from the very aggregate records the report sums, so the months add up to the report's
 * totals (received and resolved sum to the period's; the last month's pending balances are the
 * report's). Pure, and light to import (the OpenAPI document reads the schema).
 */
import { z } from "zod";
import { type MonthKey, monthBounds, monthIndex, monthKeyOf } from "../domain/calendar";
import type { Counters } from "../domain/counters";
import { type AggregateRecord, formCounts, type MonthWindow } from "../domain/form-ii06a";
import { localDateSchema } from "./request";

const count = z.number().int().min(0);

/** One reporting month of the series (docs/portal.md); the OpenAPI document is generated from it. */
export const monthFiguresSchema = z
  .strictObject({
    year: z.number().int(),
    month: z.number().int().min(1).max(12).meta({
      description: "Reporting month: from the 15th of the month before to the 14th.",
    }),
    from: localDateSchema,
    to: localDateSchema,
    received: z
      .strictObject({ online: count, directOrPostal: count })
      .meta({ description: "New dossiers received in the month." }),
    resolved: z
      .strictObject({ early: count, onTime: count, late: count })
      .meta({ description: "Dossiers resolved in the month." }),
    pendingAtEnd: z
      .strictObject({ withinDeadline: count, overdue: count })
      .meta({ description: "Dossiers still open at the month's last day." }),
  })
  .meta({ id: "MonthFigures" });

export type MonthFigures = z.infer<typeof monthFiguresSchema>;

function addCounters(target: Counters, counters: Counters): void {
  for (const [name, value] of Object.entries(counters)) target[name] = (target[name] ?? 0) + value;
}

/**
 * The window's months one by one, from aggregate records (of one commune or of many: they are
 * summed). One pass over the records, then a running balance for the pending counters, which
 * are stored as monthly changes (shared/domain/counters.ts).
 */
export function monthlySeries(records: Iterable<AggregateRecord>, window: MonthWindow): MonthFigures[] {
  const first = monthIndex(window.firstMonth);
  const last = monthIndex(window.lastMonth);
  const before: Counters = {};
  const inMonth: Counters[] = Array.from({ length: last - first + 1 }, () => ({}));
  for (const record of records) {
    const index = monthIndex(record.month);
    if (index > last) continue;
    addCounters(index < first ? before : inMonth[index - first]!, record.counters);
  }
  const toEnd: Counters = { ...before };
  return inMonth.map((counters, offset) => {
    addCounters(toEnd, counters);
    const month: MonthKey = monthKeyOf(first + offset);
    const form = formCounts({ inPeriod: counters, before: {}, toEnd });
    const { early, onTime, late } = form.resolved;
    return {
      year: Number(month.slice(0, 4)),
      month: Number(month.slice(5, 7)),
      ...monthBounds(month),
      received: { online: form.received.online, directOrPostal: form.received.directOrPostal },
      resolved: { early, onTime, late },
      pendingAtEnd: { withinDeadline: form.pending.withinDeadline, overdue: form.pending.overdue },
    };
  });
}
