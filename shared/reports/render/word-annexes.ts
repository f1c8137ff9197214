/**
 * The annexes of the commune's Word report, in the landscape section: Form II.06a (Phụ lục I), feedback
 * (II), digitization (III), late and overdue dossiers (IV), laid out from the shared table layouts.
 */
import {
  AlignmentType,
  BorderStyle,
  Paragraph,
  ShadingType,
  type Table,
  TableCell,
  TableRow,
  VerticalAlignTable,
  WidthType,
} from "docx";
import type { CommuneReport, DossierListEntry } from "../model";
import {
  apologyLabel,
  columnNumbers,
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
  FORM_II06A_ID,
  FORM_II06A_NOTE,
  FORM_II06A_TITLE_LINES,
  FORM_II06A_UNIT_OF_MEASURE,
  feedbackHeader,
  feedbackValues,
  formII06aHeader,
  formII06aValues,
  type HeaderNode,
  isRate,
  issuingBodyShort,
  LATE_LIST_TITLE,
  lateUntil,
  layoutHeader,
  OVERDUE_LIST_TITLE,
  provenanceLine,
  type TableValue,
} from "./table-layouts";
import {
  formatCount,
  formatDate,
  formatRate,
  NO_RATE,
  periodEnd,
  periodLabel,
  periodRangeLabel,
  upperVi,
} from "./vietnamese-format";
import { centred, fixedTable, LANDSCAPE_TEXT_WIDTH, pt, type RunStyle, t } from "./word-primitives";

const THIN = { style: BorderStyle.SINGLE, size: 4, color: "000000" } as const;
const GRID_BORDERS = { top: THIN, bottom: THIN, left: THIN, right: THIN };
const TABLE_BORDERS = { ...GRID_BORDERS, insideHorizontal: THIN, insideVertical: THIN };

type AnnexValue = string | TableValue | null;

interface AnnexRow {
  values: AnnexValue[];
  bold?: boolean;
}

interface AnnexTableSpec {
  header: HeaderNode[];
  /** Relative column widths (scaled to the landscape text width). */
  weights: number[];
  numberOverrides?: Record<number, string>;
  rows: AnnexRow[];
  /** 1-based columns whose text is left-aligned. */
  textColumns?: number[];
  /** Body text size in half-points (default 12 pt). */
  bodySize?: number;
  emptyText?: string;
}

function cellParagraph(
  text: string,
  opts: RunStyle & { align?: (typeof AlignmentType)[keyof typeof AlignmentType] },
) {
  return new Paragraph({
    children: [t(text, opts)],
    alignment: opts.align ?? AlignmentType.CENTER,
    spacing: { before: 20, after: 20 },
  });
}

function gridCell(
  paragraph: Paragraph,
  width: number,
  extra: { columnSpan?: number; rowSpan?: number; shaded?: boolean } = {},
): TableCell {
  return new TableCell({
    children: [paragraph],
    width: { size: width, type: WidthType.DXA },
    columnSpan: extra.columnSpan,
    rowSpan: extra.rowSpan,
    verticalAlign: VerticalAlignTable.CENTER,
    borders: GRID_BORDERS,
    margins: { left: 60, right: 60, top: 20, bottom: 20 },
    shading: extra.shaded ? { type: ShadingType.CLEAR, fill: "F2F2F2", color: "auto" } : undefined,
  });
}

function valueText(v: AnnexValue): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (isRate(v)) return v.percent === null ? NO_RATE : formatRate(v);
  return formatCount(v);
}

function annexTable(spec: AnnexTableSpec): Table {
  const layout = layoutHeader(spec.header);
  const sum = spec.weights.reduce((a, b) => a + b, 0);
  const widths = spec.weights.map((w) => Math.floor((w / sum) * LANDSCAPE_TEXT_WIDTH));
  const widthOf = (col: number, span: number) => widths.slice(col, col + span).reduce((a, b) => a + b, 0);
  const textColumns = new Set(spec.textColumns ?? [2]);

  const rows: TableRow[] = [];
  for (let level = 0; level < layout.depth; level++) {
    const cells = layout.cells
      .filter((c) => c.row === level)
      .map((c) =>
        gridCell(cellParagraph(c.label, { bold: true, size: pt(11) }), widthOf(c.col, c.colSpan), {
          columnSpan: c.colSpan > 1 ? c.colSpan : undefined,
          rowSpan: c.rowSpan > 1 ? c.rowSpan : undefined,
          shaded: true,
        }),
      );
    rows.push(new TableRow({ children: cells, tableHeader: true, cantSplit: true }));
  }
  rows.push(
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: columnNumbers(layout.leafCount, spec.numberOverrides).map((label, i) =>
        gridCell(cellParagraph(label, { italics: true, size: pt(10) }), widths[i] ?? 0),
      ),
    }),
  );
  for (const row of spec.rows) {
    rows.push(
      new TableRow({
        cantSplit: true,
        children: row.values.map((v, i) => {
          const text = valueText(v);
          const isLabel =
            typeof v === "string" && textColumns.has(i + 1) && !(row.bold && text === "Tổng số");
          const isFigure = i > 0 && typeof v !== "string" && v !== null;
          const align = isLabel ? AlignmentType.LEFT : isFigure ? AlignmentType.RIGHT : AlignmentType.CENTER;
          return gridCell(
            cellParagraph(text, { bold: row.bold, size: spec.bodySize ?? pt(12), align }),
            widths[i] ?? 0,
          );
        }),
      }),
    );
  }
  if (spec.rows.length === 0) {
    rows.push(
      new TableRow({
        children: [
          gridCell(
            cellParagraph(spec.emptyText ?? "Không có.", { italics: true, size: pt(12) }),
            LANDSCAPE_TEXT_WIDTH,
            {
              columnSpan: layout.leafCount,
            },
          ),
        ],
      }),
    );
  }
  return fixedTable(rows, widths, TABLE_BORDERS);
}

function annexHeading(
  index: string,
  title: string[],
  lines: string[],
  unitOfMeasure: string | null,
  first: boolean,
): Paragraph[] {
  const out: Paragraph[] = [
    new Paragraph({
      children: [t(`Phụ lục ${index}`, { bold: true, size: pt(14) })],
      alignment: AlignmentType.CENTER,
      pageBreakBefore: !first,
      spacing: { before: 0, after: 60 },
      keepNext: true,
    }),
  ];
  for (const line of title) out.push(centred(line, { bold: true, size: pt(13) }));
  for (const line of lines) out.push(centred(line, { italics: true, size: pt(13) }));
  out.push(
    new Paragraph({
      children: unitOfMeasure ? [t(unitOfMeasure, { italics: true, size: pt(12) })] : [],
      alignment: AlignmentType.RIGHT,
      spacing: { before: 60, after: 60 },
      keepNext: true,
    }),
  );
  return out;
}

function note(text: string): Paragraph {
  return new Paragraph({
    children: [t(text, { italics: true, size: pt(11) })],
    spacing: { before: 60, after: 0 },
  });
}

function dossierListRows(entries: DossierListEntry[], report: CommuneReport): AnnexRow[] {
  return entries.map((e, i) => {
    const days = daysLate(e, lateUntil(e, report.period));
    return {
      values: [
        String(i + 1),
        e.dossierCode,
        e.fieldName,
        e.procedureCode,
        e.procedureName ?? "",
        formatDate(e.receivedAt),
        e.dueAt ? formatDate(e.dueAt) : "",
        e.resolvedAt ? formatDate(e.resolvedAt) : "–",
        days === null ? "" : formatCount(days),
        apologyLabel(e),
      ],
    };
  });
}

export function annexes(report: CommuneReport, reference: string): (Paragraph | Table)[] {
  const period = `Kỳ báo cáo: ${periodLabel(report.period)} (${periodRangeLabel(report.period)})`;
  const unitName = issuingBodyShort(report.unit);
  const out: (Paragraph | Table)[] = [];

  out.push(
    ...annexHeading(
      "I",
      [...FORM_II06A_TITLE_LINES],
      [`(${FORM_II06A_ID}; ${reference})`, period],
      FORM_II06A_UNIT_OF_MEASURE,
      true,
    ),
  );
  const fieldRows: AnnexRow[] = report.dossiers.byField.map((f, i) => ({
    values: [String(i + 1), f.fieldName, ...formII06aValues(f)],
  }));
  fieldRows.push({ values: [null, "Tổng số", ...formII06aValues(report.dossiers.total)], bold: true });
  out.push(
    annexTable({
      header: formII06aHeader(),
      weights: [5, 30, 9, 9, 11, 10, 9, 9, 9, 9, 9, 9, 9],
      rows: fieldRows,
    }),
    note(FORM_II06A_NOTE),
    note(provenanceLine(report.generatedAt)),
  );

  out.push(
    ...annexHeading(
      "II",
      [FEEDBACK_TITLE, `${FEEDBACK_SUBTITLE} TẠI ${upperVi(issuingBodyShort(report.unit))}`],
      [`(${reference})`, period],
      FEEDBACK_UNIT_OF_MEASURE,
      false,
    ),
  );
  const fb = feedbackValues(report.feedback);
  out.push(
    annexTable({
      header: feedbackHeader(),
      weights: [5, 30, 10, 12, 12, 12, 10, 10, 14],
      rows: [{ values: ["1", unitName, ...fb] }, { values: [null, "Tổng số", ...fb], bold: true }],
    }),
  );

  out.push(
    ...annexHeading(
      "III",
      [DIGITIZATION_TITLE],
      [`(${reference})`, period],
      DIGITIZATION_UNIT_OF_MEASURE,
      false,
    ),
  );
  const dv = digitizationValues(report.digitization);
  out.push(
    annexTable({
      header: digitizationHeader(),
      weights: [5, 26, 10, 11, 11, 12, 11, 10, 11, 11, 11],
      numberOverrides: DIGITIZATION_COLUMN_OVERRIDES,
      rows: [{ values: ["1", unitName, ...dv] }, { values: [null, "Tổng số", ...dv], bold: true }],
    }),
  );

  if (report.lateDossiers.length > 0 || report.overdueDossiers.length > 0) {
    out.push(...annexHeading("IV", ["DANH SÁCH HỒ SƠ TRỄ HẠN"], [`(${reference})`, period], null, false));
    const listHeader: HeaderNode[] = DOSSIER_LIST_COLUMNS.map((label) => ({ label }));
    const weights = [5, 24, 14, 9, 26, 11, 11, 11, 8, 9];
    out.push(
      new Paragraph({ children: [t(`1. ${LATE_LIST_TITLE}`, { bold: true, size: pt(13) })], keepNext: true }),
      annexTable({
        header: listHeader,
        weights,
        rows: dossierListRows(report.lateDossiers, report),
        textColumns: [2, 3, 5],
        bodySize: pt(11),
        emptyText: "Không có hồ sơ.",
      }),
      new Paragraph({
        children: [
          t(`2. ${OVERDUE_LIST_TITLE} (tính đến ngày ${formatDate(periodEnd(report.period))})`, {
            bold: true,
            size: pt(13),
          }),
        ],
        spacing: { before: 240 },
        keepNext: true,
      }),
      annexTable({
        header: listHeader,
        weights,
        rows: dossierListRows(report.overdueDossiers, report),
        textColumns: [2, 3, 5],
        bodySize: pt(11),
        emptyText: "Không có hồ sơ.",
      }),
    );
  }
  return out;
}
