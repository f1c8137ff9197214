/**
 * The Word draft's paragraphs for the report additions (docs/reports.md): the note on the
 * predecessors of a commune made by the 2025 reorganization, the comparison with the previous
 * period, and the service index. Their texts come from comparison.ts, reorganization-note.ts and
 * service-index-text.ts, the sources the workbook reads too.
 */
import type { Paragraph } from "docx";
import type { CommuneReport } from "../model";
import { comparisonRows, comparisonSentences } from "./comparison";
import { predecessorNotes } from "./reorganization-note";
import { serviceIndexText } from "./service-index-text";
import { periodLabel, periodRangeLabel } from "./vietnamese-format";
import { body, dash, heading } from "./word-primitives";

/** Right after the opening: which old communes the figures include (nothing for other units). */
export function predecessorParagraphs(report: CommuneReport): Paragraph[] {
  return predecessorNotes(report.unit, report.period).map((note) => body(note));
}

/** In section 4: the headline figures against the previous period, in words and percent. */
export function comparisonParagraphs(report: CommuneReport): Paragraph[] {
  const { previous } = report;
  const rows = comparisonRows(
    {
      total: report.dossiers.total,
      onlineReception: report.onlineReception,
      serviceIndex: report.serviceIndex,
    },
    previous,
  );
  return [
    heading(
      `* So sánh với ${periodLabel(previous.period)} (${periodRangeLabel(previous.period).toLowerCase()}):`,
      3,
    ),
    ...comparisonSentences(rows, previous).map((sentence, i, all) =>
      dash(`${sentence}${i === all.length - 1 ? "." : ";"}`),
    ),
  ];
}

/** In section 6 (electronic procedures): the service index of Decision 766/QĐ-TTg as the product reads it. */
export function serviceIndexParagraphs(report: CommuneReport): Paragraph[] {
  const { lead, lines } = serviceIndexText(report.serviceIndex);
  return [
    heading("* Chỉ số chất lượng phục vụ người dân, doanh nghiệp (Quyết định số 766/QĐ-TTg):", 3),
    body(lead, { keepNext: true }),
    ...lines.map((line) => dash(line)),
  ];
}
