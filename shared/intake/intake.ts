import { localDateOf } from "../domain/calendar";
import { contentHash } from "../domain/canonical-json";
import { communeOf, type Event, eventSchema, MAX_EVENTS_PER_DOSSIER, subjectOf } from "../domain/events";
import type { StoredEvent, SubjectStore, UnitLookup } from "./ports";
import type { RejectionCode } from "./rejection-codes";
import { isInScope, type Source } from "./sources";

export type EventStatus = "applied" | "duplicate" | "rejected";

export { REJECTION_CODES, type RejectionCode } from "./rejection-codes";

export interface EventResult {
  id: string;
  status: EventStatus;
  error?: { code: RejectionCode; message: string; path?: string };
}

export type IntakeSource = Pick<Source, "id" | "allowedProvinces" | "allowedCommunes">;

export interface IntakeDeps {
  store: SubjectStore;
  units: UnitLookup;
}

/**
 * The intake (docs/api.md#intake) for one request whose envelope is valid: validates each event, checks its unit and
 * scope, then hands the accepted events to the store grouped by subject. Results come back in
 * request order. A store failure propagates: the caller answers 5xx and the sender retries.
 */
export async function ingestBatch(
  source: IntakeSource,
  rawEvents: readonly unknown[],
  deps: IntakeDeps,
): Promise<EventResult[]> {
  const results: EventResult[] = rawEvents.map((raw) => ({ id: idOf(raw), status: "rejected" }));
  const accepted = new Map<
    string,
    { subject: ReturnType<typeof subjectOf>; events: StoredEvent[]; indexes: number[] }
  >();
  const firstById = new Map<string, { hash: string; index: number }>();
  const repeats: { index: number; of: number }[] = [];

  rawEvents.forEach((raw, index) => {
    const result = results[index]!;
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      result.error = {
        code: "invalid_event",
        message: issue?.message ?? "invalid event",
        path: issue ? formatPath(issue.path) : "",
      };
      return;
    }
    const event = parsed.data;
    const unitError = checkUnit(event, source, deps.units);
    if (unitError) {
      result.error = unitError;
      return;
    }
    const hash = contentHash(raw);
    // The same id twice in one request: the second is a duplicate or a conflict of the first.
    const earlier = firstById.get(event.id);
    if (earlier) {
      if (earlier.hash === hash) repeats.push({ index, of: earlier.index });
      else result.error = idConflict(event.id);
      return;
    }
    firstById.set(event.id, { hash, index });
    const subject = subjectOf(event);
    const key = `${subject.kind}:${subject.code}`;
    const group = accepted.get(key) ?? { subject, events: [], indexes: [] };
    group.events.push({ event, hash });
    group.indexes.push(index);
    accepted.set(key, group);
  });

  const groups = [...accepted.values()];
  const outcomes = await deps.store.applyAll(source.id, groups);
  for (const group of groups) {
    group.events.forEach(({ event }, i) => {
      const outcome = outcomes.get(event.id);
      // Never report "applied" for an event the store did not account for.
      if (outcome === undefined) throw new Error(`the store returned no outcome for event ${event.id}`);
      results[group.indexes[i]!] =
        outcome === "id_conflict"
          ? { id: event.id, status: "rejected", error: idConflict(event.id) }
          : outcome === "dossier_limit"
            ? { id: event.id, status: "rejected", error: dossierLimit(event) }
            : { id: event.id, status: outcome === "duplicate" ? "duplicate" : "applied" };
    });
  }
  // A repeat inside the request shares the fate of its first copy: duplicate once that is stored.
  for (const { index, of } of repeats) {
    const first = results[of]!;
    results[index] = first.status === "rejected" ? { ...first } : { id: first.id, status: "duplicate" };
  }
  return results;
}

/** 200 when nothing was rejected, 422 when everything was, 207 otherwise (docs/api.md#answers). */
export function statusCodeFor(results: readonly EventResult[]): 200 | 207 | 422 {
  const rejected = results.filter((result) => result.status === "rejected").length;
  if (rejected === 0) return 200;
  return rejected === results.length ? 422 : 207;
}

function checkUnit(event: Event, source: IntakeSource, units: UnitLookup): EventResult["error"] | undefined {
  const communeCode = communeOf(event);
  if (communeCode === undefined) return undefined;
  const onDate = localDateOf(event.occurredAt);
  if (!units.communeExists(communeCode, onDate)) {
    return {
      code: "unknown_unit",
      message: `commune ${communeCode} does not exist on ${onDate}`,
      path: "communeCode",
    };
  }
  const provinceCode = units.provinceOf(communeCode, onDate);
  if (!isInScope(source, { communeCode, provinceCode })) {
    return {
      code: "out_of_scope",
      message: `source ${source.id} may not send events for commune ${communeCode}`,
      path: "communeCode",
    };
  }
  return undefined;
}

const idConflict = (id: string) => ({
  code: "id_conflict" as const,
  message: `event ${id} was already received with different content`,
  path: "id",
});

function dossierLimit(event: Event): NonNullable<EventResult["error"]> {
  const { kind, code } = subjectOf(event);
  return {
    code: "dossier_limit",
    message: `${kind} ${code} already holds ${MAX_EVENTS_PER_DOSSIER} events, the most one ${kind} may hold`,
    path: kind === "dossier" ? "dossierCode" : "feedbackCode",
  };
}

function idOf(raw: unknown): string {
  if (raw !== null && typeof raw === "object" && "id" in raw && typeof raw.id === "string") return raw.id;
  return "";
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part) => String(part)).join(".");
}
