/**
 * The sheets a commune workbook and a province roll-up share (docs/reports.md): "So sánh" (against
 * the previous period) and "Chỉ số 766" (the service index).
 */
import type ExcelJS from "exceljs";
import type { FormRow, LocalDate, PreviousPeriod, Rate, ReportPeriod } from "../model";
import { DECISION_766, SERVICE_INDEX, type ServiceIndex } from "../service-index";
import { comparisonRows } from "./comparison";
import {
  type CellValue,
  freezeAndRepeat,
  newSheet,
  POINTS_FORMAT,
  periodLines,
  writeHeading,
  writeNotes,
  writeSignatures,
  writeTable,
} from "./excel-primitives";
import { provenanceLine } from "./table-layouts";
import { NO_RATE, periodLabel, periodRangeLabel } from "./vietnamese-format";

/** What the comparison and service index sheets need of a commune report or a province roll-up. */
export interface AdditionsSource {
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
export function addComparisonSheet(wb: ExcelJS.Workbook, source: AdditionsSource, issuedOn: LocalDate): void {
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
export function addServiceIndexSheet(
  wb: ExcelJS.Workbook,
  source: AdditionsSource,
  issuedOn: LocalDate,
): void {
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
