/**
 * The commune workbook's own sheets: Form II.06a, feedback, digitization, the late and overdue
 * dossier lists (excel-workbook.ts puts them together).
 */
import type ExcelJS from "exceljs";
import type { CommuneReport, DossierListEntry, LocalDate, ReportPeriod } from "../model";
import {
  ALL_BORDERS,
  type CellValue,
  freezeAndRepeat,
  newSheet,
  periodLines,
  putText,
  type TableRow,
  toExcelDate,
  writeHeading,
  writeNotes,
  writeSignatures,
  writeTable,
} from "./excel-primitives";
import { predecessorNotes } from "./reorganization-note";
import {
  apologyLabel,
  DIGITIZATION_COLUMN_OVERRIDES,
  DIGITIZATION_TITLE,
  DIGITIZATION_UNIT_OF_MEASURE,
  DOSSIER_LIST_COLUMNS,
  daysLate,
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
  periodLabel,
  unitNameInSentence,
  upperVi,
} from "./vietnamese-format";

const II06A_WIDTHS = [6, 36, 10, 10, 13, 11, 10, 10, 10, 10, 10, 10, 10];
export function addFormII06aSheet(wb: ExcelJS.Workbook, report: CommuneReport, issuedOn: LocalDate): void {
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

export function addFeedbackSheet(wb: ExcelJS.Workbook, report: CommuneReport, issuedOn: LocalDate): void {
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

export function addDigitizationSheet(wb: ExcelJS.Workbook, report: CommuneReport, issuedOn: LocalDate): void {
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

export function addDossierListsSheet(wb: ExcelJS.Workbook, report: CommuneReport, issuedOn: LocalDate): void {
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
