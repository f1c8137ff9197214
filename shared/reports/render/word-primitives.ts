/**
 * The Word document's primitives (Decree 30/2020/NĐ-CP layout): page sizes and margins, Times New
 * Roman 14 pt body paragraphs, headings, the highlighted "[…]" placeholders, centred lines, short
 * rules and borderless layout tables. Shared by the frame, the narrative and the annexes.
 */
import {
  AlignmentType,
  BorderStyle,
  type IBorderOptions,
  type ITableBordersOptions,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  type TableRow,
  TextRun,
  WidthType,
} from "docx";

/** The marker officials search for and replace with their own text. */
export const PLACEHOLDER = "[…]";

export const FONT = "Times New Roman";
export const pt = (points: number): number => points * 2; // docx sizes are half-points
export const mm = (millimetres: number): number => Math.round(millimetres * 56.6929); // twips

export const A4 = { width: mm(210), height: mm(297) };
export const PORTRAIT_MARGIN = { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) };
export const LANDSCAPE_MARGIN = { top: mm(20), bottom: mm(20), left: mm(20), right: mm(15) };
export const PORTRAIT_TEXT_WIDTH = A4.width - PORTRAIT_MARGIN.left - PORTRAIT_MARGIN.right;
export const LANDSCAPE_TEXT_WIDTH = A4.height - LANDSCAPE_MARGIN.left - LANDSCAPE_MARGIN.right;

export const BODY_SIZE = pt(14);
export const FIRST_LINE = mm(10);

// ---------------------------------------------------------------------------------------------
// Paragraph helpers

export interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  size?: number;
}

export type Inline = string | TextRun | TextRun[];

export function runs(content: Inline, style: RunStyle = {}): TextRun[] {
  if (typeof content === "string") {
    return [new TextRun({ text: content, bold: style.bold, italics: style.italics, size: style.size })];
  }
  return Array.isArray(content) ? content : [content];
}

export const t = (text: string, style: RunStyle = {}): TextRun =>
  new TextRun({ text, bold: style.bold, italics: style.italics, size: style.size });

/** A highlighted "[…]" with a hint of what to write. */
export function placeholderRuns(hint: string): TextRun[] {
  return [
    new TextRun({ text: PLACEHOLDER, bold: true, highlight: "yellow" }),
    new TextRun({ text: ` ${hint}`, italics: true, highlight: "yellow" }),
  ];
}

/** A body paragraph: justified, first line indented, 6 pt after, line spacing 1.15. */
export function body(content: Inline, opts: { keepNext?: boolean } = {}): Paragraph {
  return new Paragraph({
    children: runs(content),
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: FIRST_LINE },
    spacing: { before: 0, after: 120, line: 276 },
    keepNext: opts.keepNext,
  });
}

export function placeholder(hint: string): Paragraph {
  return body(placeholderRuns(hint));
}

/** "- text" in the body, as the seed lists its figures. */
export function dash(content: Inline): Paragraph {
  return body([t("- "), ...runs(content)]);
}

/** Section heading "I. …" (bold, upper case), item heading "1. …" (bold), point heading "* …" (bold italic). */
export function heading(text: string, level: 1 | 2 | 3): Paragraph {
  return new Paragraph({
    children: [t(text, { bold: true, italics: level === 3 })],
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: FIRST_LINE },
    spacing: { before: level === 1 ? 180 : 120, after: 120, line: 276 },
    keepNext: true,
  });
}

export function centred(
  content: Inline,
  style: RunStyle & { before?: number; after?: number } = {},
): Paragraph {
  return new Paragraph({
    children: runs(content, style),
    alignment: AlignmentType.CENTER,
    spacing: { before: style.before ?? 0, after: style.after ?? 0 },
  });
}

/** A short horizontal rule, centred in a box `boxWidth` twips wide (Decree 30's lines under headings). */
export function rule(length: number, boxWidth: number): Paragraph {
  const side = Math.max(0, Math.round((boxWidth - length) / 2));
  const line: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 1 };
  return new Paragraph({
    children: [new TextRun({ text: "", size: 4 })],
    indent: { left: side, right: side },
    border: { top: line },
    spacing: { before: 60, after: 0, line: 80, lineRule: "exact" },
  });
}

export const NO_BORDERS = TableBorders.NONE;
export const CELL_MARGIN = 0;

export function plainCell(children: Paragraph[], width: number): TableCell {
  return new TableCell({
    children,
    width: { size: width, type: WidthType.DXA },
    borders: NO_BORDERS,
    margins: { left: CELL_MARGIN, right: CELL_MARGIN, top: 0, bottom: 0 },
  });
}

/** A table of fixed column widths (twips) as wide as its columns: layout tables and annex grids alike. */
export function fixedTable(rows: TableRow[], widths: number[], borders: ITableBordersOptions): Table {
  return new Table({
    rows,
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders,
  });
}

export function borderlessTable(rows: TableRow[], widths: number[]): Table {
  return fixedTable(rows, widths, NO_BORDERS);
}
