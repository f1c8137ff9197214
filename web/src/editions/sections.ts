/** The report's sections and their length limit: the backend's one list (shared/editions/sections.ts). */
export {
  MAX_SECTION_CHARS,
  SECTION_IDS,
  SECTIONS,
  type SectionId,
  sectionTitle,
} from "../../../shared/editions/sections";
