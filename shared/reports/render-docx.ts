/**
 * Word rendering of the report model (docx): the commune's narrative report as a DRAFT laid out per
 * Decree 30/2020/NĐ-CP (A4, margins 20/20/30/15 mm, Times New Roman, the national motto block beside
 * the issuing body, the place-date line), with every figure computed from the model in Vietnamese
 * number style and highlighted "[…]" placeholders where officials write their own text; then the
 * annex tables (Form II.06a, feedback, digitization, late and overdue dossiers) in a landscape section.
 * Pure: a report in, the .docx bytes out.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  type IBorderOptions,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from "docx";
import {
  formatCount,
  formatDate,
  formatPercent,
  formatRate,
  formatRateWithTerms,
  NO_RATE,
  percentOf,
  periodEnd,
  periodLabel,
  periodRangeLabel,
  placeDateLine,
  unitNameInSentence,
  upperVi,
} from "./format";
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
  issuingBodyLines,
  issuingBodyShort,
  LATE_LIST_TITLE,
  lateUntil,
  layoutHeader,
  OVERDUE_LIST_TITLE,
  placeName,
  provenanceLine,
  receivingBodyShort,
  type TableValue,
} from "./forms";
import type { CommuneReport, DossierListEntry, FieldRow, FormRow, LocalDate } from "./model";

export interface CommuneDocumentOptions {
  /** The registered number, e.g. "140" → "Số: 140/BC-UBND"; absent → "Số: …/BC-UBND". */
  reportNumber?: string;
  /** The document's date; defaults to the period's last day (or the cut-off of a year-to-date report). */
  issuedOn?: LocalDate;
}

/** The marker officials search for and replace with their own text. */
export const PLACEHOLDER = "[…]";

const FONT = "Times New Roman";
const pt = (points: number): number => points * 2; // docx sizes are half-points
const mm = (millimetres: number): number => Math.round(millimetres * 56.6929); // twips

const A4 = { width: mm(210), height: mm(297) };
const PORTRAIT_MARGIN = { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) };
const LANDSCAPE_MARGIN = { top: mm(20), bottom: mm(20), left: mm(20), right: mm(15) };
const PORTRAIT_TEXT_WIDTH = A4.width - PORTRAIT_MARGIN.left - PORTRAIT_MARGIN.right;
const LANDSCAPE_TEXT_WIDTH = A4.height - LANDSCAPE_MARGIN.left - LANDSCAPE_MARGIN.right;

const BODY_SIZE = pt(14);
const FIRST_LINE = mm(10);

// ---------------------------------------------------------------------------------------------
// Paragraph helpers

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  size?: number;
}

type Inline = string | TextRun | TextRun[];

function runs(content: Inline, style: RunStyle = {}): TextRun[] {
  if (typeof content === "string") {
    return [new TextRun({ text: content, bold: style.bold, italics: style.italics, size: style.size })];
  }
  return Array.isArray(content) ? content : [content];
}

const t = (text: string, style: RunStyle = {}): TextRun =>
  new TextRun({ text, bold: style.bold, italics: style.italics, size: style.size });

/** A highlighted "[…]" with a hint of what to write. */
function placeholderRuns(hint: string): TextRun[] {
  return [
    new TextRun({ text: PLACEHOLDER, bold: true, highlight: "yellow" }),
    new TextRun({ text: ` ${hint}`, italics: true, highlight: "yellow" }),
  ];
}

/** A body paragraph: justified, first line indented, 6 pt after, line spacing 1.15. */
function body(content: Inline, opts: { keepNext?: boolean } = {}): Paragraph {
  return new Paragraph({
    children: runs(content),
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: FIRST_LINE },
    spacing: { before: 0, after: 120, line: 276 },
    keepNext: opts.keepNext,
  });
}

function placeholder(hint: string): Paragraph {
  return body(placeholderRuns(hint));
}

/** "- text" in the body, as the seed lists its figures. */
function dash(content: Inline): Paragraph {
  return body([t("- "), ...runs(content)]);
}

/** Section heading "I. …" (bold, upper case), item heading "1. …" (bold), point heading "* …" (bold italic). */
function heading(text: string, level: 1 | 2 | 3): Paragraph {
  return new Paragraph({
    children: [t(text, { bold: true, italics: level === 3 })],
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: FIRST_LINE },
    spacing: { before: level === 1 ? 180 : 120, after: 120, line: 276 },
    keepNext: true,
  });
}

function centred(content: Inline, style: RunStyle & { before?: number; after?: number } = {}): Paragraph {
  return new Paragraph({
    children: runs(content, style),
    alignment: AlignmentType.CENTER,
    spacing: { before: style.before ?? 0, after: style.after ?? 0 },
  });
}

/** A short horizontal rule, centred in a box `boxWidth` twips wide (Decree 30's lines under headings). */
function rule(length: number, boxWidth: number): Paragraph {
  const side = Math.max(0, Math.round((boxWidth - length) / 2));
  const line: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 1 };
  return new Paragraph({
    children: [new TextRun({ text: "", size: 4 })],
    indent: { left: side, right: side },
    border: { top: line },
    spacing: { before: 60, after: 0, line: 80, lineRule: "exact" },
  });
}

// ---------------------------------------------------------------------------------------------
// Header block, title, signature

const NO_BORDERS = TableBorders.NONE;
const CELL_MARGIN = 0;

function plainCell(children: Paragraph[], width: number): TableCell {
  return new TableCell({
    children,
    width: { size: width, type: WidthType.DXA },
    borders: NO_BORDERS,
    margins: { left: CELL_MARGIN, right: CELL_MARGIN, top: 0, bottom: 0 },
  });
}

function borderlessTable(rows: TableRow[], widths: number[]): Table {
  return new Table({
    rows,
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
  });
}

const HEADER_LEFT = mm(62);
const HEADER_RIGHT = PORTRAIT_TEXT_WIDTH - HEADER_LEFT;

function headerBlock(report: CommuneReport, number: string, issuedOn: LocalDate): Table {
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
          plainCell([centred(`Số: ${number}/BC-UBND`, { size, before: 120 })], HEADER_LEFT),
          plainCell(
            [
              centred(placeDateLine(placeName(report.unit), issuedOn), {
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

function signatureBlock(report: CommuneReport): Table {
  const left = mm(85);
  const right = PORTRAIT_TEXT_WIDTH - left;
  const receiving = receivingBodyShort(report.unit);
  const recipient = (runsOf: TextRun[]): Paragraph =>
    new Paragraph({ children: runsOf, spacing: { before: 0, after: 0 } });
  const recipients = [
    new Paragraph({
      children: [t("Nơi nhận:", { bold: true, italics: true, size: pt(12) })],
      spacing: { before: 0, after: 0 },
    }),
    recipient(
      receiving
        ? [t(`- ${receiving};`, { size: pt(11) })]
        : [t("- ", { size: pt(11) }), ...placeholderRuns("cơ quan nhận báo cáo;")],
    ),
    recipient([t(`- Lưu: VT.`, { size: pt(11) })]),
  ];
  const signer = [
    centred("TM. ỦY BAN NHÂN DÂN", { bold: true, size: pt(14) }),
    centred("CHỦ TỊCH", { bold: true, size: pt(14) }),
    centred("", { size: pt(14), before: 1200 }),
    new Paragraph({ children: placeholderRuns("Họ và tên người ký"), alignment: AlignmentType.CENTER }),
  ];
  return borderlessTable(
    [new TableRow({ children: [plainCell(recipients, left), plainCell(signer, right)], cantSplit: true })],
    [left, right],
  );
}

// ---------------------------------------------------------------------------------------------
// The narrative, section by section

const n = formatCount;

function feedbackSection(report: CommuneReport): Paragraph[] {
  const f = report.feedback;
  const out = [heading("3. Về tình hình tiếp nhận, xử lý phản ánh, kiến nghị về thủ tục hành chính", 2)];
  out.push(
    placeholder("Nêu việc niêm yết công khai địa chỉ, số điện thoại tiếp nhận phản ánh, kiến nghị (PAKN)."),
  );
  if (f.received.total === 0) {
    out.push(
      body(
        `Trong ${periodLabel(report.period)}, UBND ${unitNameInSentence(report.unit.communeName)} không tiếp nhận ` +
          "phản ánh, kiến nghị nào về quy định hành chính và hành vi hành chính.",
      ),
    );
  } else {
    out.push(
      body(
        `Tổng số PAKN trong kỳ báo cáo: ${n(f.received.total)}, trong đó: tiếp nhận mới về hành vi hành chính: ${n(
          f.received.behavior,
        )}; về quy định hành chính: ${n(f.received.regulation)}; từ kỳ trước chuyển qua: ${n(
          f.received.carriedOver,
        )}. Đã xử lý: ${n(f.resolved)}; đang xử lý: ${n(f.inProgress)}; số PAKN đã xử lý được công khai: ${n(
          f.published,
        )} (chi tiết tại Phụ lục II).`,
      ),
    );
    out.push(placeholder("Nêu nội dung chủ yếu của PAKN và kết quả xử lý."));
  }
  return out;
}

function fieldSentence(f: FieldRow): TextRun[] {
  const name = /^liên thông/i.test(f.fieldName) ? f.fieldName : `Lĩnh vực ${f.fieldName}`;
  return [
    t(`${name}: `, { bold: true }),
    t(
      `tổng số hồ sơ tiếp nhận ${n(f.received.total)} (trực tuyến: ${n(f.received.online)}; trực tiếp và qua ` +
        `dịch vụ bưu chính: ${n(f.received.directOrPostal)}; từ kỳ trước chuyển qua: ${n(f.received.carriedOver)}); ` +
        `đã giải quyết ${n(f.resolved.total)} (trước hạn: ${n(f.resolved.early)}, đúng hạn: ${n(
          f.resolved.onTime,
        )}, quá hạn: ${n(f.resolved.late)}); đang giải quyết ${n(f.pending.total)} (trong hạn: ${n(
          f.pending.withinDeadline,
        )}, quá hạn: ${n(f.pending.overdue)}).`,
    ),
  ];
}

/** Share resolved early or on time, of all resolved. */
function onTimeRate(row: FormRow): string {
  return formatPercent(percentOf(row.resolved.early + row.resolved.onTime, row.resolved.total));
}

function resultsSection(report: CommuneReport): Paragraph[] {
  const total = report.dossiers.total;
  const newly = total.received.online + total.received.directOrPostal;
  const out = [heading("4. Về tình hình, kết quả giải quyết thủ tục hành chính", 2)];
  out.push(placeholder("Đánh giá chung về việc tiếp nhận, giải quyết TTHC tại Bộ phận Một cửa."));
  out.push(
    body(
      `Tổng số hồ sơ TTHC đã tiếp nhận trong kỳ báo cáo: ${n(total.received.total)}, trong đó: số mới tiếp nhận ` +
        `trong kỳ: ${n(newly)} (trực tuyến: ${n(total.received.online)}; trực tiếp và qua dịch vụ bưu chính: ${n(
          total.received.directOrPostal,
        )}); số từ kỳ trước chuyển qua: ${n(total.received.carriedOver)}.`,
    ),
  );
  out.push(
    dash(
      `Số lượng hồ sơ đã giải quyết: ${n(total.resolved.total)}; trong đó, giải quyết trước hạn: ${n(
        total.resolved.early,
      )}, đúng hạn: ${n(total.resolved.onTime)}, quá hạn: ${n(total.resolved.late)}; tỷ lệ giải quyết trước hạn ` +
        `và đúng hạn: ${onTimeRate(total)}.`,
    ),
  );
  out.push(
    dash(
      `Số lượng hồ sơ đang giải quyết: ${n(total.pending.total)}; trong đó, trong hạn: ${n(
        total.pending.withinDeadline,
      )}, quá hạn: ${n(total.pending.overdue)}.`,
    ),
  );
  out.push(
    body(
      `Kết quả giải quyết thủ tục hành chính theo từng lĩnh vực như sau (chi tiết tại Phụ lục I, ${FORM_II06A_ID}):`,
      { keepNext: true },
    ),
  );
  for (const f of report.dossiers.byField) out.push(dash(fieldSentence(f)));

  const late = report.lateDossiers;
  if (total.resolved.late > 0) {
    const apologies = late.filter((d) => d.apology === true).length;
    out.push(
      body(
        `Hồ sơ giải quyết quá hạn trong kỳ: ${n(total.resolved.late)} hồ sơ` +
          (late.length > 0 ? `; đã gửi phiếu xin lỗi: ${n(apologies)}/${n(late.length)} hồ sơ` : "") +
          " (danh sách tại Phụ lục IV).",
      ),
    );
  }
  if (total.pending.overdue > 0) {
    out.push(
      body(
        `Hồ sơ đang giải quyết quá hạn tính đến ngày ${formatDate(periodEnd(report.period))}: ${n(
          total.pending.overdue,
        )} hồ sơ (danh sách tại Phụ lục IV).`,
      ),
    );
  }
  if (total.resolved.late > 0 || total.pending.overdue > 0) {
    out.push(placeholder("Nêu nguyên nhân hồ sơ quá hạn và biện pháp khắc phục."));
  }
  return out;
}

function oneStopSection(report: CommuneReport): Paragraph[] {
  const i = report.interlink;
  return [
    heading(
      "5. Triển khai cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính theo Nghị định số 61/2018/NĐ-CP",
      2,
    ),
    placeholder("Nêu việc kiện toàn Bộ phận Một cửa, ban hành kế hoạch, quy chế và các văn bản chỉ đạo."),
    body(
      `Tổng số hồ sơ thực hiện liên thông trong kỳ: ${n(i.total)} hồ sơ (liên thông cùng cấp: ${n(
        i.sameLevel,
      )}; liên thông giữa các cấp chính quyền: ${n(i.crossLevel)}); chi tiết tại mục 12.`,
    ),
  ];
}

function electronicSection(report: CommuneReport): Paragraph[] {
  const total = report.dossiers.total;
  const newly = total.received.online + total.received.directOrPostal;
  const d = report.digitization;
  const p = report.onlinePayment;
  const withComponents = d.componentsPartial + d.componentsFull;
  return [
    heading("6. Thực hiện thủ tục hành chính trên môi trường điện tử", 2),
    placeholder(
      "Nêu các văn bản chỉ đạo, triển khai Nghị định số 45/2020/NĐ-CP và Quyết định số 766/QĐ-TTg.",
    ),
    heading("* Kết quả tiếp nhận hồ sơ qua dịch vụ công trực tuyến:", 3),
    body(
      `Trong kỳ báo cáo, UBND ${unitNameInSentence(report.unit.communeName)} tiếp nhận ${n(
        newly,
      )} hồ sơ TTHC mới, trong đó qua dịch vụ công trực tuyến ${n(total.received.online)} hồ sơ (đạt tỷ lệ ${formatRate(
        report.onlineReception,
      )}); trực tiếp và qua dịch vụ bưu chính công ích ${n(total.received.directOrPostal)} hồ sơ (tỷ lệ ${formatPercent(
        percentOf(total.received.directOrPostal, newly),
      )}).`,
    ),
    heading("* Kết quả thực hiện số hóa hồ sơ, kết quả giải quyết thủ tục hành chính:", 3),
    body(
      `Số hồ sơ TTHC tiếp nhận trong kỳ: ${n(d.received)}; số hồ sơ có số hóa thành phần hồ sơ: ${n(
        withComponents,
      )} (đạt ${formatRate(d.digitizedRate)}), trong đó số hóa đầy đủ thành phần hồ sơ: ${n(
        d.componentsFull,
      )} (đạt ${formatRate(d.fullyDigitizedRate)}); số hồ sơ chưa số hóa thành phần hồ sơ: ${n(d.componentsNone)}.`,
    ),
    body(
      `Số hồ sơ đã giải quyết: ${n(d.resolved)}; số hồ sơ có số hóa kết quả giải quyết: ${n(
        d.resultDigitized,
      )} (đạt ${formatRate(d.resultDigitizedRate)}); số hồ sơ chưa số hóa kết quả: ${n(
        d.resultNotDigitized,
      )} (chi tiết tại Phụ lục III).`,
    ),
    heading("* Công tác chứng thực điện tử:", 3),
    body(
      `Số hồ sơ chứng thực điện tử (cấp bản sao điện tử có chứng thực) trong kỳ: ${n(report.electronicCertification)}.`,
    ),
    heading("* Thanh toán trực tuyến:", 3),
    body(
      `Số hồ sơ có nghĩa vụ tài chính được thanh toán trực tuyến: ${formatRateWithTerms(p.rate)}; chi tiết tại mục 13.`,
    ),
  ];
}

function satisfactionSection(report: CommuneReport): Paragraph[] {
  const s = report.satisfaction;
  const out = [heading("10. Công tác đánh giá giải quyết thủ tục hành chính", 2)];
  out.push(placeholder("Nêu việc tổ chức lấy ý kiến đánh giá của tổ chức, cá nhân."));
  if (s.rated === 0) {
    out.push(body("Trong kỳ báo cáo chưa có lượt đánh giá việc giải quyết thủ tục hành chính."));
  } else {
    out.push(
      body(
        `Trong kỳ báo cáo có ${n(s.rated)} lượt đánh giá việc giải quyết thủ tục hành chính, trong đó: rất hài lòng: ${n(
          s.verySatisfied,
        )}; hài lòng: ${n(s.satisfied)}; không hài lòng: ${n(s.unsatisfied)}. Tỷ lệ hài lòng (rất hài lòng và ` +
          `hài lòng): ${formatRate(s.satisfiedRate)}.`,
      ),
    );
  }
  return out;
}

function postalSection(report: CommuneReport): Paragraph[] {
  const total = report.dossiers.total;
  const newly = total.received.online + total.received.directOrPostal;
  const p = report.postal;
  return [
    heading(
      "11. Kết quả triển khai tiếp nhận hồ sơ và trả kết quả giải quyết thủ tục hành chính qua dịch vụ bưu chính công ích",
      2,
    ),
    body(
      `Số hồ sơ tiếp nhận qua dịch vụ bưu chính công ích: ${n(p.receivedByPost)} (tỷ lệ ${formatPercent(
        percentOf(p.receivedByPost, newly),
      )} số hồ sơ mới tiếp nhận); số hồ sơ trả kết quả qua dịch vụ bưu chính công ích: ${n(p.returnedByPost)}.`,
    ),
    placeholder("Nêu việc phối hợp với Bưu điện, nguyên nhân và giải pháp."),
  ];
}

function interlinkSection(report: CommuneReport): Paragraph[] {
  const i = report.interlink;
  const out = [heading("12. Việc triển khai thực hiện liên thông giải quyết thủ tục hành chính", 2)];
  out.push(
    body(
      `Tổng số hồ sơ thực hiện liên thông: ${n(i.total)} hồ sơ. Trong đó: liên thông giữa các cấp chính quyền: ${n(
        i.crossLevel,
      )} hồ sơ; liên thông cùng cấp: ${n(i.sameLevel)} hồ sơ.`,
      { keepNext: i.byBundle.length > 0 },
    ),
  );
  for (const b of i.byBundle) {
    const name = /^liên thông/i.test(b.bundle) ? b.bundle : `Nhóm thủ tục liên thông ${b.bundle}`;
    out.push(dash(`${name}: ${n(b.count)} hồ sơ.`));
  }
  out.push(placeholder("Nêu kết quả, khó khăn trong thực hiện liên thông."));
  return out;
}

function paymentSection(report: CommuneReport): Paragraph[] {
  const p = report.onlinePayment;
  return [
    heading(
      "13. Kết quả triển khai thanh toán trực tuyến nghĩa vụ tài chính về thực hiện thủ tục hành chính",
      2,
    ),
    body(
      `Số hồ sơ TTHC có nghĩa vụ tài chính (phí, lệ phí) tiếp nhận trong kỳ: ${n(
        p.feeRequired,
      )}; số hồ sơ đã thanh toán trực tuyến: ${n(p.paidOnline)}, đạt tỷ lệ ${formatRate(p.rate)}.`,
    ),
    placeholder("Nêu việc tuyên truyền, hướng dẫn thanh toán trực tuyến."),
  ];
}

function narrative(report: CommuneReport): Paragraph[] {
  const commune = unitNameInSentence(report.unit.communeName);
  const label = periodLabel(report.period);
  return [
    body([
      ...placeholderRuns("Căn cứ văn bản yêu cầu báo cáo của cấp trên"),
      t(`, UBND ${commune} báo cáo kết quả công tác ${label} như sau:`),
    ]),
    heading("I. TÌNH HÌNH, KẾT QUẢ KIỂM SOÁT THỦ TỤC HÀNH CHÍNH (TTHC)", 1),
    heading("1. Công bố, công khai TTHC, danh mục TTHC", 2),
    placeholder(
      "Nêu việc công bố, niêm yết, công khai TTHC; tổng số TTHC thuộc thẩm quyền giải quyết của UBND xã.",
    ),
    heading("2. Về rà soát, đơn giản hóa thủ tục hành chính", 2),
    placeholder("Nêu kết quả rà soát, đơn giản hóa TTHC: số TTHC đã rà soát, phương án kiến nghị."),
    ...feedbackSection(report),
    ...resultsSection(report),
    ...oneStopSection(report),
    ...electronicSection(report),
    heading("7. Công tác truyền thông hỗ trợ hoạt động kiểm soát thủ tục hành chính", 2),
    placeholder("Nêu hình thức, số lượng tin, bài, hội nghị tuyên truyền."),
    heading("8. Nghiên cứu, đề xuất sáng kiến cải cách thủ tục hành chính", 2),
    placeholder("Nêu các sáng kiến, giải pháp đã đề xuất, áp dụng."),
    heading("9. Kiểm tra thực hiện kiểm soát thủ tục hành chính", 2),
    placeholder("Nêu kết quả kiểm tra, đôn đốc việc thực hiện kiểm soát TTHC."),
    ...satisfactionSection(report),
    ...postalSection(report),
    ...interlinkSection(report),
    ...paymentSection(report),
    heading("14. Việc thực hiện quy trình giải quyết thủ tục hành chính", 2),
    placeholder("Nêu việc xây dựng, áp dụng quy trình nội bộ, quy trình điện tử giải quyết TTHC."),
    heading("II. ĐÁNH GIÁ CHUNG", 1),
    heading("1. Kết quả đạt được", 2),
    placeholder("Nêu ưu điểm, kết quả nổi bật."),
    heading("2. Tồn tại, hạn chế và nguyên nhân", 2),
    placeholder("Nêu tồn tại, hạn chế; nguyên nhân khách quan, chủ quan."),
    heading("III. MỘT SỐ NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", 1),
    placeholder("Nêu các nhiệm vụ trọng tâm kỳ tới."),
    heading("IV. KIẾN NGHỊ, ĐỀ XUẤT", 1),
    placeholder("Nêu kiến nghị, đề xuất với cơ quan cấp trên (nếu có)."),
    body(
      `Trên đây là báo cáo tình hình, kết quả công tác kiểm soát thủ tục hành chính, triển khai cơ chế một cửa, ` +
        `một cửa liên thông và thực hiện thủ tục hành chính trên môi trường điện tử ${label} của UBND ${commune}./.`,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Annex tables

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
  return new Table({
    rows,
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: TABLE_BORDERS,
  });
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

function annexes(report: CommuneReport, reference: string): (Paragraph | Table)[] {
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
  const issuedOn = opts.issuedOn ?? defaultIssueDate(report.period);
  const number = opts.reportNumber?.trim() || "…";
  const reference = `Kèm theo Báo cáo số ${number}/BC-UBND ngày ${formatDate(issuedOn)} của ${issuingBodyShort(
    report.unit,
  )}`;
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
          headerBlock(report, number, issuedOn),
          ...titleBlock(report),
          ...narrative(report),
          new Paragraph({ children: [], spacing: { before: 120 } }),
          signatureBlock(report),
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
        children: annexes(report, reference),
      },
    ],
  });
  return Packer.toBuffer(doc);
}
