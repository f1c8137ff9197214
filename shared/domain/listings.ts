import {
  localDateOf,
  type MonthKey,
  monthEndInstant,
  monthIndex,
  monthKeyOf,
  reportingMonthOf,
} from "./calendar";
import { classifyResolution, closureOf, dueInForce, pendingStatusAt } from "./contribution";
import { effectiveDetails, type SubjectState } from "./subject-state";

/**
 * Drill-down lists of the report (late and overdue dossiers), kept beside the aggregates so that a
 * report never reads events. Like counters, listings are a pure function of a dossier's state and
 * the store replaces the old ones with the new ones in the same transaction.
 *
 * - `late`: resolved late, listed in the month of its resolution;
 * - `overdue`: open and overdue at a month's end, one entry per run of such months, from `month`
 *   up to (not including) `until` (absent while the run has no end).
 */
export interface Listing {
  kind: "late" | "overdue";
  communeCode: string;
  month: MonthKey;
  until?: MonthKey;
  fieldCode: string;
  fieldName?: string;
  procedureCode: string;
  procedureName?: string;
  receivedOn: string;
  dueOn: string | null;
  resolvedOn?: string;
  apology: boolean;
}

export function listingsOf(state: SubjectState): Listing[] {
  if (state.kind !== "dossier" || state.rejected || state.receivedAt === undefined) return [];
  const details = effectiveDetails(state);
  if (!details) return [];
  const common = {
    communeCode: details.communeCode,
    fieldCode: details.fieldCode,
    ...(details.fieldName ? { fieldName: details.fieldName } : {}),
    procedureCode: details.procedureCode,
    ...(details.procedureName ? { procedureName: details.procedureName } : {}),
    receivedOn: localDateOf(state.receivedAt),
    apology: state.apology,
  };
  const listings: Listing[] = [];
  const closure = closureOf(state);
  if (closure?.by === "resolved") {
    const due = dueInForce(state, closure.at);
    if (classifyResolution(closure.at, due) === "late") {
      listings.push({
        kind: "late",
        month: reportingMonthOf(closure.at),
        ...common,
        dueOn: due === null ? null : localDateOf(due),
        resolvedOn: localDateOf(closure.at),
      });
    }
  }
  // Overdue runs: walk month by month from reception to closure; an open dossier's status no longer
  // changes after its last event and its last due date, so the walk stops there.
  const first = monthIndex(reportingMonthOf(state.receivedAt));
  const end = closure ? monthIndex(reportingMonthOf(closure.at)) : undefined;
  const horizon = Math.max(first, ...lastChangeMonths(state)) + 1;
  let runStart: number | undefined;
  for (let index = first; index < (end ?? horizon + 1); index++) {
    const overdue = pendingStatusAt(state, monthKeyOf(index)) === "overdue";
    if (overdue && runStart === undefined) runStart = index;
    if (!overdue && runStart !== undefined) {
      listings.push(overdueRun(state, common, runStart, index));
      runStart = undefined;
    }
  }
  if (runStart !== undefined) listings.push(overdueRun(state, common, runStart, end));
  return listings;
}

function overdueRun(
  state: SubjectState & { kind: "dossier" },
  common: Omit<Listing, "kind" | "month" | "dueOn">,
  start: number,
  until: number | undefined,
): Listing {
  const month = monthKeyOf(start);
  const due = dueInForce(state, monthEndInstant(month));
  return {
    kind: "overdue",
    month,
    ...(until === undefined ? {} : { until: monthKeyOf(until) }),
    ...common,
    dueOn: due === null ? null : localDateOf(due),
  };
}

function lastChangeMonths(state: SubjectState & { kind: "dossier" }): number[] {
  const instants: number[] = [];
  const due = effectiveDetails(state)?.dueAt;
  if (due != null) instants.push(due);
  for (const change of state.dueChanges) {
    instants.push(change.at);
    if (change.dueAt !== null) instants.push(change.dueAt);
  }
  for (const hold of state.holds) instants.push(hold.from, ...(hold.to === null ? [] : [hold.to]));
  return instants.map((at) => monthIndex(reportingMonthOf(at)) + 1);
}

/** Whether an overdue run covers the end of a month. */
export function overdueAt(listing: Listing, month: MonthKey): boolean {
  return (
    listing.kind === "overdue" &&
    listing.month <= month &&
    (listing.until === undefined || monthIndex(listing.until) > monthIndex(month))
  );
}
