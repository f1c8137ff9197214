import type { Event, SubjectRef } from "../domain/events";

/** What became of one accepted (schema-valid, in-scope) event once the store has seen it. */
export type StoreOutcome = "applied" | "duplicate" | "id_conflict" | "dossier_limit";

export interface StoredEvent {
  event: Event;
  /** The content fingerprint: the same id with another fingerprint is an `id_conflict`. */
  hash: string;
}

/**
 * The exactly-once store: applies a subject's new events and their effect on every aggregate
 * atomically, or not at all (it throws, and nothing of that call is committed).
 */
export interface SubjectStore {
  /**
   * Applies the new events of each subject (one dossier or feedback). Subjects are independent:
   * each commits on its own; if any fails, the others are still tried and the call throws.
   */
  applyAll(sourceId: string, batches: readonly SubjectBatch[]): Promise<Map<string, StoreOutcome>>;
}

export interface SubjectBatch {
  subject: SubjectRef;
  events: readonly StoredEvent[];
}

/** Unit lookups the intake needs, answered for the local date the event happened on. */
export interface UnitLookup {
  communeExists(code: string, onDate: string): boolean;
  provinceOf(code: string, onDate: string): string | undefined;
}
