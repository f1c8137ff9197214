import ExcelJS from "exceljs";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { sumRows } from "../../shared/reports/build-model";
import type { CommuneReport, ProvinceReport } from "../../shared/reports/model";
import {
  COUNT_FORMAT,
  RATE_FORMAT,
  renderCommuneWorkbook,
  renderProvinceWorkbook,
} from "../../shared/reports/render/excel-workbook";
import { feedbackValues, formII06aValues } from "../../shared/reports/render/table-layouts";
import {
  communeReportFixture,
  communeReportWithOverdue,
  provinceReportFixture,
} from "../support/report-fixture";

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

const norm = (s: string): string => s.replace(/\s+/g, " ").trim();

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && "richText" in v) return v.richText.map((r) => r.text).join("");
  return String(v);
}

/** Every text in the sheet, whitespace-normalized. */
function texts(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.eachRow((row) => {
    row.eachCell((cell) => {
      if (typeof cell.value === "string") out.push(norm(cell.value));
    });
  });
  return out;
}

function findRow(ws: ExcelJS.Worksheet, column: number, text: string): number {
  let found = 0;
  ws.eachRow((row, n) => {
    if (found === 0 && norm(cellText(row.getCell(column))) === text) found = n;
  });
  if (found === 0) throw new Error(`no row with "${text}" in column ${column} of ${ws.name}`);
  return found;
}

function numbersOf(ws: ExcelJS.Worksheet, row: number, from: number, to: number): unknown[] {
  const out: unknown[] = [];
  for (let c = from; c <= to; c++) out.push(ws.getCell(row, c).value);
  return out;
}

describe("renderCommuneWorkbook", () => {
  let report: CommuneReport;
  let wb: ExcelJS.Workbook;
  let ws: ExcelJS.Worksheet;
  let numberRow: number;

  beforeAll(async () => {
    report = communeReportFixture();
    wb = await load(await renderCommuneWorkbook(report));
    ws = wb.getWorksheet("II.06a")!;
    numberRow = findRow(ws, 1, "(1)");
  });

  it("has the four sheets in order", () => {
    expect(wb.worksheets.map((s) => s.name)).toEqual(["II.06a", "PAKN", "Số hóa", "Hồ sơ trễ hạn"]);
  });

  it("the fixture satisfies the model's identities", () => {
    for (const row of [...report.dossiers.byField, report.dossiers.total]) {
      const r = row.received;
      expect(r.total).toBe(r.online + r.directOrPostal + r.carriedOver);
      expect(r.total).toBe(row.resolved.total + row.pending.total);
      expect(row.resolved.total).toBe(row.resolved.early + row.resolved.onTime + row.resolved.late);
      expect(row.pending.total).toBe(row.pending.withinDeadline + row.pending.overdue);
    }
    expect(report.dossiers.total).toEqual(sumRows(report.dossiers.byField));
    expect(report.onlineReception.percent).toBe(98.87);
  });

  it("carries the form's heading: title, form number, units, period, unit of measure", () => {
    const all = texts(ws);
    expect(all).toContain(
      "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    );
    expect(all).toContain("Biểu số II.06a/VPCP/KSTT");
    expect(all).toContain("Đơn vị báo cáo: Ủy ban nhân dân xã Quốc Tuấn");
    expect(all).toContain("Đơn vị nhận báo cáo: UBND huyện Nam Sách");
    expect(all).toContain("Kỳ báo cáo: năm 2023");
    expect(all).toContain("(Từ ngày 15/12/2022 đến ngày 14/12/2023)");
    expect(all).toContain("Đơn vị tính: Số hồ sơ TTHC");
    expect(all).toContain("Quốc Tuấn, ngày 14 tháng 12 năm 2023");
  });

  it("numbers the 13 columns (1)…(13)", () => {
    expect(numbersOf(ws, numberRow, 1, 13)).toEqual(Array.from({ length: 13 }, (_, i) => `(${i + 1})`));
    expect(ws.getCell(numberRow, 14).value).toBeNull();
  });

  it("merges the header groups exactly as the form", () => {
    const h = numberRow - 3; // three header levels
    const merges = ws.model.merges;
    const expected: [string, string][] = [
      [`A${h}:A${h + 2}`, "STT"],
      [`B${h}:B${h + 2}`, "Lĩnh vực giải quyết"],
      [`C${h}:F${h}`, "Số hồ sơ nhận giải quyết"],
      [`G${h}:M${h}`, "Kết quả giải quyết"],
      [`C${h + 1}:C${h + 2}`, "Tổng số"],
      [`D${h + 1}:E${h + 1}`, "Trong kỳ"],
      [`F${h + 1}:F${h + 2}`, "Từ kỳ trước chuyển qua"],
      [`G${h + 1}:J${h + 1}`, "Số hồ sơ đã giải quyết"],
      [`K${h + 1}:M${h + 1}`, "Số hồ sơ đang giải quyết"],
    ];
    for (const [range, label] of expected) {
      expect(merges, range).toContain(range);
      expect(cellText(ws.getCell(range.split(":")[0]!))).toBe(label);
    }
    const leaves = ["D", "E", "G", "H", "I", "J", "K", "L", "M"].map((c) =>
      cellText(ws.getCell(`${c}${h + 2}`)),
    );
    expect(leaves).toEqual([
      "Trực tuyến",
      "Trực tiếp, dịch vụ bưu chính",
      "Tổng số",
      "Trả trước hạn",
      "Trả đúng hạn",
      "Trả quá hạn",
      "Tổng số",
      "Trong hạn",
      "Quá hạn",
    ]);
  });

  it("writes one row per field with numbers equal to the report", () => {
    report.dossiers.byField.forEach((field, i) => {
      const r = numberRow + 1 + i;
      expect(ws.getCell(r, 1).value).toBe(i + 1);
      expect(ws.getCell(r, 2).value).toBe(field.fieldName);
      const values = numbersOf(ws, r, 3, 13);
      expect(values).toEqual(formII06aValues(field));
      for (let c = 3; c <= 13; c++) {
        expect(typeof ws.getCell(r, c).value).toBe("number");
        // exceljs drops the backslashes of the format when it reads a file back; the file has them (below).
        expect(ws.getCell(r, c).numFmt).toBe(COUNT_FORMAT.replaceAll("\\", ""));
      }
    });
    const hoTich = numberRow + 1;
    expect(numbersOf(ws, hoTich, 3, 13)).toEqual([723, 714, 9, 0, 723, 722, 0, 1, 0, 0, 0]);
  });

  it("ends with the bold total row, equal to the sum of the fields", () => {
    const r = numberRow + 1 + report.dossiers.byField.length;
    expect(ws.getCell(r, 2).value).toBe("Tổng số");
    expect(ws.getCell(r, 2).font?.bold).toBe(true);
    expect(ws.getCell(r, 3).font?.bold).toBe(true);
    expect(numbersOf(ws, r, 3, 13)).toEqual([3299, 3241, 37, 21, 3297, 3267, 29, 1, 2, 2, 0]);
    for (let c = 3; c <= 13; c++) {
      let sum = 0;
      for (let k = 0; k < report.dossiers.byField.length; k++)
        sum += ws.getCell(numberRow + 1 + k, c).value as number;
      expect(ws.getCell(r, c).value, `column ${c}`).toBe(sum);
    }
  });

  it("stores the Vietnamese grouping as escaped literal dots, so no locale reads them as decimal points", async () => {
    const zip = await JSZip.loadAsync(await renderCommuneWorkbook(report));
    const styles = await zip.file("xl/styles.xml")!.async("string");
    expect(styles).toContain('formatCode="[&gt;=1000000]#\\.###\\.###_);[&gt;=1000]#\\.###_);0_)"');
    expect(styles).toContain('formatCode="0.00%_)"');
  });

  it("uses Times New Roman, borders, an A4 landscape page, print titles and a frozen header", () => {
    const cell = ws.getCell(numberRow + 1, 3);
    expect(cell.font?.name).toBe("Times New Roman");
    expect(cell.border?.top?.style).toBe("thin");
    expect(cell.border?.right?.style).toBe("thin");
    expect(ws.getCell(numberRow - 3, 1).font?.name).toBe("Times New Roman");
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.orientation).toBe("landscape");
    expect(ws.pageSetup.fitToWidth).toBe(1);
    expect(ws.pageSetup.printTitlesRow).toBe(`${numberRow - 3}:${numberRow}`);
    const view = ws.views[0] as ExcelJS.WorksheetViewFrozen;
    expect(view.state).toBe("frozen");
    expect(view.ySplit).toBe(numberRow);
    expect(view.xSplit).toBe(2);
    expect(ws.getColumn(2).width).toBeGreaterThanOrEqual(30);
  });

  it("writes the feedback sheet", () => {
    const s = wb.getWorksheet("PAKN")!;
    const all = texts(s);
    expect(all.some((t) => t.startsWith("KẾT QUẢ TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ (PAKN)"))).toBe(true);
    const nr = findRow(s, 1, "(1)");
    expect(numbersOf(s, nr, 1, 9)).toEqual(Array.from({ length: 9 }, (_, i) => `(${i + 1})`));
    const h = nr - 3;
    expect(cellText(s.getCell(`C${h}`))).toBe("Số PAKN được tiếp nhận");
    expect(cellText(s.getCell(`D${h + 1}`))).toBe("Theo nội dung");
    expect(cellText(s.getCell(`D${h + 2}`))).toBe("Hành vi hành chính");
    expect(cellText(s.getCell(`E${h + 2}`))).toBe("Quy định hành chính");
    expect(cellText(s.getCell(`F${h + 1}`))).toBe("Từ kỳ trước chuyển qua");
    expect(cellText(s.getCell(`G${h}`))).toBe("Kết quả xử lý");
    expect(cellText(s.getCell(`I${h}`))).toBe("Số PAKN đã xử lý được công khai");
    const total = findRow(s, 2, "Tổng số");
    expect(numbersOf(s, total, 3, 9)).toEqual(feedbackValues(report.feedback));
    expect(numbersOf(s, total, 3, 9)).toEqual([1, 0, 1, 0, 1, 0, 1]);
  });

  it("writes the digitization sheet with rates as fractions", () => {
    const s = wb.getWorksheet("Số hóa")!;
    const nr = findRow(s, 1, "(1)");
    expect(s.getCell(nr, 7).value).toBe("(7)=(6)/(3)");
    expect(s.getCell(nr, 11).value).toBe("(11)=(10)/(8)");
    const total = findRow(s, 2, "Tổng số");
    const d = report.digitization;
    expect(numbersOf(s, total, 3, 6)).toEqual([3278, 64, 3214, 3184]);
    expect(s.getCell(total, 7).value).toBeCloseTo(d.fullyDigitizedRate.percent! / 100, 6);
    expect(s.getCell(total, 7).numFmt).toBe(RATE_FORMAT);
    expect(numbersOf(s, total, 8, 10)).toEqual([3297, 13, 3284]);
    expect(s.getCell(total, 11).value).toBeCloseTo(0.9961, 6);
  });

  it("lists the late dossiers and says when there is no overdue one", () => {
    const s = wb.getWorksheet("Hồ sơ trễ hạn")!;
    const r = findRow(s, 2, "000.21.30.H23-231012-0007");
    expect(s.getCell(r, 3).value).toBe("Hộ tịch");
    expect(s.getCell(r, 4).value).toBe("1.001193");
    expect(s.getCell(r, 5).value).toBe("Thủ tục đăng ký khai sinh");
    expect((s.getCell(r, 6).value as Date).toISOString().slice(0, 10)).toBe("2023-10-12");
    expect((s.getCell(r, 7).value as Date).toISOString().slice(0, 10)).toBe("2023-10-13");
    expect((s.getCell(r, 8).value as Date).toISOString().slice(0, 10)).toBe("2023-10-16");
    expect(s.getCell(r, 6).numFmt).toBe("dd/mm/yyyy");
    expect(s.getCell(r, 9).value).toBe(3);
    expect(s.getCell(r, 10).value).toBe("Đã gửi");
    expect(texts(s)).toContain("Không có hồ sơ.");
  });

  it("lists the overdue dossiers, days counted to the period's end", async () => {
    const s = (await load(await renderCommuneWorkbook(communeReportWithOverdue()))).getWorksheet(
      "Hồ sơ trễ hạn",
    )!;
    const r = findRow(s, 2, "000.21.30.H23-231120-0003");
    expect(s.getCell(r, 8).value).toBe("–");
    expect(s.getCell(r, 9).value).toBe(10); // due 04/12, period ends 14/12
    expect(s.getCell(r, 10).value).toBe("Chưa gửi");
    expect(texts(s)).not.toContain("Không có hồ sơ.");
  });

  it("names a year-to-date period with its cut-off", async () => {
    const r = communeReportFixture();
    r.period = { ...r.period, asOf: "2023-11-28" };
    const s = (await load(await renderCommuneWorkbook(r))).getWorksheet("II.06a")!;
    const all = texts(s);
    expect(all).toContain("Kỳ báo cáo: năm 2023 (đến ngày 28/11/2023)");
    expect(all).toContain("(Từ ngày 15/12/2022 đến ngày 28/11/2023)");
  });
});

describe("renderProvinceWorkbook", () => {
  let report: ProvinceReport;
  let ws: ExcelJS.Worksheet;
  let numberRow: number;

  beforeAll(async () => {
    report = provinceReportFixture();
    ws = (await load(await renderProvinceWorkbook(report))).getWorksheet("II.06a")!;
    numberRow = findRow(ws, 1, "(1)");
  });

  it("has the form's heading and 14 numbered columns", () => {
    const all = texts(ws);
    expect(all).toContain("Biểu số II.06a/VPCP/KSTT");
    expect(all).toContain(
      "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    );
    expect(all).toContain("Đơn vị báo cáo: Văn phòng UBND tỉnh Hải Dương");
    expect(ws.getCell(numberRow, 13).value).toBe("(13)");
    expect(ws.getCell(numberRow, 14).value).toBe("(14)=(4)/[(4)+(5)]");
    expect(cellText(ws.getCell(numberRow - 3, 14))).toBe("Tỷ lệ tiếp nhận trực tuyến");
    expect(ws.model.merges).toContain(`N${numberRow - 3}:N${numberRow - 1}`);
    expect(cellText(ws.getCell(numberRow - 3, 2))).toBe("Đơn vị (xã, phường, thị trấn)");
  });

  it("writes one row per commune, then the province total", () => {
    report.communes.forEach((c, i) => {
      const r = numberRow + 1 + i;
      expect(ws.getCell(r, 2).value).toBe(c.communeName);
      expect(numbersOf(ws, r, 3, 13)).toEqual(formII06aValues(c));
    });
    const total = numberRow + 1 + report.communes.length;
    expect(ws.getCell(total, 2).value).toBe("Tổng số");
    expect(numbersOf(ws, total, 3, 13)).toEqual(formII06aValues(report.total));
    expect(ws.getCell(total, 14).value).toBeCloseTo(report.total.onlineReception.percent! / 100, 6);
    expect(ws.getCell(numberRow + 1, 14).value).toBeCloseTo(0.9887, 6);
  });

  it("writes a rate with nothing to divide by as a dash", () => {
    const namSach = numberRow + 3;
    expect(ws.getCell(namSach, 2).value).toBe("Thị trấn Nam Sách");
    expect(ws.getCell(namSach, 14).value).toBe("–");
  });
});
