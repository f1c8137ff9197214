/**
 * The oracle's view of a generated stream: the aggregate records and listings the intake must store
 * for it (recomputeAggregates + listingsOf; the property tests prove the intake stores exactly these),
 * with the field names the store keeps beside the counters.
 */
import { parseAggregateKey } from "../shared/domain/counters";
import { type Event, subjectOf } from "../shared/domain/events";
import { foldSubject, recomputeAggregates } from "../shared/domain/fold";
import type { AggregateRecord } from "../shared/domain/form-ii06a";
import { listingsOf } from "../shared/domain/listings";
import type { StoredListing } from "../shared/reports/build-model";

/** Aggregate records and listings of a generated year, as the intake would store them. */
export function aggregatesOf(events: Event[]): { records: AggregateRecord[]; listings: StoredListing[] } {
  const subjects = new Map<string, { kind: "dossier" | "feedback"; events: Event[] }>();
  const names = new Map<string, string>();
  for (const event of events) {
    const subject = subjectOf(event);
    const key = `${subject.kind}:${subject.code}`;
    const entry = subjects.get(key) ?? { kind: subject.kind, events: [] };
    entry.events.push(event);
    subjects.set(key, entry);
    if ("fieldName" in event && event.fieldName && event.fieldCode)
      names.set(event.fieldCode, event.fieldName);
  }
  const records = [...recomputeAggregates(subjects.values())].map(([key, counters]) => {
    const address = parseAggregateKey(key);
    const fieldName = names.get(address.fieldCode);
    return { ...address, ...(fieldName ? { fieldName } : {}), counters };
  });
  const listings = [...subjects.entries()]
    .filter(([, s]) => s.kind === "dossier")
    .flatMap(([key, s]) =>
      listingsOf(foldSubject("dossier", s.events)).map((l) => ({ ...l, dossierCode: key.slice(8) })),
    );
  return { records, listings };
}
