/**
 * The sections officials write in a report edition (docs/editions.md#sections), in the order of the
 * seed report (Báo cáo 140/BC-UBND): the one list the schema, the Word narrative, the OpenAPI
 * document and the portal read. Titles are the seed's headings.
 */
export const SECTIONS = [
  { id: "opening", title: "Mở đầu (căn cứ báo cáo)" },
  { id: "I.1", title: "1. Công bố, công khai TTHC, danh mục TTHC" },
  { id: "I.2", title: "2. Về rà soát, đơn giản hóa thủ tục hành chính" },
  {
    id: "I.3",
    title: "3. Về tình hình tiếp nhận, xử lý phản ánh, kiến nghị về thủ tục hành chính",
  },
  { id: "I.4", title: "4. Về tình hình, kết quả giải quyết thủ tục hành chính" },
  {
    id: "I.5",
    title:
      "5. Triển khai cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính theo Nghị định số 61/2018/NĐ-CP",
  },
  { id: "I.6", title: "6. Thực hiện thủ tục hành chính trên môi trường điện tử" },
  { id: "I.7", title: "7. Công tác truyền thông hỗ trợ hoạt động kiểm soát thủ tục hành chính" },
  { id: "I.8", title: "8. Nghiên cứu, đề xuất sáng kiến cải cách thủ tục hành chính" },
  { id: "I.9", title: "9. Kiểm tra thực hiện kiểm soát thủ tục hành chính" },
  { id: "I.10", title: "10. Công tác đánh giá giải quyết thủ tục hành chính" },
  {
    id: "I.11",
    title:
      "11. Kết quả triển khai tiếp nhận hồ sơ và trả kết quả giải quyết thủ tục hành chính qua dịch vụ bưu chính công ích",
  },
  { id: "I.12", title: "12. Việc triển khai thực hiện liên thông giải quyết thủ tục hành chính" },
  {
    id: "I.13",
    title: "13. Kết quả triển khai thanh toán trực tuyến nghĩa vụ tài chính về thực hiện thủ tục hành chính",
  },
  { id: "I.14", title: "14. Việc thực hiện quy trình giải quyết thủ tục hành chính" },
  { id: "II.1", title: "1. Kết quả đạt được" },
  { id: "II.2", title: "2. Tồn tại, hạn chế và nguyên nhân" },
  { id: "III", title: "III. MỘT SỐ NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI" },
  {
    id: "IV.1",
    title:
      "1. Kiến nghị cơ quan có thẩm quyền nghiên cứu bổ sung, điều chỉnh chính sách, pháp luật về TTHC, kiểm soát TTHC, cơ chế một cửa, một cửa liên thông, thực hiện TTHC trên môi trường điện tử (nếu phát hiện có thiếu sót, bất cập)",
  },
  {
    id: "IV.2",
    title:
      "2. Kiến nghị cơ quan có thẩm quyền hướng dẫn thực hiện các quy định của pháp luật về TTHC, kiểm soát TTHC, cơ chế một cửa, một cửa liên thông, thực hiện TTHC trên môi trường điện tử (nếu có vướng mắc)",
  },
  {
    id: "IV.3",
    title:
      "3. Đề xuất các giải pháp, sáng kiến nâng cao hiệu quả công tác kiểm soát TTHC, cơ chế một cửa, một cửa liên thông, thực hiện TTHC trên môi trường điện tử; khắc phục những khó khăn, vướng mắc",
  },
  { id: "IV.4", title: "4. Nội dung cụ thể khác cần kiến nghị" },
] as const;

export type SectionId = (typeof SECTIONS)[number]["id"];

export const SECTION_IDS = SECTIONS.map((section) => section.id) as [SectionId, ...SectionId[]];

export function sectionTitle(id: SectionId): string {
  return SECTIONS.find((section) => section.id === id)!.title;
}

/** At most this many characters in one section's text (docs/editions.md#sections): here, without
 * zod, so the portal's textarea takes the same number as the server's schema. */
export const MAX_SECTION_CHARS = 20_000;
