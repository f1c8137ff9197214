import { MAX_EVENTS_PER_DOSSIER } from "../domain/intake-limits";

/**
 * The per-event error codes (`results[].error.code`, docs/api.md#error-codes) and what each means: the one
 * list of them; the HTTP edge (shared/api/http.ts) and the OpenAPI document take theirs from here. A module of
 * its own (intake.ts re-exports it): every HTTP function loads it, and it loads no schema.
 */
export const REJECTION_CODES = {
  invalid_event: "per event: the event fails the schema of its type (see `path`)",
  unknown_unit: "per event: no commune with that code exists on the event's date",
  out_of_scope: "per event: the source may not send events for that unit",
  id_conflict: "per event: an event with the same id and different content was already accepted",
  dossier_limit: `per event: the dossier already holds ${MAX_EVENTS_PER_DOSSIER} events, the most one dossier may hold; nothing applied for this event`,
} as const;
export type RejectionCode = keyof typeof REJECTION_CODES;
