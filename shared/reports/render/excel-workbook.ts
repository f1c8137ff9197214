/**
 * Excel rendering of the report model (exceljs): the commune workbook (Form II.06a, feedback,
 * digitization, late and overdue dossier lists, comparison, service index) and the province roll-up
 * (Form II.06a by commune, comparison, service index). Pure: a report in, the .xlsx bytes out.
 * The sheets are in excel-commune-sheets.ts and excel-additions.ts; the cells, styles and sheet
 * pieces they share (and the number style) in excel-primitives.ts.
 */
import type ExcelJS from "exceljs";
import type { CommuneReport, LocalDate, PredecessorRef, ProvinceReport } from "../model";
import { type AdditionsSource, addComparisonSheet, addServiceIndexSheet } from "./excel-additions";
import {
  addDigitizationSheet,
  addDossierListsSheet,
  addFeedbackSheet,
  addFormII06aSheet,
} from "./excel-commune-sheets";
import {
  freezeAndRepeat,
  newSheet,
  periodLines,
  type TableRow,
  writeHeading,
  writeNotes,
  writeSignatures,
  writeTable,
} from "./excel-primitives";
import { signWorkbook, type WorkbookSignatures } from "./excel-signatures";
import { Workbook } from "./exceljs-workbook";
import {
  defaultIssueDate,
  FORM_II06A_BASIS,
  FORM_II06A_ID,
  FORM_II06A_NOTE,
  FORM_II06A_TITLE_LINES,
  FORM_II06A_UNIT_OF_MEASURE,
  formII06aHeader,
  formII06aValues,
  type HeaderNode,
  placeName,
  provenanceLine,
} from "./table-layouts";
import { periodLabel, shortPlaceName, unitNameInSentence, upperVi } from "./vietnamese-format";

export { COUNT_FORMAT, DATE_FORMAT, POINTS_FORMAT, RATE_FORMAT } from "./excel-primitives";

function newWorkbook(generatedAt: string): ExcelJS.Workbook {
  const wb = new Workbook();
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
