/**
 * The report's tables as data, shared by the Excel and the Word renderer: the official headers
 * (Form II.06a/VPCP/KSTT of Circular 01/2020/TT-VPCP, the feedback and the digitization tables of the
 * seed report), their numbered columns and the values of a row, plus the names of the issuing and
 * receiving bodies. Pure: no rendering library is imported here.
 */

import type {
  DigitizationSection,
  DossierListEntry,
  FeedbackSection,
  FormRow,
  LocalDate,
  Rate,
  ReportPeriod,
  ReportUnit,
} from "../model";
import {
  formatDate,
  formatDateLong,
  periodEnd,
  shortPlaceName,
  unitKind,
  unitNameInSentence,
  upperVi,
} from "./vietnamese-format";

/** A header cell; a node with children is a group header spanning its leaves. */
export interface HeaderNode {
  label: string;
  children?: HeaderNode[];
}

/** A header cell placed on the grid: 0-based row (header level) and column, with its spans. */
export interface PlacedHeaderCell {
  label: string;
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

export interface HeaderLayout {
  depth: number;
  leafCount: number;
  cells: PlacedHeaderCell[];
}

function depthOf(nodes: HeaderNode[]): number {
  let max = 0;
  for (const n of nodes) max = Math.max(max, 1 + (n.children?.length ? depthOf(n.children) : 0));
  return max;
}

function leavesOf(node: HeaderNode): number {
  if (!node.children?.length) return 1;
  return node.children.reduce((sum, c) => sum + leavesOf(c), 0);
}

/**
 * Places a header tree on a grid: a group spans its leaves across, a leaf spans down to the last
 * header row. Cells come out in row-major order (left to right within a row), as Word tables need.
 */
export function layoutHeader(nodes: HeaderNode[]): HeaderLayout {
  const depth = depthOf(nodes);
  const cells: PlacedHeaderCell[] = [];
  const place = (list: HeaderNode[], row: number, col: number): void => {
    let c = col;
    for (const n of list) {
      const colSpan = leavesOf(n);
      const hasChildren = Boolean(n.children?.length);
      cells.push({ label: n.label, row, col: c, rowSpan: hasChildren ? 1 : depth - row, colSpan });
      if (n.children?.length) place(n.children, row + 1, c);
      c += colSpan;
    }
  };
  place(nodes, 0, 0);
  cells.sort((a, b) => a.row - b.row || a.col - b.col);
  const leafCount = nodes.reduce((sum, n) => sum + leavesOf(n), 0);
  return { depth, leafCount, cells };
}

/** "(1)", "(2)", … for the numbered-column row; `overrides` replace some labels, e.g. "(7)=(6)/(3)". */
export function columnNumbers(count: number, overrides: Record<number, string> = {}): string[] {
  return Array.from({ length: count }, (_, i) => overrides[i + 1] ?? `(${i + 1})`);
}

// ---------------------------------------------------------------------------------------------
// Form II.06a/VPCP/KSTT

export const FORM_II06A_ID = "Biểu số II.06a/VPCP/KSTT";
export const FORM_II06A_BASIS =
  "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ";
/** The form's title as it is printed, on two lines. */
export const FORM_II06A_TITLE_LINES = [
  "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
  "TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
] as const;
export const FORM_II06A_TITLE = FORM_II06A_TITLE_LINES.join(" ");
export const FORM_II06A_UNIT_OF_MEASURE = "Đơn vị tính: Số hồ sơ TTHC";
export const FORM_II06A_NOTE =
  "Ghi chú: Hồ sơ do tổ chức, cá nhân rút (dừng thực hiện theo đề nghị) được tính là hồ sơ đã giải quyết đúng hạn.";

/** The 13-column header of Form II.06a; `secondColumn` is "Lĩnh vực giải quyết" or, in a roll-up, the unit. */
export function formII06aHeader(secondColumn = "Lĩnh vực giải quyết"): HeaderNode[] {
  return [
    { label: "STT" },
    { label: secondColumn },
    {
      label: "Số hồ sơ nhận giải quyết",
      children: [
        { label: "Tổng số" },
        {
          label: "Trong kỳ",
          children: [{ label: "Trực tuyến" }, { label: "Trực tiếp, dịch vụ bưu chính" }],
        },
        { label: "Từ kỳ trước chuyển qua" },
      ],
    },
    {
      label: "Kết quả giải quyết",
      children: [
        {
          label: "Số hồ sơ đã giải quyết",
          children: [
            { label: "Tổng số" },
            { label: "Trả trước hạn" },
            { label: "Trả đúng hạn" },
            { label: "Trả quá hạn" },
          ],
        },
        {
          label: "Số hồ sơ đang giải quyết",
          children: [{ label: "Tổng số" }, { label: "Trong hạn" }, { label: "Quá hạn" }],
        },
      ],
    },
  ];
}

/** Columns (3)…(13) of Form II.06a for one row. */
export function formII06aValues(row: FormRow): number[] {
  return [
    row.received.total,
    row.received.online,
    row.received.directOrPostal,
    row.received.carriedOver,
    row.resolved.total,
    row.resolved.early,
    row.resolved.onTime,
    row.resolved.late,
    row.pending.total,
    row.pending.withinDeadline,
    row.pending.overdue,
  ];
}

// ---------------------------------------------------------------------------------------------
// Feedback (phản ánh, kiến nghị)

export const FEEDBACK_TITLE = "KẾT QUẢ TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ (PAKN) VỀ QUY ĐỊNH HÀNH CHÍNH";
export const FEEDBACK_SUBTITLE = "VÀ HÀNH VI HÀNH CHÍNH";
export const FEEDBACK_UNIT_OF_MEASURE = "Đơn vị tính: Số PAKN";

export function feedbackHeader(secondColumn = "Đơn vị"): HeaderNode[] {
  return [
    { label: "STT" },
    { label: secondColumn },
    {
      label: "Số PAKN được tiếp nhận",
      children: [
        { label: "Tổng số" },
        {
          label: "Theo nội dung",
          children: [{ label: "Hành vi hành chính" }, { label: "Quy định hành chính" }],
        },
        { label: "Từ kỳ trước chuyển qua" },
      ],
    },
    {
      label: "Kết quả xử lý",
      children: [{ label: "Đã xử lý" }, { label: "Đang xử lý" }],
    },
    { label: "Số PAKN đã xử lý được công khai" },
  ];
}

/** Columns (3)…(9) of the feedback table. */
export function feedbackValues(f: FeedbackSection): number[] {
  return [
    f.received.total,
    f.received.behavior,
    f.received.regulation,
    f.received.carriedOver,
    f.resolved,
    f.inProgress,
    f.published,
  ];
}

// ---------------------------------------------------------------------------------------------
// Digitization (số hóa hồ sơ, kết quả giải quyết)

export const DIGITIZATION_TITLE = "TÌNH HÌNH SỐ HÓA HỒ SƠ, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH";
export const DIGITIZATION_UNIT_OF_MEASURE = "Đơn vị tính: Số hồ sơ TTHC";

export function digitizationHeader(secondColumn = "Đơn vị"): HeaderNode[] {
  return [
    { label: "STT" },
    { label: secondColumn },
    {
      label: "Số hóa hồ sơ TTHC khi tiếp nhận",
      children: [
        { label: "Số hồ sơ tiếp nhận" },
        { label: "Số hồ sơ chưa số hóa thành phần hồ sơ" },
        { label: "Số hồ sơ có số hóa thành phần hồ sơ" },
        { label: "Trong đó: số hóa đầy đủ thành phần hồ sơ" },
        { label: "Tỷ lệ số hóa đầy đủ thành phần hồ sơ" },
      ],
    },
    {
      label: "Số hóa kết quả giải quyết TTHC",
      children: [
        { label: "Số hồ sơ đã giải quyết" },
        { label: "Số hồ sơ chưa số hóa kết quả" },
        { label: "Số hồ sơ có số hóa kết quả" },
        { label: "Tỷ lệ số hóa kết quả" },
      ],
    },
  ];
}

export const DIGITIZATION_COLUMN_OVERRIDES: Record<number, string> = {
  7: "(7)=(6)/(3)",
  11: "(11)=(10)/(8)",
};

/** A table value: a count, or a rate (rendered as its percentage). */
export type TableValue = number | Rate;

export function isRate(v: TableValue): v is Rate {
  return typeof v === "object";
}

/** Columns (3)…(11) of the digitization table. */
export function digitizationValues(d: DigitizationSection): TableValue[] {
  return [
    d.received,
    d.componentsNone,
    d.componentsPartial + d.componentsFull,
    d.componentsFull,
    d.fullyDigitizedRate,
    d.resolved,
    d.resultNotDigitized,
    d.resultDigitized,
    d.resultDigitizedRate,
  ];
}

// ---------------------------------------------------------------------------------------------
// Late and overdue dossier lists

export const LATE_LIST_TITLE = "DANH SÁCH HỒ SƠ GIẢI QUYẾT QUÁ HẠN TRONG KỲ";
export const OVERDUE_LIST_TITLE = "DANH SÁCH HỒ SƠ ĐANG GIẢI QUYẾT QUÁ HẠN";

export const DOSSIER_LIST_COLUMNS = [
  "STT",
  "Mã hồ sơ",
  "Lĩnh vực",
  "Mã TTHC",
  "Tên thủ tục hành chính",
  "Ngày tiếp nhận",
  "Ngày hẹn trả",
  "Ngày giải quyết",
  "Số ngày quá hạn",
  "Phiếu xin lỗi",
] as const;

function dayNumber(date: LocalDate): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
}

/** Calendar days from the due date to `until` (resolution, or the period's end for a pending dossier). */
export function daysLate(entry: DossierListEntry, until: LocalDate): number | null {
  if (!entry.dueAt) return null;
  const days = dayNumber(until) - dayNumber(entry.dueAt);
  return Number.isFinite(days) ? Math.max(0, days) : null;
}

/** The day a list entry is late up to: its resolution, or the period's end (cut-off) when still pending. */
export function lateUntil(entry: DossierListEntry, period: ReportPeriod): LocalDate {
  return entry.resolvedAt ?? periodEnd(period);
}

export function apologyLabel(entry: DossierListEntry): string {
  if (entry.apology === undefined) return "";
  return entry.apology ? "Đã gửi" : "Chưa gửi";
}

// ---------------------------------------------------------------------------------------------
// Bodies and names

/** "Ủy ban nhân dân xã Quốc Tuấn". */
export function issuingBodyName(unit: ReportUnit): string {
  return `Ủy ban nhân dân ${unitNameInSentence(unit.communeName)}`;
}

/** "UBND xã Quốc Tuấn". */
export function issuingBodyShort(unit: ReportUnit): string {
  return `UBND ${unitNameInSentence(unit.communeName)}`;
}

/** The two upper-case lines of the issuing body: ["ỦY BAN NHÂN DÂN", "XÃ QUỐC TUẤN"]. */
export function issuingBodyLines(unit: ReportUnit): [string, string] {
  return ["ỦY BAN NHÂN DÂN", upperVi(unit.communeName)];
}

/**
 * The body a commune reports to: the district People's Committee when the unit has a district
 * (before 1 July 2025), else the provincial People's Committee; null when neither is known.
 */
export function receivingBodyShort(unit: ReportUnit): string | null {
  if (unit.districtName) return `UBND ${unitNameInSentence(unit.districtName)}`;
  if (unit.provinceName) return `UBND ${unitNameInSentence(unit.provinceName)}`;
  return null;
}

/** "Quốc Tuấn": the place of the place-date line. */
export function placeName(unit: ReportUnit): string {
  return shortPlaceName(unit.communeName);
}

/** "xã" / "phường" / "thị trấn" / "đặc khu", defaulting to "xã". */
export function communeKind(unit: ReportUnit): string {
  return unitKind(unit.communeName) ?? "xã";
}

/** The document date when none is given: the period's last day (or the cut-off of a year-to-date report). */
export function defaultIssueDate(period: ReportPeriod): LocalDate {
  return periodEnd(period);
}

/** "(Từ ngày 15 tháng 12 năm 2022 đến ngày 14 tháng 12 năm 2023)" */
export function periodRangeLong(period: ReportPeriod): string {
  return `(Từ ${formatDateLong(period.from)} đến ${formatDateLong(periodEnd(period))})`;
}

/**
 * When and from what the figures were computed, local time (UTC+7):
 * "Số liệu tổng hợp tự động từ dữ liệu hồ sơ lúc 01:00 ngày 15/12/2023."
 */
export function provenanceLine(generatedAt: string): string {
  const t = Date.parse(generatedAt);
  if (Number.isNaN(t)) return "Số liệu tổng hợp tự động từ dữ liệu hồ sơ.";
  const local = new Date(t + 7 * 3_600_000);
  const hh = String(local.getUTCHours()).padStart(2, "0");
  const mm = String(local.getUTCMinutes()).padStart(2, "0");
  const date = local.toISOString().slice(0, 10);
  return `Số liệu tổng hợp tự động từ dữ liệu hồ sơ lúc ${hh}:${mm} ngày ${formatDate(date)}.`;
}
