import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { canonicalKey, MAX_EVENTS_PER_DOSSIER, type SubjectRef } from "../../domain/events";
import { initialState, type SubjectState } from "../../domain/subject-state";
import type { StoredEvent, StoreOutcome } from "../../intake/ports";

/** A subject's head item as the store reads it (docs/architecture.md#the-table). */
export interface Head {
  exists: boolean;
  version: number;
  state: SubjectState;
  /** id → content hash of every event the subject holds. */
  events: Map<string, string>;
  /** Canonical key of the last event in canonical order: later events fold from `state`. */
  last: string;
}

export function parseHead(subject: SubjectRef, item: Record<string, AttributeValue> | undefined): Head {
  if (!item)
    return { exists: false, version: 0, state: initialState(subject.kind), events: new Map(), last: "" };
  const head = unmarshall(item);
  return {
    exists: true,
    version: head.v as number,
    state: JSON.parse(head.st as string) as SubjectState,
    events: new Map(JSON.parse(head.ev as string) as [string, string][]),
    last: head.last as string,
  };
}

/** Whether every new event sorts after the head's last one, so they fold from the stored state. */
export function sortsAfter(head: Head, events: readonly StoredEvent[]): boolean {
  return events.every(({ event }) => head.events.has(event.id) || canonicalKey(event) > head.last);
}

/** The batch's events the head already holds (duplicates, conflicts), those past the bound, and the new ones. */
export function sortOut(
  head: Head,
  events: readonly StoredEvent[],
): { known: Map<string, StoreOutcome>; fresh: StoredEvent[] } {
  const known = new Map<string, StoreOutcome>();
  const fresh: StoredEvent[] = [];
  for (const stored of events) {
    const hash = head.events.get(stored.event.id);
    if (hash !== undefined) known.set(stored.event.id, hash === stored.hash ? "duplicate" : "id_conflict");
    // Past the bound the head would outgrow DynamoDB's item size limit (events.ts).
    else if (head.events.size + fresh.length >= MAX_EVENTS_PER_DOSSIER)
      known.set(stored.event.id, "dossier_limit");
    else fresh.push(stored);
  }
  return { known, fresh };
}
