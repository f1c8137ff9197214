/**
 * The province's editions panel as a workbook (docs/editions.md#the-province): one row per commune,
 * as `GET /v1/editions` lists them. In the renderers chunk (renderers.ts) with the other workbooks.
 */
import type { CommuneEditionStatus, ProvinceEditions } from "../../editions/province";
import { Workbook } from "./exceljs-workbook";

const STATUS_LABELS: Record<CommuneEditionStatus, string> = {
  none: "Chưa soạn",
  draft: "Đang soạn",
  issued: "Đã ban hành",
  superseded: "Đã thay thế",
};

/** The panel as a workbook: one row per commune, as the API lists them. */
export async function renderProvinceEditionsWorkbook(status: ProvinceEditions): Promise<Buffer> {
  const wb = new Workbook();
  const ws = wb.addWorksheet("Báo cáo các xã");
  ws.columns = [
    { header: "Mã xã", key: "code", width: 10 },
    { header: "Tên xã", key: "name", width: 28 },
    { header: "Trạng thái", key: "status", width: 16 },
    { header: "Lần ban hành", key: "edition", width: 12 },
    { header: "Số văn bản", key: "number", width: 16 },
    { header: "Ngày", key: "date", width: 12 },
    { header: "Người ban hành", key: "issuedBy", width: 28 },
    { header: "Lưu lúc", key: "savedAt", width: 22 },
    { header: "Chênh lệch tiếp nhận", key: "received", width: 12 },
    { header: "Chênh lệch đã giải quyết", key: "resolved", width: 12 },
    { header: "Chênh lệch đang giải quyết", key: "pending", width: 12 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const row of status.communes) {
    ws.addRow({
      code: row.communeCode,
      name: row.communeName,
      status: STATUS_LABELS[row.status],
      edition: row.edition,
      number: row.number,
      date: row.date,
      issuedBy: row.issuedBy,
      savedAt: row.savedAt,
      received: row.drift?.received,
      resolved: row.drift?.resolved,
      pending: row.drift?.pending,
    });
  }
  ws.addRow([]);
  ws.addRow([`Đã ban hành: ${status.issued}/${status.total}`]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
