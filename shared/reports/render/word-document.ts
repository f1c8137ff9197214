/**
 * Word rendering of the report model (docx): the commune's narrative report as a DRAFT laid out per
 * Decree 30/2020/NĐ-CP (A4, margins 20/20/30/15 mm, Times New Roman, the national motto block beside
 * the issuing body, the place-date line), with every figure computed from the model in Vietnamese
 * number style and highlighted "[…]" placeholders where officials write their own text; then the
 * annex tables (Form II.06a, feedback, digitization, late and overdue dossiers) in a landscape section.
 * Pure: a report in, the .docx bytes out.
 *
 * This file is the frame (header block, title, signature, page numbers, the two sections); the text
 * is in word-narrative.ts, the annex tables in word-annexes.ts, the shared pieces in word-primitives.ts.
 */
import {
  AlignmentType,
  Document,
  Header,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  type Table,
  TableRow,
  TextRun,
} from "docx";
import type { EditionContent } from "../../editions/edition";
import type { CommuneReport, LocalDate } from "../model";
import {
  defaultIssueDate,
  issuingBodyLines,
  issuingBodyShort,
  placeName,
  provenanceLine,
  receivingBodyShort,
} from "./table-layouts";
import { formatDate, periodLabel, placeDateLine, unitNameInSentence } from "./vietnamese-format";
import { annexes } from "./word-annexes";
import { annexSignatures, nameLine, signerLines } from "./word-edition";
import { narrative } from "./word-narrative";
import {
  A4,
  BODY_SIZE,
  borderlessTable,
  centred,
  FONT,
  LANDSCAPE_MARGIN,
  mm,
  PORTRAIT_MARGIN,
  PORTRAIT_TEXT_WIDTH,
  placeholderRuns,
  plainCell,
  pt,
  rule,
  t,
} from "./word-primitives";

export interface CommuneDocumentOptions {
  /** The registered number, e.g. "140" → "Số: 140/BC-UBND"; absent → "Số: …/BC-UBND". */
  reportNumber?: string;
  /** The document's date; defaults to the period's last day (or the cut-off of a year-to-date report). */
  issuedOn?: LocalDate;
  /** A report edition (docs/editions.md): its texts, numbers and document block (number, place, date,
   * recipients, signer, preparer) take the place of the placeholders. */
  edition?: EditionContent;
}

export { PLACEHOLDER } from "./word-primitives";

// ---------------------------------------------------------------------------------------------
// The frame: header block, title, signature, page numbers

const HEADER_LEFT = mm(62);
const HEADER_RIGHT = PORTRAIT_TEXT_WIDTH - HEADER_LEFT;

function headerBlock(report: CommuneReport, number: string, place: string, issuedOn: LocalDate): Table {
  const [bodyLine1, bodyLine2] = issuingBodyLines(report.unit);
  const size = pt(13);
  return borderlessTable(
    [
      new TableRow({
        children: [
          plainCell(
            [
              centred(bodyLine1, { bold: true, size }),
              centred(bodyLine2, { bold: true, size }),
              rule(mm(22), HEADER_LEFT),
            ],
            HEADER_LEFT,
          ),
          plainCell(
            [
              centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { bold: true, size }),
              centred("Độc lập - Tự do - Hạnh phúc", { bold: true, size: pt(14) }),
              rule(mm(62), HEADER_RIGHT),
            ],
            HEADER_RIGHT,
          ),
        ],
      }),
      new TableRow({
        children: [
          plainCell([centred(`Số: ${number}`, { size, before: 120 })], HEADER_LEFT),
          plainCell(
            [
              centred(placeDateLine(place, issuedOn), {
                italics: true,
                size: pt(14),
                before: 120,
              }),
            ],
            HEADER_RIGHT,
          ),
        ],
      }),
    ],
    [HEADER_LEFT, HEADER_RIGHT],
  );
}

/** The subject ("trích yếu") of the report, after the seed's. */
export function reportSubject(report: CommuneReport): string {
  return (
    "Công tác kiểm soát thủ tục hành chính, triển khai cơ chế một cửa, một cửa liên thông và thực hiện " +
    `thủ tục hành chính trên môi trường điện tử ${periodLabel(report.period)} ${unitNameInSentence(
      report.unit.communeName,
    )}`
  );
}

function titleBlock(report: CommuneReport): Paragraph[] {
  return [
    centred("BÁO CÁO", { bold: true, size: pt(14), before: 360, after: 60 }),
    new Paragraph({
      children: [t(reportSubject(report), { bold: true, size: pt(14) })],
      alignment: AlignmentType.CENTER,
      indent: { left: mm(10), right: mm(10) },
      spacing: { before: 0, after: 60 },
    }),
    rule(mm(40), PORTRAIT_TEXT_WIDTH),
    new Paragraph({ children: [], spacing: { before: 0, after: 120 } }),
  ];
}

function signatureBlock(report: CommuneReport, edition: EditionContent | undefined): Table {
  const left = mm(85);
  const right = PORTRAIT_TEXT_WIDTH - left;
  const receiving = receivingBodyShort(report.unit);
  const recipient = (runsOf: TextRun[]): Paragraph =>
    new Paragraph({ children: runsOf, spacing: { before: 0, after: 0 } });
  const listed = edition?.document.recipients;
  const recipients = [
    new Paragraph({
      children: [t("Nơi nhận:", { bold: true, italics: true, size: pt(12) })],
      spacing: { before: 0, after: 0 },
    }),
    ...(listed && listed.length > 0
      ? listed.map((name, i) =>
          recipient([t(`- ${name}${i === listed.length - 1 ? "." : ";"}`, { size: pt(11) })]),
        )
      : [
          recipient(
            receiving
              ? [t(`- ${receiving};`, { size: pt(11) })]
              : [t("- ", { size: pt(11) }), ...placeholderRuns("cơ quan nhận báo cáo;")],
          ),
          recipient([t(`- Lưu: VT.`, { size: pt(11) })]),
        ]),
  ];
  const [authority, title] = signerLines(edition);
  const signer = [
    centred(authority, { bold: true, size: pt(14) }),
    centred(title, { bold: true, size: pt(14) }),
    centred("", { size: pt(14), before: 1200 }),
    nameLine(edition?.document.signerName, "Họ và tên người ký"),
  ];
  return borderlessTable(
    [new TableRow({ children: [plainCell(recipients, left), plainCell(signer, right)], cantSplit: true })],
    [left, right],
  );
}

function pageNumberHeader(): Header {
  return new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: [PageNumber.CURRENT], size: pt(13) })],
      }),
    ],
  });
}

/**
 * The commune's narrative report (DRAFT) with its annexes, as a .docx. Every figure comes from the
 * report; "[…]" marks (highlighted) where officials write their own text.
 */
export async function renderCommuneDocument(
  report: CommuneReport,
  opts: CommuneDocumentOptions = {},
): Promise<Buffer> {
  const { edition } = opts;
  const issuedOn = edition?.document.date ?? opts.issuedOn ?? defaultIssueDate(report.period);
  const number = edition?.document.number?.trim() || `${opts.reportNumber?.trim() || "…"}/BC-UBND`;
  const place = edition?.document.place?.trim() || placeName(report.unit);
  const reference = `Kèm theo Báo cáo số ${number} ngày ${formatDate(issuedOn)} của ${issuingBodyShort(report.unit)}`;
  const doc = new Document({
    creator: "one-stop-reports",
    title: `Báo cáo ${reportSubject(report)}`,
    description: provenanceLine(report.generatedAt),
    styles: {
      default: {
        document: {
          run: { font: FONT, size: BODY_SIZE },
          paragraph: { spacing: { before: 0, after: 0 } },
        },
      },
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: { size: { width: A4.width, height: A4.height }, margin: PORTRAIT_MARGIN },
        },
        headers: { default: pageNumberHeader(), first: new Header({ children: [] }) },
        children: [
          headerBlock(report, number, place, issuedOn),
          ...titleBlock(report),
          ...narrative(report, edition),
          new Paragraph({ children: [], spacing: { before: 120 } }),
          signatureBlock(report, edition),
        ],
      },
      {
        properties: {
          page: {
            size: { width: A4.width, height: A4.height, orientation: PageOrientation.LANDSCAPE },
            margin: LANDSCAPE_MARGIN,
          },
        },
        headers: { default: pageNumberHeader() },
        children: [...annexes(report, reference), ...(edition ? [annexSignatures(edition)] : [])],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
