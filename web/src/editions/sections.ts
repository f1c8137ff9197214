/**
 * The report's sections: the backend's one list (shared/editions/sections.ts, ids and the seed's
 * titles), and the per-section limit for the textarea. The limit is defined with the schemas in
 * shared/editions/edition.ts, which imports zod and Node's types, so the page repeats the number;
 * test/unit/web-editions.test.ts checks it equals the backend's.
 */
export { SECTION_IDS, SECTIONS, type SectionId, sectionTitle } from "../../../shared/editions/sections";

/** At most this many characters in one section's text (docs/editions.md#sections). */
export const MAX_SECTION_CHARS = 20_000;
