/**
 * The intake's limits (docs/reliability.md#limits), apart from the event schemas (events.ts
 * re-exports them) so that code needing only a number, such as the error codes every HTTP function
 * loads, does not load zod and the schemas at its cold start.
 */
export const MAX_EVENTS_PER_REQUEST = 500;
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * The most events one subject (dossier or feedback) holds; further ones are rejected with
 * `dossier_limit`. Its head item lists every event's id and content hash (at most ~200 bytes each
 * with a 128-character id) and its state grows by at most ~60 bytes per event, so 1,000 events
 * stay near 260 KB, well inside DynamoDB's 400 KB item limit. Real dossiers hold under twenty.
 */
export const MAX_EVENTS_PER_DOSSIER = 1000;
