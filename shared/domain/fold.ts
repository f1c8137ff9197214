import { contributionOf } from "./contribution";
import { type Contribution, sumContributions } from "./counters";
import { type Event, type SubjectKind, sortCanonically } from "./events";
import { evolve, initialState, type SubjectState } from "./subject-state";

/** A subject's state from scratch: every event it has, in canonical order. */
export function foldSubject(kind: SubjectKind, events: readonly Event[]): SubjectState {
  return sortCanonically(events).reduce<SubjectState>(evolve, initialState(kind));
}

/**
 * The oracle: the aggregates recomputed from scratch, by folding each subject's distinct events.
 * Whatever the store did, in whatever order and concurrency, must equal this.
 */
export function recomputeAggregates(
  subjects: Iterable<{ kind: SubjectKind; events: readonly Event[] }>,
): Contribution {
  const contributions: Contribution[] = [];
  for (const { kind, events } of subjects) {
    const distinct = [...new Map(events.map((event) => [event.id, event])).values()];
    contributions.push(contributionOf(foldSubject(kind, distinct)));
  }
  return sumContributions(contributions);
}
