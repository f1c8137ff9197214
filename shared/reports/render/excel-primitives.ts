/**
 * The cells and sheet pieces every sheet of the workbooks is made of (exceljs): fonts, borders and
 * number formats, a bordered table under a multi-level merged header, the form's heading, notes and
 * signature blocks, an A4 landscape sheet. The sheets are in excel-commune-sheets.ts and
 * excel-additions.ts, the two workbooks in excel-workbook.ts.
 *
 * Number style: counts are stored as numbers with the format `#.###` written with literal dots, so
 * Excel and LibreOffice show "3.241" whatever the reader's locale; rates are stored as fractions
 * (0.9887) with the format `0.00%`, which the reader's locale shows as "98,87%" (vi-VN) or "98.87%".
 * A rate with nothing to divide by is the text "–".
 */
import type ExcelJS from "exceljs";
import type { LocalDate, Rate, ReportPeriod } from "../model";
import { columnNumbers, type HeaderNode, layoutHeader } from "./table-layouts";
import { NO_RATE, periodLabel, periodRangeLabel, placeDateLine } from "./vietnamese-format";

const FONT = "Times New Roman";
/** Whole numbers grouped with literal dots: 3241 → "3.241" in any locale. */
export const COUNT_FORMAT = "[>=1000000]#\\.###\\.###_);[>=1000]#\\.###_);0_)";
export const RATE_FORMAT = "0.00%_)";
export const DATE_FORMAT = "dd/mm/yyyy";

const THIN: ExcelJS.Border = { style: "thin", color: { argb: "FF000000" } };
export const ALL_BORDERS: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF2F2F2" } };

/** A rate cell needs only its percentage (a Rate, a threshold, a comparison's value). */
export type CellValue = string | number | Date | Pick<Rate, "percent"> | null;

export const POINTS_FORMAT = "0.00_)";

interface TextStyle {
  size?: number;
  bold?: boolean;
  italic?: boolean;
  align?: "left" | "center" | "right";
  wrap?: boolean;
  /** Indent (in characters) for left- or right-aligned cells, so text does not touch the border. */
  indent?: number;
}

function col(n: number): string {
  let s = "";
  let x = n;
  while (x > 0) {
    const r = (x - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    x = Math.floor((x - 1) / 26);
  }
  return s;
}

function styleCell(cell: ExcelJS.Cell, style: TextStyle): void {
  cell.font = {
    name: FONT,
    size: style.size ?? 12,
    bold: style.bold ?? false,
    italic: style.italic ?? false,
  };
  const horizontal = style.align ?? "left";
  cell.alignment = {
    horizontal,
    vertical: "middle",
    wrapText: style.wrap ?? true,
    ...(style.indent && horizontal !== "center" ? { indent: style.indent } : {}),
  };
}

/** Writes text into a merged range (or one cell) with a style. */
export function putText(
  ws: ExcelJS.Worksheet,
  row: number,
  fromCol: number,
  toCol: number,
  text: string,
  style: TextStyle = {},
): void {
  if (toCol > fromCol) ws.mergeCells(row, fromCol, row, toCol);
  const cell = ws.getCell(row, fromCol);
  cell.value = text;
  styleCell(cell, style);
}

/** Rough count of wrapped lines of a text in a column of `widthChars` characters. */
function wrappedLines(text: string, widthChars: number, size = 12): number {
  const perLine = Math.max(1, Math.floor((widthChars * 1.15 * 11) / size));
  return text.split("\n").reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / perLine)), 0);
}

const lineHeight = (size: number): number => size * 1.3;

function setCellValue(cell: ExcelJS.Cell, value: CellValue): void {
  if (value === null) {
    cell.value = null;
  } else if (typeof value === "number") {
    cell.value = value;
    cell.numFmt = COUNT_FORMAT;
  } else if (value instanceof Date) {
    cell.value = value;
    cell.numFmt = DATE_FORMAT;
  } else if (typeof value === "string") {
    cell.value = value;
  } else if (value.percent === null) {
    cell.value = NO_RATE;
  } else {
    cell.value = value.percent / 100;
    cell.numFmt = RATE_FORMAT;
  }
}

export function toExcelDate(date: LocalDate | null | undefined): Date | null {
  if (!date) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

export interface TableRow {
  values: CellValue[];
  bold?: boolean;
}

interface TableSpec {
  header: HeaderNode[];
  /** Column widths in characters, one per leaf. */
  widths: number[];
  numberOverrides?: Record<number, string>;
  rows: TableRow[];
  /** Columns (1-based) whose text is left-aligned (names); others are centred, numbers right-aligned. */
  textColumns?: number[];
  headerSize?: number;
  bodySize?: number;
}

/**
 * Writes a bordered table with a multi-level merged header and the "(1) (2) …" row, starting at
 * `top`. Returns the row numbers of the header's first row, of the column-number row and the last row.
 */
export function writeTable(
  ws: ExcelJS.Worksheet,
  top: number,
  spec: TableSpec,
): { headerTop: number; numberRow: number; last: number } {
  const layout = layoutHeader(spec.header);
  const headerSize = spec.headerSize ?? 11;
  const bodySize = spec.bodySize ?? 12;
  const textColumns = new Set(spec.textColumns ?? [2]);

  // Header: merged group cells, every cell of the grid bordered and shaded.
  for (let r = 0; r < layout.depth; r++) {
    for (let c = 1; c <= layout.leafCount; c++) {
      const cell = ws.getCell(top + r, c);
      cell.border = ALL_BORDERS;
      cell.fill = HEADER_FILL;
      styleCell(cell, { size: headerSize, bold: true, align: "center" });
    }
  }
  const levelLines = new Array<number>(layout.depth).fill(1);
  for (const h of layout.cells) {
    const r = top + h.row;
    const c = h.col + 1;
    if (h.rowSpan > 1 || h.colSpan > 1) ws.mergeCells(r, c, r + h.rowSpan - 1, c + h.colSpan - 1);
    const cell = ws.getCell(r, c);
    cell.value = h.label;
    styleCell(cell, { size: headerSize, bold: true, align: "center" });
    cell.border = ALL_BORDERS;
    cell.fill = HEADER_FILL;
    const width = spec.widths.slice(h.col, h.col + h.colSpan).reduce((a, b) => a + b, 0);
    const lines = Math.ceil(wrappedLines(h.label, width, headerSize) / h.rowSpan);
    for (let k = 0; k < h.rowSpan; k++) {
      levelLines[h.row + k] = Math.max(levelLines[h.row + k] ?? 1, lines);
    }
  }
  levelLines.forEach((lines, i) => {
    ws.getRow(top + i).height = Math.max(18, lines * lineHeight(headerSize) + 4);
  });

  // Column numbers.
  const numberRow = top + layout.depth;
  columnNumbers(layout.leafCount, spec.numberOverrides).forEach((label, i) => {
    const cell = ws.getCell(numberRow, i + 1);
    cell.value = label;
    styleCell(cell, { size: headerSize - 1, italic: true, align: "center" });
    cell.border = ALL_BORDERS;
  });
  ws.getRow(numberRow).height = 16;

  // Body.
  let r = numberRow;
  for (const row of spec.rows) {
    r += 1;
    let lines = 1;
    row.values.forEach((value, i) => {
      const c = i + 1;
      const cell = ws.getCell(r, c);
      setCellValue(cell, value);
      const isLabel = typeof value === "string" && textColumns.has(c);
      const isTotalLabel = isLabel && row.bold === true && value === "Tổng số";
      const isText = isLabel && !isTotalLabel;
      const isFigure =
        c > 1 &&
        (typeof value === "number" || (value !== null && typeof value === "object" && "percent" in value));
      styleCell(cell, {
        size: bodySize,
        bold: row.bold ?? false,
        align: isText ? "left" : isFigure ? "right" : "center",
        indent: isText ? 1 : 0,
      });
      cell.border = ALL_BORDERS;
      if (typeof value === "string")
        lines = Math.max(lines, wrappedLines(value, spec.widths[i] ?? 10, bodySize));
    });
    ws.getRow(r).height = Math.max(18, lines * lineHeight(bodySize) + 4);
  }
  return { headerTop: top, numberRow, last: r };
}

interface SheetHeading {
  /** Left block (form number and its legal basis), or none. */
  formLines?: string[];
  /** Centre: title lines (bold) and the period lines below. */
  titleLines: string[];
  periodLines: string[];
  /** Right block: reporting and receiving units. */
  unitLines?: string[];
  unitOfMeasure?: string;
}

/** The form's heading above the table: form id left, title centre, units right; returns the next free row. */
export function writeHeading(
  ws: ExcelJS.Worksheet,
  columns: number,
  widths: number[],
  h: SheetHeading,
): number {
  const hasSides = Boolean(h.formLines?.length || h.unitLines?.length);
  const leftTo = hasSides ? Math.min(3, columns) : 0;
  const rightFrom = hasSides ? Math.max(columns - 2, leftTo + 1) : columns + 1;
  const centreFrom = leftTo + 1;
  const centreTo = rightFrom - 1;
  const widthOf = (a: number, b: number) => widths.slice(a - 1, b).reduce((x, y) => x + y, 0);

  const centre = [
    ...h.titleLines.map((t) => ({ t, bold: true })),
    ...h.periodLines.map((t) => ({ t, bold: false })),
  ];
  const rows = Math.max(centre.length, h.formLines?.length ?? 0, h.unitLines?.length ?? 0);
  for (let i = 0; i < rows; i++) {
    const r = i + 1;
    let lines = 1;
    const line = centre[i];
    if (line) {
      const isPeriod = !line.bold;
      putText(ws, r, centreFrom, centreTo, line.t, {
        size: isPeriod ? 12 : 13,
        bold: line.bold,
        italic: isPeriod && line.t.startsWith("("),
        align: "center",
      });
      lines = Math.max(lines, wrappedLines(line.t, widthOf(centreFrom, centreTo), 13));
    }
    const left = h.formLines?.[i];
    if (left !== undefined && leftTo > 0) {
      putText(ws, r, 1, leftTo, left, { size: 11, bold: i === 0, italic: i > 0, align: "left" });
      lines = Math.max(lines, wrappedLines(left, widthOf(1, leftTo), 11));
    }
    const right = h.unitLines?.[i];
    if (right !== undefined && rightFrom <= columns) {
      putText(ws, r, rightFrom, columns, right, { size: 11, align: "left" });
      lines = Math.max(lines, wrappedLines(right, widthOf(rightFrom, columns), 11));
    }
    ws.getRow(r).height = Math.max(18, lines * lineHeight(13) + 6);
  }
  let next = rows + 1;
  if (h.unitOfMeasure) {
    putText(ws, next, Math.max(1, columns - 3), columns, h.unitOfMeasure, {
      size: 11,
      italic: true,
      align: "right",
    });
    next += 1;
  }
  return next;
}

export function newSheet(wb: ExcelJS.Workbook, name: string, widths: number[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    pageSetup: {
      paperSize: 9, // A4
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.5, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: `&C&"${FONT},Regular"&10Trang &P/&N` },
  });
  ws.columns = widths.map((width) => ({ width }));
  return ws;
}

export function freezeAndRepeat(
  ws: ExcelJS.Worksheet,
  headerTop: number,
  numberRow: number,
  xSplit = 2,
): void {
  ws.views = [
    { state: "frozen", xSplit, ySplit: numberRow, topLeftCell: `${col(xSplit + 1)}${numberRow + 1}` },
  ];
  ws.pageSetup.printTitlesRow = `${headerTop}:${numberRow}`;
}

/** Signature blocks under a form: maker left, head of unit right (with the place-date line above). */
export function writeSignatures(
  ws: ExcelJS.Worksheet,
  from: number,
  columns: number,
  place: string,
  issuedOn: LocalDate,
  headTitle: string,
): number {
  let r = from + 1;
  const leftTo = Math.min(4, columns);
  const rightFrom = Math.max(leftTo + 1, columns - 4);
  putText(ws, r, rightFrom, columns, placeDateLine(place, issuedOn), { italic: true, align: "center" });
  r += 1;
  putText(ws, r, 1, leftTo, "NGƯỜI LẬP BIỂU", { bold: true, align: "center" });
  putText(ws, r, rightFrom, columns, headTitle, { bold: true, align: "center" });
  r += 1;
  putText(ws, r, 1, leftTo, "(Ký, ghi rõ họ tên)", { italic: true, align: "center" });
  putText(ws, r, rightFrom, columns, "(Ký, đóng dấu, ghi rõ họ tên)", { italic: true, align: "center" });
  return r;
}

export function writeNotes(ws: ExcelJS.Worksheet, from: number, columns: number, notes: string[]): number {
  let r = from;
  for (const note of notes) {
    r += 1;
    putText(ws, r, 1, columns, note, { size: 11, italic: true, align: "left" });
  }
  return r;
}

export function periodLines(period: ReportPeriod): string[] {
  return [`Kỳ báo cáo: ${periodLabel(period)}`, `(${periodRangeLabel(period)})`];
}
