import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import type { CommuneReport } from "../../shared/reports/model";
import { PLACEHOLDER, renderCommuneDocument } from "../../shared/reports/render/word-document";
import { communeReportFixture, communeReportWithOverdue } from "../support/report-fixture";

interface Rendered {
  xml: string;
  styles: string;
  /** The text of each paragraph, in document order (table cells included). */
  paragraphs: string[];
  text: string;
}

const decode = (s: string): string =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

async function render(
  report: CommuneReport,
  opts?: Parameters<typeof renderCommuneDocument>[1],
): Promise<Rendered> {
  const buffer = await renderCommuneDocument(report, opts);
  const zip = await JSZip.loadAsync(buffer);
  const xml = await zip.file("word/document.xml")!.async("string");
  const styles = await zip.file("word/styles.xml")!.async("string");
  const paragraphs = [...xml.matchAll(/<w:p(?=[ >])[\s\S]*?<\/w:p>/g)].map((m) =>
    decode([...m[0].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join("")),
  );
  return { xml, styles, paragraphs, text: paragraphs.join("\n") };
}

describe("renderCommuneDocument", () => {
  let doc: Rendered;

  beforeAll(async () => {
    doc = await render(communeReportFixture(), { reportNumber: "140", issuedOn: "2023-12-14" });
  });

  it("opens with the issuing body, the number, the motto and the place-date line", () => {
    const p = doc.paragraphs;
    expect(p.slice(0, 6)).toEqual([
      "ỦY BAN NHÂN DÂN",
      "XÃ QUỐC TUẤN",
      "",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "",
    ]);
    expect(p).toContain("Số: 140/BC-UBND");
    expect(p).toContain("Quốc Tuấn, ngày 14 tháng 12 năm 2023");
    expect(p).toContain("BÁO CÁO");
    expect(p).toContain(
      "Công tác kiểm soát thủ tục hành chính, triển khai cơ chế một cửa, một cửa liên thông và thực hiện thủ tục " +
        "hành chính trên môi trường điện tử năm 2023 xã Quốc Tuấn",
    );
  });

  it("writes the section I.4 figures in sentences, in Vietnamese number style", () => {
    expect(doc.text).toContain(
      "Tổng số hồ sơ TTHC đã tiếp nhận trong kỳ báo cáo: 3.299, trong đó: số mới tiếp nhận trong kỳ: 3.278 " +
        "(trực tuyến: 3.241; trực tiếp và qua dịch vụ bưu chính: 37); số từ kỳ trước chuyển qua: 21.",
    );
    expect(doc.text).toContain(
      "- Số lượng hồ sơ đã giải quyết: 3.297; trong đó, giải quyết trước hạn: 3.267, đúng hạn: 29, quá hạn: 1;",
    );
    expect(doc.text).toContain("- Số lượng hồ sơ đang giải quyết: 2; trong đó, trong hạn: 2, quá hạn: 0.");
    expect(doc.text).toContain(
      "- Lĩnh vực Hộ tịch: tổng số hồ sơ tiếp nhận 723 (trực tuyến: 714; trực tiếp và qua dịch vụ bưu chính: 9; " +
        "từ kỳ trước chuyển qua: 0); đã giải quyết 723 (trước hạn: 722, đúng hạn: 0, quá hạn: 1); " +
        "đang giải quyết 0 (trong hạn: 0, quá hạn: 0).",
    );
    expect(doc.text).toContain("- Lĩnh vực Chứng thực: tổng số hồ sơ tiếp nhận 2.381 (trực tuyến: 2.381;");
    expect(doc.text).toContain("- Lĩnh vực Bảo trợ xã hội: tổng số hồ sơ tiếp nhận 103");
    expect(doc.text).toContain("- Lĩnh vực Người có công: tổng số hồ sơ tiếp nhận 29");
    expect(doc.text).toContain(
      "- Liên thông Hộ tịch - Đăng ký thường trú - Quản lý thu, Sổ - thẻ: tổng số hồ sơ tiếp nhận 62",
    );
    expect(doc.text).toContain("Hồ sơ giải quyết quá hạn trong kỳ: 1 hồ sơ; đã gửi phiếu xin lỗi: 1/1 hồ sơ");
  });

  it("writes the other computed sections", () => {
    const t = doc.text;
    // I.6 online reception, digitization, electronic certification, online payment
    expect(t).toContain("qua dịch vụ công trực tuyến 3.241 hồ sơ (đạt tỷ lệ 98,87%)");
    expect(t).toContain("trực tiếp và qua dịch vụ bưu chính công ích 37 hồ sơ (tỷ lệ 1,13%)");
    expect(t).toContain("số hồ sơ có số hóa thành phần hồ sơ: 3.214 (đạt 98,05%)");
    expect(t).toContain("số hóa đầy đủ thành phần hồ sơ: 3.184 (đạt 97,13%)");
    expect(t).toContain("số hồ sơ có số hóa kết quả giải quyết: 3.284 (đạt 99,61%)");
    expect(t).toContain("chứng thực điện tử (cấp bản sao điện tử có chứng thực) trong kỳ: 415.");
    expect(t).toContain("1.249/2.842 (43,95%)");
    // I.3 feedback, I.5/I.12 interlinked, I.10 satisfaction, I.11 postal, I.13 online payment
    expect(t).toContain(
      "Tổng số PAKN trong kỳ báo cáo: 1, trong đó: tiếp nhận mới về hành vi hành chính: 0; về quy định hành chính: 1; " +
        "từ kỳ trước chuyển qua: 0. Đã xử lý: 1; đang xử lý: 0; số PAKN đã xử lý được công khai: 1",
    );
    expect(t).toContain("liên thông giữa các cấp chính quyền: 62 hồ sơ; liên thông cùng cấp: 1 hồ sơ.");
    expect(t).toContain("Tổng số hồ sơ thực hiện liên thông trong kỳ: 63 hồ sơ");
    expect(t).toContain(
      "rất hài lòng: 3.120; hài lòng: 179; không hài lòng: 0. Tỷ lệ hài lòng (rất hài lòng và hài lòng): 100%.",
    );
    expect(t).toContain(
      "Số hồ sơ tiếp nhận qua dịch vụ bưu chính công ích: 0 (tỷ lệ 0% số hồ sơ mới tiếp nhận)",
    );
    expect(t).toContain("số hồ sơ đã thanh toán trực tuyến: 1.249, đạt tỷ lệ 43,95%.");
  });

  it("never writes a figure in English number style", () => {
    expect(doc.text).not.toMatch(/\d,\d{3}\b/); // 3,241
    expect(doc.text).not.toMatch(/\d\.\d{1,2}%/); // 98.87%
  });

  it("keeps the seed's section order, the signature block and the annexes", () => {
    const order = [
      "I. TÌNH HÌNH, KẾT QUẢ KIỂM SOÁT THỦ TỤC HÀNH CHÍNH (TTHC)",
      "1. Công bố, công khai TTHC, danh mục TTHC",
      "2. Về rà soát, đơn giản hóa thủ tục hành chính",
      "3. Về tình hình tiếp nhận, xử lý phản ánh, kiến nghị về thủ tục hành chính",
      "4. Về tình hình, kết quả giải quyết thủ tục hành chính",
      "5. Triển khai cơ chế một cửa, một cửa liên thông",
      "6. Thực hiện thủ tục hành chính trên môi trường điện tử",
      "7. Công tác truyền thông",
      "8. Nghiên cứu, đề xuất sáng kiến",
      "9. Kiểm tra thực hiện kiểm soát",
      "10. Công tác đánh giá giải quyết thủ tục hành chính",
      "11. Kết quả triển khai tiếp nhận hồ sơ và trả kết quả",
      "12. Việc triển khai thực hiện liên thông",
      "13. Kết quả triển khai thanh toán trực tuyến",
      "14. Việc thực hiện quy trình giải quyết",
      "II. ĐÁNH GIÁ CHUNG",
      "III. MỘT SỐ NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI",
      "IV. KIẾN NGHỊ, ĐỀ XUẤT",
      "Trên đây là báo cáo",
      "Nơi nhận:",
      "TM. ỦY BAN NHÂN DÂN",
      "CHỦ TỊCH",
      "Phụ lục I",
      "Phụ lục II",
      "Phụ lục III",
      "Phụ lục IV",
    ];
    const index = order.map((start) => doc.paragraphs.findIndex((p) => p.startsWith(start)));
    order.forEach((start, i) => {
      expect(index[i], start).toBeGreaterThanOrEqual(0);
    });
    expect([...index].sort((a, b) => a - b)).toEqual(index);
    expect(doc.paragraphs).toContain("- UBND huyện Nam Sách;");
  });

  it("marks the officials' own text with highlighted placeholders", () => {
    const placeholders = doc.paragraphs.filter((p) => p.includes(PLACEHOLDER));
    expect(PLACEHOLDER).toBe("[…]");
    expect(placeholders.length).toBeGreaterThanOrEqual(15);
    for (const section of [
      "1. Công bố",
      "2. Về rà soát",
      "7. Công tác truyền thông",
      "1. Kết quả đạt được",
      "III. MỘT SỐ",
      "IV. KIẾN NGHỊ",
    ]) {
      const i = doc.paragraphs.findIndex((p) => p.startsWith(section));
      expect(doc.paragraphs[i + 1], section).toContain(PLACEHOLDER);
    }
    expect(doc.xml).toMatch(/<w:highlight w:val="yellow"\/>/);
  });

  it("lays out A4 portrait with Decree 30 margins, then a landscape annex section", () => {
    const sections = [...doc.xml.matchAll(/<w:sectPr[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0]);
    expect(sections).toHaveLength(2);
    const [portrait, landscape] = sections as [string, string];
    expect(portrait).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(portrait).toMatch(/w:top="1134"/);
    expect(portrait).toMatch(/w:bottom="1134"/);
    expect(portrait).toMatch(/w:left="1701"/);
    expect(portrait).toMatch(/w:right="850"/);
    expect(landscape).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/);
    expect(doc.styles).toMatch(/w:ascii="Times New Roman"/);
    expect(doc.styles).toMatch(/<w:sz w:val="28"\/>/); // 14 pt body
  });

  it("writes Form II.06a as an annex with merged headers, numbered columns and the total", () => {
    const annex = doc.xml.slice(doc.xml.indexOf("Phụ lục I<"));
    const firstTable = annex.slice(annex.indexOf("<w:tbl>"), annex.indexOf("</w:tbl>"));
    expect(firstTable).toContain('<w:gridSpan w:val="4"/>'); // Số hồ sơ nhận giải quyết
    expect(firstTable).toContain('<w:gridSpan w:val="7"/>'); // Kết quả giải quyết
    expect(firstTable).toContain('<w:vMerge w:val="restart"/>');
    expect(firstTable).toContain("<w:tblHeader/>");
    const cells = [...firstTable.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]);
    const numbers = Array.from({ length: 13 }, (_, i) => `(${i + 1})`);
    const at = cells.indexOf("(1)");
    expect(cells.slice(at, at + 13)).toEqual(numbers);
    const total = cells.indexOf("Tổng số", at);
    expect(cells.slice(total, total + 12)).toEqual([
      "Tổng số",
      "3.299",
      "3.241",
      "37",
      "21",
      "3.297",
      "3.267",
      "29",
      "1",
      "2",
      "2",
      "0",
    ]);
    expect(doc.text).toContain(
      "(Biểu số II.06a/VPCP/KSTT; Kèm theo Báo cáo số 140/BC-UBND ngày 14/12/2023 của UBND xã Quốc Tuấn)",
    );
  });

  it("writes the feedback and digitization annexes", () => {
    const p = doc.paragraphs;
    const ii = p.indexOf("Phụ lục II");
    const iii = p.indexOf("Phụ lục III");
    expect(p.slice(ii, iii)).toContain("Số PAKN được tiếp nhận");
    expect(p.slice(iii)).toContain("(7)=(6)/(3)");
    expect(p.slice(iii)).toContain("97,13%");
    expect(p.slice(iii)).toContain("99,61%");
  });

  it("leaves the number to fill in and defaults the date to the period's end", async () => {
    const draft = await render(communeReportFixture());
    expect(draft.paragraphs).toContain("Số: …/BC-UBND");
    expect(draft.paragraphs).toContain("Quốc Tuấn, ngày 14 tháng 12 năm 2023");
  });

  it("uses the issue date it is given", async () => {
    const d = await render(communeReportFixture(), { issuedOn: "2024-01-05" });
    expect(d.paragraphs).toContain("Quốc Tuấn, ngày 05 tháng 01 năm 2024");
  });

  it("names a year-to-date report by its cut-off", async () => {
    const r = communeReportFixture();
    r.period = { ...r.period, asOf: "2023-11-28" };
    const d = await render(r);
    expect(d.text).toContain("môi trường điện tử năm 2023 (đến ngày 28/11/2023) xã Quốc Tuấn");
    expect(d.paragraphs).toContain("Quốc Tuấn, ngày 28 tháng 11 năm 2023");
  });

  it("mentions overdue dossiers and lists them", async () => {
    const d = await render(communeReportWithOverdue());
    expect(d.text).toContain(
      "Hồ sơ đang giải quyết quá hạn tính đến ngày 14/12/2023: 1 hồ sơ (danh sách tại Phụ lục IV).",
    );
    expect(d.paragraphs).toContain("000.21.30.H23-231120-0003");
  });

  it("says so when there is no feedback and works for a ward", async () => {
    const r = communeReportFixture();
    r.unit = {
      communeCode: "00004",
      communeName: "Phường Ba Đình",
      provinceCode: "01",
      provinceName: "Thành phố Hà Nội",
    };
    r.feedback = {
      received: { total: 0, regulation: 0, behavior: 0, carriedOver: 0 },
      resolved: 0,
      inProgress: 0,
      published: 0,
    };
    const d = await render(r);
    expect(d.paragraphs).toContain("PHƯỜNG BA ĐÌNH");
    expect(d.paragraphs).toContain("Ba Đình, ngày 14 tháng 12 năm 2023");
    expect(d.paragraphs).toContain("- UBND thành phố Hà Nội;");
    expect(d.text).toContain(
      "Trong năm 2023, UBND phường Ba Đình không tiếp nhận phản ánh, kiến nghị nào về quy định hành chính và hành vi hành chính.",
    );
  });
});
