/**
 * The portal's numeric `error_code` of every DVCQG answer (docs/dvcqg.md), and what each
 * means. 3 is never used: one known sender treats `"3"` as success.
 */
export const DVCQG_ERROR = {
  ok: 0,
  unauthorized: 1,
  bad_request: 2,
  rejected_items: 4,
  unavailable: 5,
  locked: 9,
  internal: 99,
} as const;
export type DvcqgErrorCode = keyof typeof DVCQG_ERROR;

export const DVCQG_ERROR_MEANINGS: Record<DvcqgErrorCode, string> = {
  ok: "200: logged in, looked up, or every item `applied` or `unchanged`",
  unauthorized:
    "401: wrong username or password (the same answer for both), a source without DVCQG access, or a missing, unknown, expired or other source's session; nothing applied",
  bad_request:
    "400: not JSON, wrong Content-Type, unknown `service`, `data` missing or beyond the limits; 413: body over 1 MiB; nothing applied",
  rejected_items: "207: some items `rejected`, the others applied or unchanged; 422: every item `rejected`",
  unavailable: "503: storage busy; nothing of the failed dossiers was committed, retry the same request",
  locked: "429: too many failed log-ins for the source; retry after `Retry-After` seconds",
  internal:
    "500: an unexpected error; nothing was half-applied, retrying is safe (quote `requestId` when reporting it)",
};
