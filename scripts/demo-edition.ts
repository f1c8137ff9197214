/**
 * The edition `npm run demo` writes for xã Quốc Tuấn 2023: texts and numbers taken from the seed
 * report (Báo cáo 140/BC-UBND, ../shared/reference/), shortened. The rendering test uses it as its
 * oracle input too: the Word document must say what the seed says.
 */
import type { EditionPut } from "../shared/editions/edition";
import { issueEdition } from "../shared/editions/issue";
import { createEdition, type EditionDeps, editionTarget, saveEdition } from "../shared/editions/service";

export const DEMO_EDITION: EditionPut = {
  texts: {
    "I.1":
      "Về công khai thủ tục hành chính, danh mục thủ tục hành chính UBND xã đã thực hiện nghiêm túc Chỉ thị số 15/CT-UBND ngày 21/6/2016 của UBND tỉnh Hải Dương về công khai minh bạch thủ tục hành chính, chấn chỉnh kỷ cương, kỷ luật trong giải quyết thủ tục hành chính.\n\n" +
      "Năm 2023, UBND xã đã công khai trên trang thông tin điện tử của xã và tại trụ sở làm việc Bộ phận “Một cửa” xã và tra cứu bằng QR.\n\n" +
      "Nhìn chung, công tác niêm yết, công khai thủ tục hành chính được thực hiện nghiêm túc, đúng quy định với hình thức phù hợp, tạo thuận lợi cho cá nhân, tổ chức tiếp cận, tìm hiểu và thực hiện.",
    "I.2":
      "Thực hiện quy định về rà soát thủ tục hành chính tại Thông tư số 02/2017/TT-VPCP ngày 31/10/2017 của Văn phòng Chính phủ hướng dẫn về nghiệp vụ kiểm soát thủ tục hành chính; Kế hoạch số 12/KH-UBND ngày 07/03/2023 về việc rà soát thủ tục hành chính năm 2023.",
    "I.3":
      "UBND xã chỉ đạo các ngành chuyên môn thuộc UBND xã thực hiện nghiêm túc các nội dung tại Quyết định số 50/2020/QĐ-UBND ngày 16/10/2020 của UBND tỉnh Hải Dương về ban hành Quy chế tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính.",
    "I.4":
      "Nhìn chung, tình hình tiếp nhận, giải quyết thủ tục hành chính tại UBND xã cơ bản đảm bảo đúng quy trình giải quyết, thời gian giải quyết.",
    "I.7":
      "UBND xã đã chỉ đạo các ngành chuyên môn, Đài truyền thanh xã; Ban biên tập trang thông tin của xã, thường xuyên tổ chức thực hiện, tuyên truyền bằng nhiều hình thức.\n\n" +
      "- Tổ chức tuyên truyền trên 13 hội nghị của xã;\n- Tuyên truyền 24 bài về kiểm soát thủ tục hành chính và Cải cách hành chính năm 2023;\n- Đăng tải 60 văn bản trên trang thông tin điện tử của xã.",
    "I.8":
      "Từ thực tiễn công tác, UBND xã chú trọng khuyến khích cán bộ, công chức xã, đặc biệt là bộ phận một cửa nghiên cứu, đề xuất giải pháp, sáng kiến mới có tính ứng dụng. Sáng kiến về giải pháp nâng cao hiệu quả tra cứu thủ tục hành chính tại bộ phận một cửa thông qua cổng thông tin điện tử xã Quốc Tuấn và mã QR được áp dụng rộng rãi và được UBND huyện công nhận.",
    "II.1":
      "Công tác kiểm soát TTHC đã đem lại hiệu quả trong hoạt động quản lý hành chính nhà nước tại UBND xã Quốc Tuấn.\n\n" +
      "- Chỉ đạo các ngành chuyên môn xã tích cực thực hiện giải quyết thủ tục hành chính, chất lượng, tiến độ giải quyết các hồ sơ được nâng lên.\n- Thực hiện đầy đủ các quy định theo Nghị định 61/NĐ của Chính phủ.",
    "II.2":
      "- Việc sử dụng dịch vụ công trực tuyến trong giải quyết thủ tục hành chính hiệu quả chưa cao.\n- Trang thiết bị tại Bộ phận tiếp nhận và trả hồ sơ theo cơ chế một cửa còn thiếu so với quy định.\n\n" +
      "Nguyên nhân: một số quy định hiện hành về kiểm soát thủ tục hành chính vẫn còn chồng chéo, bất cập.",
    III:
      "1. Tiếp tục thực hiện có chất lượng, hiệu quả các nhiệm vụ kiểm soát thủ tục hành chính.\n\n" +
      "2. Tiếp tục triển khai giải quyết thủ tục hành chính trên môi trường điện tử theo đúng quy định tại Nghị định số 45/2020/NĐ-CP.\n\n" +
      "3. Tiếp tục thực hiện số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.",
    "IV.1":
      "- Đề nghị các cấp có thẩm quyền quán triệt, phổ biến và hướng dẫn kịp thời, hiệu quả các văn bản chỉ đạo về công tác kiểm soát TTHC đến cơ sở.",
    "IV.2":
      "- Đề nghị cơ quan có thẩm quyền xem xét sửa đổi dịch vụ liên thông thủ tục hành chính khai tử - xóa đăng ký thường trú – bảo trợ xã hội khi người chết là chủ hộ.",
    "IV.3": "Các cấp chính quyền quan tâm đầu tư trang thiết bị cần thiết tại bộ phận “Một cửa” cấp xã.",
    "IV.4": "- Bố trí cán bộ công chức xã đảm bảo đủ về số lượng, chất lượng.",
  },
  numbers: {
    procedures: { total: 137, central: 137, provincial: 0 },
    vertical: { total: 27, police: 13, military: 14 },
    proceduresChanged: { issued: 5, abolished: 12, amended: 54 },
    publications: 53,
    reviewed: { procedures: 37, fields: 8 },
    proposals: { new: [], abolish: [], simplify: [] },
    initiatives: 1,
    inspections: 0,
  },
  document: {
    number: "140/BC-UBND",
    place: "Quốc Tuấn",
    date: "2023-12-14",
    recipients: ["UBND huyện Nam Sách", "Các ngành UBND xã", "Lưu VP"],
    authority: "TM.",
    signerTitle: "Chủ tịch",
    signerName: "Nguyễn Bá Dũng",
    preparerName: "Lê Thị Thanh",
  },
};

/** The demo issuer `ct.quoctuan` of the local demo people, as the audit record names them. */
export const DEMO_ISSUER = {
  issuer: "local-demo-people",
  subject: "ct.quoctuan",
  name: "Chủ tịch UBND xã Quốc Tuấn",
};

/**
 * Writes and issues xã Quốc Tuấn's 2023 edition through the use cases the routes call, acting as the
 * demo issuer; idempotent (an edition already issued is left as it is). Answers the edition and
 * presigned links (an hour) to its issued files.
 */
export async function issueDemoEdition(deps: EditionDeps, now: Date) {
  const target = editionTarget("10621", { kind: "year", year: 2023 }, now)!;
  const context = { actor: DEMO_ISSUER, requestId: `demo-${now.getTime()}` };
  let record = await deps.editions.current("10621", target.period);
  if (!record) record = await createEdition(deps, target, context);
  if (record.status === "draft") {
    record = await saveEdition(deps, target, DEMO_EDITION, record.revision, context);
    record = await issueEdition(deps, target, record.revision, context);
  }
  const links = await Promise.all(
    (record.issued?.files ?? []).map(async (file) => ({
      format: file.format,
      sha256: file.sha256,
      url: await deps.files.presign(file.key, 3600, now),
    })),
  );
  return { record, links };
}
