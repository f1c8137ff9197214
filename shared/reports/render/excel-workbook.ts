/**
 * Excel rendering of the report model (exceljs): the commune workbook (Form II.06a, feedback,
 * digitization, late and overdue dossier lists) and the province roll-up (Form II.06a by commune).
 * Pure: a report in, the .xlsx bytes out.
 *
 * Number style: counts are stored as numbers with the format `#.###` written with literal dots, so
 * Excel and LibreOffice show "3.241" whatever the reader's locale; rates are stored as fractions
 * (0.9887) with the format `0.00%`, which the reader's locale shows as "98,87%" (vi-VN) or "98.87%".
 * A rate with nothing to divide by is the text "–".
 */
import ExcelJS from "exceljs";
import type {
  CommuneReport,
  DossierListEntry,
  FormRow,
  LocalDate,
  PredecessorRef,
  PreviousPeriod,
  ProvinceReport,
  Rate,
  ReportPeriod,
} from "../model";
import { DECISION_766, SERVICE_INDEX, type ServiceIndex } from "../service-index";
import { comparisonRows } from "./comparison";
import { signWorkbook, type WorkbookSignatures } from "./excel-signatures";
import { predecessorNotes } from "./reorganization-note";
import {
  apologyLabel,
  columnNumbers,
  DIGITIZATION_COLUMN_OVERRIDES,
  DIGITIZATION_TITLE,
  DIGITIZATION_UNIT_OF_MEASURE,
  DOSSIER_LIST_COLUMNS,
  daysLate,
  defaultIssueDate,
  digitizationHeader,
  digitizationValues,
  FEEDBACK_SUBTITLE,
  FEEDBACK_TITLE,
  FEEDBACK_UNIT_OF_MEASURE,
  FORM_II06A_BASIS,
  FORM_II06A_ID,
  FORM_II06A_NOTE,
  FORM_II06A_TITLE_LINES,
  FORM_II06A_UNIT_OF_MEASURE,
  feedbackHeader,
  feedbackValues,
  formII06aHeader,
  formII06aValues,
  type HeaderNode,
  issuingBodyName,
  LATE_LIST_TITLE,
  lateUntil,
  layoutHeader,
  OVERDUE_LIST_TITLE,
  periodRangeLong,
  placeName,
  provenanceLine,
  receivingBodyShort,
} from "./table-layouts";
import {
  formatCount,
  formatDate,
  formatRate,
  NO_RATE,
  periodLabel,
  periodRangeLabel,
  placeDateLine,
  shortPlaceName,
  unitNameInSentence,
  upperVi,
} from "./vietnamese-format";

const FONT = "Times New Roman";
/** Whole numbers grouped with literal dots: 3241 → "3.241" in any locale. */
export const COUNT_FORMAT = "[>=1000000]#\\.###\\.###_);[>=1000]#\\.###_);0_)";
export const RATE_FORMAT = "0.00%_)";
export const DATE_FORMAT = "dd/mm/yyyy";

const THIN: ExcelJS.Border = { style: "thin", color: { argb: "FF000000" } };
const ALL_BORDERS: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF2F2F2" } };

/** A rate cell needs only its percentage (a Rate, a threshold, a comparison's value). */
type CellValue = string | number | Date | Pick<Rate, "percent"> | null;

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
function putText(
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

function toExcelDate(date: LocalDate | null | undefined): Date | null {
  if (!date) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

interface TableRow {
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
function writeTable(
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
function writeHeading(ws: ExcelJS.Worksheet, columns: number, widths: number[], h: SheetHeading): number {
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

function newSheet(wb: ExcelJS.Workbook, name: string, widths: number[]): ExcelJS.Worksheet {
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

function freezeAndRepeat(ws: ExcelJS.Worksheet, headerTop: number, numberRow: number, xSplit = 2): void {
  ws.views = [
    { state: "frozen", xSplit, ySplit: numberRow, topLeftCell: `${col(xSplit + 1)}${numberRow + 1}` },
  ];
  ws.pageSetup.printTitlesRow = `${headerTop}:${numberRow}`;
}

/** Signature blocks under a form: maker left, head of unit right (with the place-date line above). */
function writeSignatures(
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

function writeNotes(ws: ExcelJS.Worksheet, from: number, columns: number, notes: string[]): number {
  let r = from;
  for (const note of notes) {
    r += 1;
    putText(ws, r, 1, columns, note, { size: 11, italic: true, align: "left" });
  }
  return r;
}

const II06A_WIDTHS = [6, 36, 10, 10, 13, 11, 10, 10, 10, 10, 10, 10, 10];

function periodLines(period: ReportPeriod): string[] {
  return [`Kỳ báo cáo: ${periodLabel(period)}`, `(${periodRangeLabel(period)})`];
}

function addFormII06aSheet(wb: ExcelJS.Workbook, report: CommuneReport, issuedOn: LocalDate): void {
  const ws = newSheet(wb, "II.06a", II06A_WIDTHS);
  const receiving = receivingBodyShort(report.unit);
  const next = writeHeading(ws, 13, II06A_WIDTHS, {
    formLines: [FORM_II06A_ID, FORM_II06A_BASIS],
    titleLines: [FORM_II06A_TITLE_LINES.join("\n")],
    periodLines: periodLines(report.period),
    unitLines: [
      `Đơn vị báo cáo: ${issuingBodyName(report.unit)}`,
      `Đơn vị nhận báo cáo: ${receiving ?? "…"}`,
    ],
    unitOfMeasure: FORM_II06A_UNIT_OF_MEASURE,
  });
  const rows: TableRow[] = report.dossiers.byField.map((f, i) => ({
    values: [i + 1, f.fieldName, ...formII06aValues(f)],
  }));
  rows.push({ values: [null, "Tổng số", ...formII06aValues(report.dossiers.total)], bold: true });
  const t = writeTable(ws, next, { header: formII06aHeader(), widths: II06A_WIDTHS, rows });
  freezeAndRepeat(ws, t.headerTop, t.numberRow);
  const r = writeNotes(ws, t.last, 13, [
    FORM_II06A_NOTE,
    ...predecessorNotes(report.unit, report.period),
    provenanceLine(report.generatedAt),
  ]);
  writeSignatures(ws, r, 13, placeName(report.unit), issuedOn, "THỦ TRƯỞNG ĐƠN VỊ");
}

const FEEDBACK_WIDTHS = [6, 34, 12, 14, 14, 14, 12, 12, 16];

function addFeedbackSheet(wb: ExcelJS.Workbook, report: CommuneReport, issuedOn: LocalDate): void {
  const ws = newSheet(wb, "PAKN", FEEDBACK_WIDTHS);
  const next = writeHeading(ws, 9, FEEDBACK_WIDTHS, {
    titleLines: [
      FEEDBACK_TITLE,
      `${FEEDBACK_SUBTITLE} TẠI ${upperVi(`UBND ${unitNameInSentence(report.unit.communeName)}`)}`,
    ],
    periodLines: periodLines(report.period),
    unitOfMeasure: FEEDBACK_UNIT_OF_MEASURE,
  });
  const values = feedbackValues(report.feedback);
  const t = writeTable(ws, next, {
    header: feedbackHeader(),
    widths: FEEDBACK_WIDTHS,
    rows: [
      { values: [1, issuingBodyName(report.unit), ...values] },
      { values: [null, "Tổng số", ...values], bold: true },
    ],
  });
  freezeAndRepeat(ws, t.headerTop, t.numberRow);
  const r = writeNotes(ws, t.last, 9, [provenanceLine(report.generatedAt)]);
  writeSignatures(ws, r, 9, placeName(report.unit), issuedOn, "THỦ TRƯỞNG ĐƠN VỊ");
}

const DIGITIZATION_WIDTHS = [6, 30, 12, 13, 13, 14, 12, 12, 13, 13, 12];

function addDigitizationSheet(wb: ExcelJS.Workbook, report: CommuneReport, issuedOn: LocalDate): void {
  const ws = newSheet(wb, "Số hóa", DIGITIZATION_WIDTHS);
  const next = writeHeading(ws, 11, DIGITIZATION_WIDTHS, {
    titleLines: [DIGITIZATION_TITLE],
    periodLines: [`Kỳ báo cáo: ${periodLabel(report.period)}`, periodRangeLong(report.period)],
    unitOfMeasure: DIGITIZATION_UNIT_OF_MEASURE,
  });
  const values: CellValue[] = digitizationValues(report.digitization);
  const t = writeTable(ws, next, {
    header: digitizationHeader(),
    widths: DIGITIZATION_WIDTHS,
    numberOverrides: DIGITIZATION_COLUMN_OVERRIDES,
    rows: [
      { values: [1, issuingBodyName(report.unit), ...values] },
      { values: [null, "Tổng số", ...values], bold: true },
    ],
  });
  freezeAndRepeat(ws, t.headerTop, t.numberRow);
  const d = report.digitization;
  const r = writeNotes(ws, t.last, 11, [
    `Tỷ lệ hồ sơ có số hóa thành phần hồ sơ (một phần hoặc đầy đủ): ${formatCount(
      d.digitizedRate.count,
    )}/${formatCount(d.digitizedRate.of)} hồ sơ, đạt ${formatRate(d.digitizedRate)}.`,
    provenanceLine(report.generatedAt),
  ]);
  writeSignatures(ws, r, 11, placeName(report.unit), issuedOn, "THỦ TRƯỞNG ĐƠN VỊ");
}

const LIST_WIDTHS = [6, 28, 18, 11, 40, 12, 12, 12, 10, 11];

function listRows(entries: DossierListEntry[], period: ReportPeriod): TableRow[] {
  return entries.map((e, i) => ({
    values: [
      i + 1,
      e.dossierCode,
      e.fieldName,
      e.procedureCode,
      e.procedureName ?? "",
      toExcelDate(e.receivedAt),
      toExcelDate(e.dueAt),
      toExcelDate(e.resolvedAt) ?? "–",
      daysLate(e, lateUntil(e, period)),
      apologyLabel(e),
    ],
  }));
}

function addDossierListsSheet(wb: ExcelJS.Workbook, report: CommuneReport, issuedOn: LocalDate): void {
  const ws = newSheet(wb, "Hồ sơ trễ hạn", LIST_WIDTHS);
  const columns = LIST_WIDTHS.length;
  let r = writeHeading(ws, columns, LIST_WIDTHS, {
    titleLines: [
      `DANH SÁCH HỒ SƠ TRỄ HẠN TẠI ${upperVi(`UBND ${unitNameInSentence(report.unit.communeName)}`)}`,
    ],
    periodLines: periodLines(report.period),
  });
  const header: HeaderNode[] = DOSSIER_LIST_COLUMNS.map((label) => ({ label }));
  const sections: { title: string; entries: DossierListEntry[] }[] = [
    { title: `I. ${LATE_LIST_TITLE}`, entries: report.lateDossiers },
    {
      title: `II. ${OVERDUE_LIST_TITLE} (tính đến ngày ${formatDate(report.period.asOf ?? report.period.to)})`,
      entries: report.overdueDossiers,
    },
  ];
  let firstHeader = 0;
  for (const s of sections) {
    r += 1;
    putText(ws, r, 1, columns, s.title, { bold: true, align: "left" });
    ws.getRow(r).height = 20;
    const t = writeTable(ws, r + 1, {
      header,
      widths: LIST_WIDTHS,
      rows: listRows(s.entries, report.period),
      textColumns: [2, 3, 5],
      bodySize: 11,
    });
    if (firstHeader === 0) firstHeader = t.headerTop;
    r = t.last;
    if (s.entries.length === 0) {
      r += 1;
      putText(ws, r, 1, columns, "Không có hồ sơ.", { italic: true, align: "center" });
      for (let c = 1; c <= columns; c++) ws.getCell(r, c).border = ALL_BORDERS;
    }
    r += 1;
  }
  ws.views = [{ state: "frozen", xSplit: 0, ySplit: firstHeader - 1 }];
  writeSignatures(ws, r, columns, placeName(report.unit), issuedOn, "THỦ TRƯỞNG ĐƠN VỊ");
}

/** What the comparison and service index sheets need of a commune report or a province roll-up. */
interface AdditionsSource {
  /** "UBND XÃ TRẦN PHÚ" / "THÀNH PHỐ HẢI PHÒNG": the unit in the sheet titles. */
  unitTitle: string;
  place: string;
  period: ReportPeriod;
  generatedAt: string;
  total: FormRow;
  onlineReception: Rate;
  serviceIndex: ServiceIndex;
  previous: PreviousPeriod;
}

const COMPARISON_WIDTHS = [6, 46, 16, 16, 34];

/** "So sánh": the headline figures of the period against the previous one (render/comparison.ts). */
function addComparisonSheet(wb: ExcelJS.Workbook, source: AdditionsSource, issuedOn: LocalDate): void {
  const ws = newSheet(wb, "So sánh", COMPARISON_WIDTHS);
  const columns = COMPARISON_WIDTHS.length;
  const previousLabel = periodLabel(source.previous.period);
  const next = writeHeading(ws, columns, COMPARISON_WIDTHS, {
    titleLines: [`SO SÁNH KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH VỚI KỲ TRƯỚC TẠI ${source.unitTitle}`],
    periodLines: [
      `Kỳ báo cáo: ${periodLabel(source.period)} (${periodRangeLabel(source.period).toLowerCase()})`,
      `Kỳ trước: ${previousLabel} (${periodRangeLabel(source.previous.period).toLowerCase()})`,
    ],
  });
  const rows = comparisonRows(source, source.previous);
  const cell = (kind: "count" | "rate", value: number | null): CellValue =>
    kind === "count" ? value : { percent: value };
  const t = writeTable(ws, next, {
    header: [
      { label: "STT" },
      { label: "Chỉ tiêu" },
      { label: `Kỳ báo cáo (${periodLabel(source.period)})` },
      { label: `Kỳ trước (${previousLabel})` },
      { label: "Tăng (+), giảm (-) so với kỳ trước" },
    ],
    widths: COMPARISON_WIDTHS,
    rows: rows.map((row, i) => ({
      values: [i + 1, row.label, cell(row.kind, row.current), cell(row.kind, row.previous), row.words],
    })),
    textColumns: [2, 5],
  });
  freezeAndRepeat(ws, t.headerTop, t.numberRow);
  const r = writeNotes(ws, t.last, columns, [
    "Số lượng hồ sơ: tăng, giảm tính theo phần trăm so với kỳ trước; tỷ lệ: tính theo điểm phần trăm.",
    provenanceLine(source.generatedAt),
  ]);
  writeSignatures(ws, r, columns, source.place, issuedOn, "THỦ TRƯỞNG ĐƠN VỊ");
}

const SERVICE_INDEX_WIDTHS = [6, 8, 30, 48, 12, 14, 10, 10];

/** "Chỉ số 766": each indicator of THE table (service-index.ts) with its formula, rate, threshold and points. */
function addServiceIndexSheet(wb: ExcelJS.Workbook, source: AdditionsSource, issuedOn: LocalDate): void {
  const ws = newSheet(wb, "Chỉ số 766", SERVICE_INDEX_WIDTHS);
  const columns = SERVICE_INDEX_WIDTHS.length;
  const next = writeHeading(ws, columns, SERVICE_INDEX_WIDTHS, {
    titleLines: [
      `CHỈ SỐ CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP TẠI ${source.unitTitle}`,
      `(các chỉ số tính được từ hồ sơ, theo cách tính của hệ thống; ${DECISION_766})`,
    ],
    periodLines: periodLines(source.period),
  });
  const index = source.serviceIndex;
  const points = (value: number | null): CellValue => value;
  const t = writeTable(ws, next, {
    header: [
      { label: "STT" },
      { label: "Mã chỉ số" },
      { label: "Chỉ số" },
      { label: "Cách tính" },
      { label: "Tỷ lệ đạt" },
      { label: "Ngưỡng đạt điểm tối đa" },
      { label: "Điểm" },
      { label: "Điểm tối đa" },
    ],
    widths: SERVICE_INDEX_WIDTHS,
    rows: [
      ...index.indicators.map((indicator, i) => ({
        values: [
          i + 1,
          indicator.ref,
          indicator.name,
          SERVICE_INDEX.find((d) => d.code === indicator.code)?.formula ?? "",
          indicator.rate,
          { percent: indicator.threshold },
          indicator.points === null ? NO_RATE : points(indicator.points),
          points(indicator.maxPoints),
        ] as CellValue[],
      })),
      {
        values: [
          null,
          null,
          "Tổng số",
          "Các chỉ số có hồ sơ để tính",
          null,
          null,
          index.points,
          index.maxPoints,
        ],
        bold: true,
      },
    ],
    textColumns: [3, 4],
    bodySize: 11,
  });
  for (let r = t.numberRow + 1; r <= t.last; r++) {
    for (const c of [7, 8]) {
      const cell = ws.getCell(r, c);
      if (typeof cell.value === "number") cell.numFmt = POINTS_FORMAT;
    }
  }
  freezeAndRepeat(ws, t.headerTop, t.numberRow);
  const r = writeNotes(ws, t.last, columns, [
    "Dưới ngưỡng: điểm = tỷ lệ đạt × điểm tối đa ÷ ngưỡng; từ ngưỡng trở lên: điểm tối đa. " +
      "Chỉ số không có hồ sơ để tính không được chấm điểm và không cộng vào tổng.",
    provenanceLine(source.generatedAt),
  ]);
  writeSignatures(ws, r, columns, source.place, issuedOn, "THỦ TRƯỞNG ĐƠN VỊ");
}

function newWorkbook(generatedAt: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = "one-stop-reports";
  const t = Date.parse(generatedAt);
  const when = Number.isNaN(t) ? new Date(0) : new Date(t);
  wb.created = when;
  wb.modified = when;
  return wb;
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  const data = await wb.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

/**
 * The commune workbook: "II.06a" (Form II.06a/VPCP/KSTT), "PAKN" (feedback), "Số hóa" (digitization),
 * "Hồ sơ trễ hạn" (late and overdue dossiers), "So sánh" (against the previous period) and
 * "Chỉ số 766" (the service index).
 */
export async function renderCommuneWorkbook(
  report: CommuneReport,
  opts: { issuedOn?: LocalDate; signatures?: WorkbookSignatures } = {},
): Promise<Buffer> {
  const issuedOn = opts.issuedOn ?? defaultIssueDate(report.period);
  const wb = newWorkbook(report.generatedAt);
  wb.title = `${FORM_II06A_ID} - ${report.unit.communeName} - ${periodLabel(report.period)}`;
  addFormII06aSheet(wb, report, issuedOn);
  addFeedbackSheet(wb, report, issuedOn);
  addDigitizationSheet(wb, report, issuedOn);
  addDossierListsSheet(wb, report, issuedOn);
  const additions: AdditionsSource = {
    unitTitle: upperVi(`UBND ${unitNameInSentence(report.unit.communeName)}`),
    place: placeName(report.unit),
    period: report.period,
    generatedAt: report.generatedAt,
    total: report.dossiers.total,
    onlineReception: report.onlineReception,
    serviceIndex: report.serviceIndex,
    previous: report.previous,
  };
  addComparisonSheet(wb, additions, issuedOn);
  addServiceIndexSheet(wb, additions, issuedOn);
  signWorkbook(wb, opts.signatures);
  return toBuffer(wb);
}

const PROVINCE_WIDTHS = [6, 32, 10, 10, 13, 11, 10, 10, 10, 10, 10, 10, 10, 13];

/** "xã Hiệp Cát, xã Quốc Tuấn, xã Trần Phú (một phần)": the old units of a new commune. */
function predecessorCell(predecessors: PredecessorRef[] | undefined): string {
  return (predecessors ?? [])
    .map((p) => `${unitNameInSentence(p.communeName)}${p.share === "partial" ? " (một phần)" : ""}`)
    .join(", ");
}

/**
 * The province roll-up: Form II.06a with one row per commune and the province total, plus column (14),
 * the online-reception rate (4)/[(4)+(5)].
 */
export async function renderProvinceWorkbook(
  report: ProvinceReport,
  opts: { issuedOn?: LocalDate; signatures?: WorkbookSignatures } = {},
): Promise<Buffer> {
  const issuedOn = opts.issuedOn ?? defaultIssueDate(report.period);
  const wb = newWorkbook(report.generatedAt);
  const provinceInSentence = unitNameInSentence(report.province.provinceName);
  wb.title = `${FORM_II06A_ID} - ${report.province.provinceName} - ${periodLabel(report.period)}`;
  // Communes made by the 2025 reorganization: which old communes their figures include.
  const withPredecessors = report.communes.some((c) => (c.predecessors ?? []).length > 0);
  const widths = withPredecessors ? [...PROVINCE_WIDTHS, 40] : PROVINCE_WIDTHS;
  const ws = newSheet(wb, "II.06a", widths);
  const columns = widths.length;
  const next = writeHeading(ws, columns, widths, {
    formLines: [FORM_II06A_ID, FORM_II06A_BASIS],
    titleLines: [
      FORM_II06A_TITLE_LINES.join("\n"),
      `(TỔNG HỢP CÁC XÃ, PHƯỜNG, THỊ TRẤN THUỘC ${upperVi(provinceInSentence)})`,
    ],
    periodLines: periodLines(report.period),
    unitLines: [
      `Đơn vị báo cáo: Văn phòng UBND ${provinceInSentence}`,
      "Đơn vị nhận báo cáo: Văn phòng Chính phủ",
    ],
    unitOfMeasure: FORM_II06A_UNIT_OF_MEASURE,
  });
  const header: HeaderNode[] = [
    ...formII06aHeader("Đơn vị (xã, phường, thị trấn)"),
    { label: "Tỷ lệ tiếp nhận trực tuyến" },
    ...(withPredecessors ? [{ label: "Đơn vị trước sắp xếp (số liệu đã cộng)" }] : []),
  ];
  const rows: TableRow[] = report.communes.map((c, i) => ({
    values: [
      i + 1,
      c.communeName,
      ...formII06aValues(c),
      c.onlineReception,
      ...(withPredecessors ? [predecessorCell(c.predecessors)] : []),
    ],
  }));
  rows.push({
    values: [
      null,
      "Tổng số",
      ...formII06aValues(report.total),
      report.total.onlineReception,
      ...(withPredecessors ? [""] : []),
    ],
    bold: true,
  });
  const t = writeTable(ws, next, {
    header,
    widths,
    numberOverrides: { 14: "(14)=(4)/[(4)+(5)]" },
    rows,
    textColumns: [2, 15],
  });
  freezeAndRepeat(ws, t.headerTop, t.numberRow);
  const r = writeNotes(ws, t.last, columns, [
    FORM_II06A_NOTE,
    ...(withPredecessors
      ? [
          "Đơn vị hình thành từ sắp xếp ngày 01/07/2025: số liệu gồm toàn bộ số liệu của các đơn vị cũ nhập toàn bộ; " +
            'đơn vị cũ chỉ nhập một phần được ghi "một phần" và không được cộng.',
        ]
      : []),
    provenanceLine(report.generatedAt),
  ]);
  const place = shortPlaceName(report.province.provinceName);
  writeSignatures(ws, r, columns, place, issuedOn, "THỦ TRƯỞNG ĐƠN VỊ");
  const additions: AdditionsSource = {
    unitTitle: upperVi(provinceInSentence),
    place,
    period: report.period,
    generatedAt: report.generatedAt,
    total: report.total,
    onlineReception: report.total.onlineReception,
    serviceIndex: report.serviceIndex,
    previous: report.previous,
  };
  addComparisonSheet(wb, additions, issuedOn);
  addServiceIndexSheet(wb, additions, issuedOn);
  signWorkbook(wb, opts.signatures);
  return toBuffer(wb);
}
