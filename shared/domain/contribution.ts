import {
  addDays,
  localDateOf,
  type MonthKey,
  monthEndInstant,
  monthIndex,
  monthKeyOf,
  reportingMonthOf,
  reportingMonthOfDate,
} from "./calendar";
import { addTo, aggregateKey, BUNDLE_PREFIX, COUNTER, type Contribution, type Counters } from "./counters";
import { type DossierState, effectiveDetails, type FeedbackState, type SubjectState } from "./subject-state";

/**
 * A subject's contribution to the aggregates: a pure function of its state (the rules:
 * docs/architecture.md#figure-rules).
 * Every counter lands on the commune and field the dossier has after all corrections.
 */
export function contributionOf(state: SubjectState): Contribution {
  return state.kind === "dossier" ? dossierContribution(state) : feedbackContribution(state);
}

export type Resolution = "early" | "onTime" | "late";
export type PendingStatus = "within" | "overdue";

/** The due date in force at an instant: the latest change made by then, else the one set at reception. */
export function dueInForce(state: DossierState, at: number): number | null {
  let due = effectiveDetails(state)?.dueAt ?? null;
  for (const change of state.dueChanges) if (change.at <= at) due = change.dueAt;
  return due;
}

export function isHeldAt(state: DossierState, at: number): boolean {
  return state.holds.some((hold) => hold.from <= at && (hold.to === null || hold.to > at));
}

/** Early / on time / late by local calendar date against the due date in force; no due date → on time. */
export function classifyResolution(resolvedAt: number, dueAt: number | null): Resolution {
  if (dueAt === null) return "onTime";
  const resolved = localDateOf(resolvedAt);
  const due = localDateOf(dueAt);
  return resolved < due ? "early" : resolved === due ? "onTime" : "late";
}

/** Open at the end of a reporting month: within deadline or overdue (docs/architecture.md#figure-rules). */
export function pendingStatusAt(state: DossierState, month: MonthKey): PendingStatus {
  const end = monthEndInstant(month);
  if (isHeldAt(state, end)) return "within";
  const due = dueInForce(state, end);
  if (due === null) return "within";
  return localDateOf(due) >= `${month}-14` ? "within" : "overdue";
}

export interface Closure {
  at: number;
  by: "resolved" | "withdrawn";
}

/**
 * When the dossier stopped being pending: the first resolution (else the first return), or the
 * withdrawal, whichever came first. A closure stamped before the reception counts at the reception,
 * so that received = resolved + pending holds whatever clocks the sender has.
 */
export function closureOf(state: DossierState): Closure | undefined {
  if (state.receivedAt === undefined) return undefined;
  const resolution = state.resolvedAt ?? state.returnedAt;
  const candidates: Closure[] = [];
  if (resolution !== undefined) candidates.push({ at: resolution, by: "resolved" });
  if (state.withdrawnAt !== undefined) candidates.push({ at: state.withdrawnAt, by: "withdrawn" });
  if (candidates.length === 0) return undefined;
  const first = candidates.reduce((a, b) => (b.at < a.at ? b : a));
  return { ...first, at: Math.max(first.at, state.receivedAt) };
}

function dossierContribution(state: DossierState): Contribution {
  const details = effectiveDetails(state);
  const contribution: Contribution = new Map();
  if (state.rejected || details === undefined || state.receivedAt === undefined) return contribution;

  const receivedAt = state.receivedAt;
  const at = (instant: number) => reportingMonthOf(Math.max(instant, receivedAt));
  const add = (month: MonthKey, counters: Counters) =>
    addTo(
      contribution,
      aggregateKey({ communeCode: details.communeCode, month, fieldCode: details.fieldCode }),
      counters,
    );

  const receivedMonth = reportingMonthOf(receivedAt);
  const reception: Counters = {
    [COUNTER.received]: 1,
    [details.channel === "online"
      ? COUNTER.receivedOnline
      : details.channel === "postal"
        ? COUNTER.receivedPostal
        : COUNTER.receivedDirect]: 1,
    [details.digitization === "full"
      ? COUNTER.componentsFull
      : details.digitization === "partial"
        ? COUNTER.componentsPartial
        : COUNTER.componentsNone]: 1,
  };
  if (details.feeRequired) {
    reception[COUNTER.feeRequired] = 1;
    if (state.paidOnline) reception[COUNTER.paidOnline] = 1;
  }
  if (details.interlink) {
    reception[
      details.interlink.scope === "same-level" ? COUNTER.interlinkSameLevel : COUNTER.interlinkCrossLevel
    ] = 1;
    if (details.interlink.bundle) reception[`${BUNDLE_PREFIX}${details.interlink.bundle}`] = 1;
  }
  if (details.electronicCertification) reception[COUNTER.electronicCertification] = 1;
  add(receivedMonth, reception);

  const closure = closureOf(state);
  if (closure) {
    const resolution =
      closure.by === "withdrawn" ? "onTime" : classifyResolution(closure.at, dueInForce(state, closure.at));
    const counters: Counters = { [COUNTER.resolved]: 1, [COUNTER[resolution]]: 1 };
    if (closure.by === "withdrawn") counters[COUNTER.withdrawn] = 1;
    else if (state.resultDigitized) counters[COUNTER.resultDigitized] = 1;
    add(reportingMonthOf(closure.at), counters);
  }
  for (const { month, counters } of pendingDeltas(state, receivedMonth, closure)) add(month, counters);

  if (state.returnedAt !== undefined && state.returnChannel === "postal") {
    add(at(state.returnedAt), { [COUNTER.returnedByPost]: 1 });
  }
  if (state.rating) {
    const name = {
      "very-satisfied": COUNTER.ratedVerySatisfied,
      satisfied: COUNTER.ratedSatisfied,
      unsatisfied: COUNTER.ratedUnsatisfied,
    }[state.rating.value];
    add(at(state.rating.at), { [name]: 1 });
  }
  return contribution;
}

const STATUS_COUNTER = { within: COUNTER.pendingWithin, overdue: COUNTER.pendingOverdue } as const;

/**
 * The pending status at each month's end from reception to closure, as deltas on the months where
 * it changes. The status can only change in a month where a due date or a hold changes, or where a
 * due date in force falls behind the month's last day, so only those months are evaluated; after the
 * last of them it stays as it is until the closure.
 */
function pendingDeltas(
  state: DossierState,
  receivedMonth: MonthKey,
  closure: Closure | undefined,
): { month: MonthKey; counters: Counters }[] {
  const first = monthIndex(receivedMonth);
  const end = closure ? monthIndex(reportingMonthOf(closure.at)) : Number.POSITIVE_INFINITY;
  if (end <= first) return [];

  const candidates = new Set<number>([first]);
  const consider = (instant: number) => candidates.add(monthIndex(reportingMonthOf(instant)));
  const considerDue = (due: number | null) => {
    if (due !== null) candidates.add(monthIndex(reportingMonthOfDate(addDays(localDateOf(due), 1))));
  };
  considerDue(effectiveDetails(state)?.dueAt ?? null);
  for (const change of state.dueChanges) {
    consider(change.at);
    considerDue(change.dueAt);
  }
  for (const hold of state.holds) {
    consider(hold.from);
    if (hold.to !== null) consider(hold.to);
  }

  const deltas: { month: MonthKey; counters: Counters }[] = [];
  let previous: PendingStatus | undefined;
  for (const index of [...candidates].filter((i) => i >= first && i < end).sort((a, b) => a - b)) {
    const month = monthKeyOf(index);
    const status = pendingStatusAt(state, month);
    if (status === previous) continue;
    const counters: Counters = { [STATUS_COUNTER[status]]: 1 };
    if (previous) counters[STATUS_COUNTER[previous]] = -1;
    deltas.push({ month, counters });
    previous = status;
  }
  if (closure && previous)
    deltas.push({ month: monthKeyOf(end), counters: { [STATUS_COUNTER[previous]]: -1 } });
  return deltas;
}

function feedbackContribution(state: FeedbackState): Contribution {
  const contribution: Contribution = new Map();
  const { receivedAt, communeCode, fieldCode } = state;
  if (receivedAt === undefined || communeCode === undefined || fieldCode === undefined) return contribution;
  const add = (instant: number, counters: Counters) =>
    addTo(
      contribution,
      aggregateKey({ communeCode, fieldCode, month: reportingMonthOf(Math.max(instant, receivedAt)) }),
      counters,
    );

  add(receivedAt, {
    [state.feedbackKind === "behavior" ? COUNTER.feedbackBehavior : COUNTER.feedbackRegulation]: 1,
    [COUNTER.feedbackPending]: 1,
  });
  if (state.resolvedAt !== undefined) {
    add(state.resolvedAt, {
      [COUNTER.feedbackPending]: -1,
      [COUNTER.feedbackResolved]: 1,
      ...(state.published ? { [COUNTER.feedbackPublished]: 1 } : {}),
    });
  }
  return contribution;
}
