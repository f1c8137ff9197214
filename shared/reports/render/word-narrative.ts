/**
 * The narrative of the commune's Word report, section by section (I. kiểm soát TTHC … IV. kiến nghị):
 * every figure from the report model in Vietnamese number style, "[…]" where officials write.
 */
import type { Paragraph, TextRun } from "docx";
import { sectionTitle } from "../../editions/sections";
import type { CommuneReport, FieldRow, FormRow } from "../model";
import { percentOf } from "../model";
import { FORM_II06A_ID } from "./table-layouts";
import {
  formatCount,
  formatDate,
  formatPercent,
  formatRate,
  formatRateWithTerms,
  periodEnd,
  periodLabel,
  unitNameInSentence,
} from "./vietnamese-format";
import { comparisonParagraphs, predecessorParagraphs, serviceIndexParagraphs } from "./word-additions";
import {
  initiativeSentences,
  inspectionSentences,
  type NarrativeEdition,
  openingParagraphs,
  procedureSentences,
  reviewSentences,
  sectionText,
  unlessWritten,
} from "./word-edition";
import { body, dash, heading, placeholder, t } from "./word-primitives";

const n = formatCount;

function feedbackSection(report: CommuneReport, e: NarrativeEdition): Paragraph[] {
  const f = report.feedback;
  const out = [heading(sectionTitle("I.3"), 2)];
  out.push(
    ...sectionText(
      e,
      "I.3",
      "Nêu việc niêm yết công khai địa chỉ, số điện thoại tiếp nhận phản ánh, kiến nghị (PAKN).",
    ),
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
    out.push(...unlessWritten(e, "I.3", "Nêu nội dung chủ yếu của PAKN và kết quả xử lý."));
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

function resultsSection(report: CommuneReport, e: NarrativeEdition): Paragraph[] {
  const total = report.dossiers.total;
  const newly = total.received.online + total.received.directOrPostal;
  const out = [heading(sectionTitle("I.4"), 2)];
  out.push(
    ...sectionText(e, "I.4", "Đánh giá chung về việc tiếp nhận, giải quyết TTHC tại Bộ phận Một cửa."),
  );
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
  out.push(...comparisonParagraphs(report));
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
    out.push(...unlessWritten(e, "I.4", "Nêu nguyên nhân hồ sơ quá hạn và biện pháp khắc phục."));
  }
  return out;
}

function oneStopSection(report: CommuneReport, e: NarrativeEdition): Paragraph[] {
  const i = report.interlink;
  return [
    heading(sectionTitle("I.5"), 2),
    ...sectionText(
      e,
      "I.5",
      "Nêu việc kiện toàn Bộ phận Một cửa, ban hành kế hoạch, quy chế và các văn bản chỉ đạo.",
    ),
    body(
      `Tổng số hồ sơ thực hiện liên thông trong kỳ: ${n(i.total)} hồ sơ (liên thông cùng cấp: ${n(
        i.sameLevel,
      )}; liên thông giữa các cấp chính quyền: ${n(i.crossLevel)}); chi tiết tại mục 12.`,
    ),
  ];
}

function electronicSection(report: CommuneReport, e: NarrativeEdition): Paragraph[] {
  const total = report.dossiers.total;
  const newly = total.received.online + total.received.directOrPostal;
  const d = report.digitization;
  const p = report.onlinePayment;
  const withComponents = d.componentsPartial + d.componentsFull;
  return [
    heading(sectionTitle("I.6"), 2),
    ...sectionText(
      e,
      "I.6",
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
    ...serviceIndexParagraphs(report),
  ];
}

function satisfactionSection(report: CommuneReport, e: NarrativeEdition): Paragraph[] {
  const s = report.satisfaction;
  const out = [heading(sectionTitle("I.10"), 2)];
  out.push(...sectionText(e, "I.10", "Nêu việc tổ chức lấy ý kiến đánh giá của tổ chức, cá nhân."));
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

function postalSection(report: CommuneReport, e: NarrativeEdition): Paragraph[] {
  const total = report.dossiers.total;
  const newly = total.received.online + total.received.directOrPostal;
  const p = report.postal;
  return [
    heading(sectionTitle("I.11"), 2),
    body(
      `Số hồ sơ tiếp nhận qua dịch vụ bưu chính công ích: ${n(p.receivedByPost)} (tỷ lệ ${formatPercent(
        percentOf(p.receivedByPost, newly),
      )} số hồ sơ mới tiếp nhận); số hồ sơ trả kết quả qua dịch vụ bưu chính công ích: ${n(p.returnedByPost)}.`,
    ),
    ...sectionText(e, "I.11", "Nêu việc phối hợp với Bưu điện, nguyên nhân và giải pháp."),
  ];
}

function interlinkSection(report: CommuneReport, e: NarrativeEdition): Paragraph[] {
  const i = report.interlink;
  const out = [heading(sectionTitle("I.12"), 2)];
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
  out.push(...sectionText(e, "I.12", "Nêu kết quả, khó khăn trong thực hiện liên thông."));
  return out;
}

function paymentSection(report: CommuneReport, e: NarrativeEdition): Paragraph[] {
  const p = report.onlinePayment;
  return [
    heading(sectionTitle("I.13"), 2),
    body(
      `Số hồ sơ TTHC có nghĩa vụ tài chính (phí, lệ phí) tiếp nhận trong kỳ: ${n(
        p.feeRequired,
      )}; số hồ sơ đã thanh toán trực tuyến: ${n(p.paidOnline)}, đạt tỷ lệ ${formatRate(p.rate)}.`,
    ),
    ...sectionText(e, "I.13", "Nêu việc tuyên truyền, hướng dẫn thanh toán trực tuyến."),
  ];
}

export function narrative(report: CommuneReport, e?: NarrativeEdition): Paragraph[] {
  const commune = unitNameInSentence(report.unit.communeName);
  const label = periodLabel(report.period);
  const numbers = e?.numbers;
  return [
    ...openingParagraphs(e, `, UBND ${commune} báo cáo kết quả công tác ${label} như sau:`),
    ...predecessorParagraphs(report),
    heading("I. TÌNH HÌNH, KẾT QUẢ KIỂM SOÁT THỦ TỤC HÀNH CHÍNH (TTHC)", 1),
    heading(sectionTitle("I.1"), 2),
    ...sectionText(
      e,
      "I.1",
      "Nêu việc công bố, niêm yết, công khai TTHC; tổng số TTHC thuộc thẩm quyền giải quyết của UBND xã.",
    ),
    ...procedureSentences(report, numbers),
    heading(sectionTitle("I.2"), 2),
    ...sectionText(
      e,
      "I.2",
      "Nêu kết quả rà soát, đơn giản hóa TTHC: số TTHC đã rà soát, phương án kiến nghị.",
    ),
    ...reviewSentences(numbers),
    ...feedbackSection(report, e),
    ...resultsSection(report, e),
    ...oneStopSection(report, e),
    ...electronicSection(report, e),
    heading(sectionTitle("I.7"), 2),
    ...sectionText(e, "I.7", "Nêu hình thức, số lượng tin, bài, hội nghị tuyên truyền."),
    heading(sectionTitle("I.8"), 2),
    ...sectionText(e, "I.8", "Nêu các sáng kiến, giải pháp đã đề xuất, áp dụng."),
    ...initiativeSentences(report, numbers),
    heading(sectionTitle("I.9"), 2),
    ...sectionText(e, "I.9", "Nêu kết quả kiểm tra, đôn đốc việc thực hiện kiểm soát TTHC."),
    ...inspectionSentences(report, numbers),
    ...satisfactionSection(report, e),
    ...postalSection(report, e),
    ...interlinkSection(report, e),
    ...paymentSection(report, e),
    heading(sectionTitle("I.14"), 2),
    ...sectionText(
      e,
      "I.14",
      "Nêu việc xây dựng, áp dụng quy trình nội bộ, quy trình điện tử giải quyết TTHC.",
    ),
    heading("II. ĐÁNH GIÁ CHUNG", 1),
    heading(sectionTitle("II.1"), 2),
    ...sectionText(e, "II.1", "Nêu ưu điểm, kết quả nổi bật."),
    heading(sectionTitle("II.2"), 2),
    ...sectionText(e, "II.2", "Nêu tồn tại, hạn chế; nguyên nhân khách quan, chủ quan."),
    heading(sectionTitle("III"), 1),
    ...sectionText(e, "III", "Nêu các nhiệm vụ trọng tâm kỳ tới."),
    heading("IV. KIẾN NGHỊ, ĐỀ XUẤT", 1),
    ...proposalSections(e),
    body(
      `Trên đây là báo cáo tình hình, kết quả công tác kiểm soát thủ tục hành chính, triển khai cơ chế một cửa, ` +
        `một cửa liên thông và thực hiện thủ tục hành chính trên môi trường điện tử ${label} của UBND ${commune}./.`,
    ),
  ];
}

/** IV: one placeholder while nothing is written; else the seed's four items, each written one. */
function proposalSections(e: NarrativeEdition): Paragraph[] {
  const ids = ["IV.1", "IV.2", "IV.3", "IV.4"] as const;
  if (!ids.some((id) => e?.texts[id]?.trim())) {
    return [placeholder("Nêu kiến nghị, đề xuất với cơ quan cấp trên (nếu có).")];
  }
  return ids.flatMap((id) =>
    e?.texts[id]?.trim() ? [heading(sectionTitle(id), 2), ...sectionText(e, id, "")] : [],
  );
}
