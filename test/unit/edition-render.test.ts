import ExcelJS from "exceljs";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_EDITION } from "../../scripts/demo-edition";
import { type EditionContent, emptyContent, mergeContent } from "../../shared/editions/edition";
import { renderCommuneWorkbook } from "../../shared/reports/render/excel-workbook";
import { PLACEHOLDER, renderCommuneDocument } from "../../shared/reports/render/word-document";
import { communeReportFixture } from "../support/report-fixture";

/** The seed (../shared/reference/bao-cao-140-BC-UBND-quoc-tuan-2023.txt) as oracle: an edition holding
 * its texts and numbers renders a Word document that says what the seed says. */

const decode = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

async function paragraphsOf(buffer: Buffer): Promise<string[]> {
  const xml = await (await JSZip.loadAsync(buffer)).file("word/document.xml")!.async("string");
  return [...xml.matchAll(/<w:p(?=[ >])[\s\S]*?<\/w:p>/g)].map((m) =>
    decode([...m[0].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join("")),
  );
}

/** The paragraphs from the heading starting with `from` up to the next starting with `to`. */
function between(paragraphs: string[], from: string, to: string): string[] {
  const start = paragraphs.findIndex((p) => p.startsWith(from));
  const end = paragraphs.findIndex((p, i) => i > start && p.startsWith(to));
  expect(start, from).toBeGreaterThanOrEqual(0);
  expect(end, to).toBeGreaterThan(start);
  return paragraphs.slice(start + 1, end);
}

const seedEdition: EditionContent = mergeContent(emptyContent(), DEMO_EDITION).content;

describe("the Word document of an edition holding the seed's texts and numbers", () => {
  let paragraphs: string[];
  let text: string;

  beforeAll(async () => {
    paragraphs = await paragraphsOf(
      await renderCommuneDocument(communeReportFixture(), { edition: seedEdition }),
    );
    text = paragraphs.join("\n");
  });

  it("fills the seed's sentences with the edition's numbers", () => {
    expect(text).toContain(
      "Tổng số thủ tục hành chính thuộc thẩm quyền giải quyết của UBND xã là 137 thủ tục, trong đó: thủ tục do trung ương quy định là 137 thủ tục",
    );
    expect(text).toContain(
      "Thủ tục hành chính theo ngành dọc là 27 thủ tục, công an 13 thủ tục, quân sự 14 thủ tục.",
    );
    expect(text).toContain("5 thủ tục cấp xã mới ban hành, 12 thủ tục bị bãi bỏ, 54 thủ tục sửa đổi");
    expect(text).toContain("Thực hiện rà soát được 37 thủ tục hành chính ở 8 lĩnh vực.");
    expect(text).toContain("- Danh sách thủ tục hành chính kiến nghị ban hành mới: không có");
    expect(text).toContain("- Danh sách thủ tục hành chính kiến nghị bãi bỏ: không có");
  });

  it("keeps the computed Form II.06a figures of the report beside them", () => {
    expect(text).toContain(
      "Tổng số hồ sơ TTHC đã tiếp nhận trong kỳ báo cáo: 3.299, trong đó: số mới tiếp nhận trong kỳ: 3.278 " +
        "(trực tuyến: 3.241; trực tiếp và qua dịch vụ bưu chính: 37); số từ kỳ trước chuyển qua: 21.",
    );
    expect(text).toContain(
      "- Số lượng hồ sơ đã giải quyết: 3.297; trong đó, giải quyết trước hạn: 3.267, đúng hạn: 29, quá hạn: 1;",
    );
  });

  it("writes each section's text in place of its placeholder: paragraphs on blank lines, '- ' items", () => {
    const section = between(paragraphs, "1. Công bố, công khai TTHC", "2. Về rà soát");
    expect(section[0]).toMatch(/^Về công khai thủ tục hành chính, danh mục thủ tục hành chính UBND xã/);
    expect(section[1]).toMatch(/^Năm 2023, UBND xã đã công khai trên trang thông tin điện tử/);
    expect(section.join("\n")).not.toContain(PLACEHOLDER);
    const outreach = between(paragraphs, "7. Công tác truyền thông", "8. Nghiên cứu");
    expect(outreach).toContain("- Tổ chức tuyên truyền trên 13 hội nghị của xã;");
    expect(outreach).toContain("- Đăng tải 60 văn bản trên trang thông tin điện tử của xã.");
    const proposals = between(paragraphs, "IV. KIẾN NGHỊ, ĐỀ XUẤT", "Trên đây là báo cáo");
    expect(proposals[0]).toMatch(/^1\. Kiến nghị cơ quan có thẩm quyền nghiên cứu bổ sung/);
    expect(proposals.join("\n")).not.toContain(PLACEHOLDER);
  });

  it("keeps the highlighted placeholder of each section left empty (I.5, I.6, I.14)", () => {
    for (const [from, to] of [
      ["5. Triển khai cơ chế một cửa", "Tổng số hồ sơ thực hiện liên thông trong kỳ"],
      ["6. Thực hiện thủ tục hành chính trên môi trường điện tử", "* Kết quả tiếp nhận hồ sơ"],
      ["14. Việc thực hiện quy trình", "II. ĐÁNH GIÁ CHUNG"],
    ] as const) {
      expect(between(paragraphs, from, to).join("\n"), from).toContain(PLACEHOLDER);
    }
  });

  it("lays out the document block: number, place and date, recipients, authority, signer, preparer on the annexes", () => {
    expect(paragraphs).toContain("Số: 140/BC-UBND");
    expect(paragraphs).toContain("Quốc Tuấn, ngày 14 tháng 12 năm 2023");
    expect(paragraphs).toContain("- UBND huyện Nam Sách;");
    expect(paragraphs).toContain("- Các ngành UBND xã;");
    expect(paragraphs).toContain("- Lưu VP.");
    const signer = paragraphs.indexOf("TM. ỦY BAN NHÂN DÂN");
    expect(paragraphs.slice(signer, signer + 4)).toEqual([
      "TM. ỦY BAN NHÂN DÂN",
      "CHỦ TỊCH",
      "",
      "Nguyễn Bá Dũng",
    ]);
    expect(text).toContain("Kèm theo Báo cáo số 140/BC-UBND ngày 14/12/2023 của UBND xã Quốc Tuấn");
    const preparer = paragraphs.lastIndexOf("NGƯỜI LẬP BIỂU");
    expect(preparer).toBeGreaterThan(signer);
    expect(paragraphs.slice(preparer)).toContain("Lê Thị Thanh");
  });

  it("without an edition, keeps every placeholder and no names (the draft as before)", async () => {
    const plain = (await paragraphsOf(await renderCommuneDocument(communeReportFixture()))).join("\n");
    expect(plain).not.toContain("Nguyễn Bá Dũng");
    expect(plain).not.toContain("137 thủ tục");
    expect(plain.split(PLACEHOLDER).length - 1).toBeGreaterThan(15);
  });
});

describe("the workbook of an edition", () => {
  it("carries the preparer and the signer under each form's signature blocks, and the document's date", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await renderCommuneWorkbook(communeReportFixture(), {
        signatures: { document: seedEdition.document },
        issuedOn: "2023-12-14",
      })) as unknown as ArrayBuffer,
    );
    const sheet = wb.getWorksheet("II.06a")!;
    const values: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => values.push(String(cell.value))));
    expect(values).toContain("Lê Thị Thanh");
    expect(values).toContain("Nguyễn Bá Dũng");
    expect(values).toContain("Quốc Tuấn, ngày 14 tháng 12 năm 2023");
  });
});
