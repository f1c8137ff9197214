import ExcelJS from "exceljs";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregatesOf } from "../../bench/aggregates";
import { generateMergerYear, MERGER } from "../../bench/merger-year";
import type { PeriodSpec } from "../../shared/domain/calendar";
import { buildCommuneReport, buildProvinceReport, resolvePeriod } from "../../shared/reports/build-model";
import type { CommuneReport, ProvinceReport } from "../../shared/reports/model";
import {
  COUNT_FORMAT,
  POINTS_FORMAT,
  RATE_FORMAT,
  renderCommuneWorkbook,
  renderProvinceWorkbook,
} from "../../shared/reports/render/excel-workbook";
import { formatCount, formatPercent } from "../../shared/reports/render/vietnamese-format";
import { renderCommuneDocument } from "../../shared/reports/render/word-document";
import { communeScope } from "../../shared/reports/service";
import { SERVICE_INDEX } from "../../shared/reports/service-index";
import { communesOfProvince } from "../../shared/units/registry";

/**
 * xã Trần Phú's 2025 report, built from a stream that spans the merger, read back from its Word and
 * Excel files: the predecessors, the comparison with 2024 and the service index are there, with
 * Vietnamese numbers.
 */
const YEAR: PeriodSpec = { kind: "year", year: MERGER.year };
const GENERATED_AT = "2025-12-14T18:00:00.000Z";
const data = aggregatesOf(generateMergerYear({ dossiers: 700, seed: 11 }));
const resolved = resolvePeriod({ period: YEAR });

function tranPhu2025(): CommuneReport {
  const scope = communeScope(MERGER.communeCode, resolved)!;
  return buildCommuneReport({
    unit: scope.unit,
    codes: scope.codes,
    period: YEAR,
    ...data,
    generatedAt: GENERATED_AT,
  });
}

function haiPhong2025(): ProvinceReport {
  return buildProvinceReport({
    province: { provinceCode: "31", provinceName: "Thành phố Hải Phòng" },
    period: YEAR,
    communes: communesOfProvince("31", resolved.period.to).map((commune) => {
      const scope = communeScope(commune.code, resolved)!;
      return {
        communeCode: commune.code,
        communeName: commune.name,
        codes: scope.codes,
        ...(scope.unit.predecessors ? { predecessors: scope.unit.predecessors } : {}),
        records: data.records,
      };
    }),
    generatedAt: GENERATED_AT,
  });
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

async function docxParagraphs(buffer: Buffer): Promise<string[]> {
  const xml = await (await JSZip.loadAsync(buffer)).file("word/document.xml")!.async("string");
  return [...xml.matchAll(/<w:p(?=[ >])[\s\S]*?<\/w:p>/g)].map((m) =>
    decode([...m[0].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join("")),
  );
}

async function workbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

function rowOf(ws: ExcelJS.Worksheet, column: number, text: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((row) => {
    if (!found && String(row.getCell(column).value ?? "").trim() === text) found = row;
  });
  if (!found) throw new Error(`no row "${text}" in column ${column} of ${ws.name}`);
  return found;
}

function allTexts(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.eachRow((row) => {
    row.eachCell((cell) => {
      if (typeof cell.value === "string") out.push(cell.value.replace(/\s+/g, " ").trim());
    });
  });
  return out;
}

describe("xã Trần Phú's 2025 report in Word", () => {
  const report = tranPhu2025();
  let paragraphs: string[];
  beforeAll(async () => {
    paragraphs = await docxParagraphs(await renderCommuneDocument(report, { issuedOn: "2025-12-14" }));
  });

  it("is issued by the unit valid at the year's end, with no district line of the old units", () => {
    expect(paragraphs.slice(0, 2)).toEqual(["ỦY BAN NHÂN DÂN", "XÃ TRẦN PHÚ"]);
    expect(paragraphs).toContain("Trần Phú, ngày 14 tháng 12 năm 2025");
    expect(paragraphs.join("\n")).not.toMatch(/Nam Sách|Hải Dương/);
  });

  it("says which old communes its figures include", () => {
    const note = paragraphs.find((p) => p.startsWith("Thực hiện sắp xếp đơn vị hành chính"));
    expect(note).toContain("xã Hiệp Cát (mã 10618), xã Quốc Tuấn (mã 10621), xã Trần Phú (mã 10633)");
  });

  it("compares with the predecessors' 2024 in words and percent, in Vietnamese number style", () => {
    expect(paragraphs).toContain("* So sánh với năm 2024 (từ ngày 15/12/2023 đến ngày 14/12/2024):");
    const now = report.dossiers.total.received.total;
    const before = report.previous.dossiers.total.received.total;
    const change = Math.round(((now - before) / before) * 10_000) / 100;
    expect(paragraphs).toContain(
      `- Tổng số hồ sơ tiếp nhận: ${formatCount(now)}, ${change >= 0 ? "tăng" : "giảm"} ${formatPercent(Math.abs(change))} ` +
        `so với năm 2024 (${formatCount(before)});`,
    );
    expect(now).toBeGreaterThan(1000); // grouped with a dot
    expect(
      paragraphs.some((p) =>
        /^- Tỷ lệ hồ sơ tiếp nhận trực tuyến: \d+,\d+%, (tăng|giảm) \d+(,\d+)? điểm phần trăm so với năm 2024/.test(
          p,
        ),
      ),
    ).toBe(true);
    expect(paragraphs.some((p) => p.startsWith("- Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn: "))).toBe(
      true,
    );
  });

  it("states the service index in the section on electronic procedures", () => {
    const section6 = paragraphs.indexOf("6. Thực hiện thủ tục hành chính trên môi trường điện tử");
    const section7 = paragraphs.findIndex((p) => p.startsWith("7. "));
    const lead = paragraphs.findIndex((p) =>
      p.startsWith("Chỉ số chất lượng phục vụ theo Quyết định số 766/QĐ-TTg"),
    );
    expect(lead).toBeGreaterThan(section6);
    expect(lead).toBeLessThan(section7);
    expect(paragraphs[lead]).toContain(`/${report.serviceIndex.maxPoints} điểm`);
    expect(paragraphs[lead + 1]).toMatch(/^- Chỉ số 2\.1 - Tiến độ giải quyết hồ sơ: \d+(,\d+)?% /);
  });
});

describe("xã Trần Phú's 2025 report in Excel", () => {
  const report = tranPhu2025();
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = await workbook(await renderCommuneWorkbook(report));
  });

  it("has a comparison sheet: counts as grouped numbers, rates as percentages, the change in words", () => {
    const ws = wb.getWorksheet("So sánh")!;
    const received = rowOf(ws, 2, "Tổng số hồ sơ tiếp nhận");
    expect(received.getCell(3).value).toBe(report.dossiers.total.received.total);
    expect(received.getCell(3).numFmt).toBe(COUNT_FORMAT.replaceAll("\\", "")); // literal dots, read back
    expect(received.getCell(4).value).toBe(report.previous.dossiers.total.received.total);
    expect(String(received.getCell(5).value)).toMatch(/^(tăng|giảm) \d+(,\d+)?%$/);
    const online = rowOf(ws, 2, "Tỷ lệ hồ sơ tiếp nhận trực tuyến");
    expect(online.getCell(3).value).toBeCloseTo(report.onlineReception.percent! / 100, 6);
    expect(online.getCell(3).numFmt).toBe(RATE_FORMAT);
    expect(String(online.getCell(5).value)).toMatch(/điểm phần trăm$|^không thay đổi$/);
    expect(allTexts(ws)).toContain("Kỳ trước (năm 2024)");
  });

  it("has a service index sheet from the one table: formula, threshold, rate and points", () => {
    const ws = wb.getWorksheet("Chỉ số 766")!;
    for (const [i, definition] of SERVICE_INDEX.entries()) {
      const row = rowOf(ws, 3, definition.name);
      const indicator = report.serviceIndex.indicators[i]!;
      expect(row.getCell(2).value).toBe(definition.ref);
      expect(row.getCell(4).value).toBe(definition.formula);
      expect(row.getCell(6).value).toBeCloseTo(definition.threshold / 100, 6);
      expect(row.getCell(7).value).toBe(indicator.points ?? "–");
      expect(row.getCell(8).value).toBe(definition.maxPoints);
      expect(row.getCell(8).numFmt).toBe(POINTS_FORMAT);
    }
    expect(rowOf(ws, 3, "Tổng số").getCell(7).value).toBe(report.serviceIndex.points);
  });

  it("notes the predecessors under Form II.06a", () => {
    expect(allTexts(wb.getWorksheet("II.06a")!).some((t) => t.includes("xã Quốc Tuấn (mã 10621)"))).toBe(
      true,
    );
  });
});

describe("Hải Phòng's 2025 roll-up in Excel", () => {
  it("lists xã Trần Phú with its merged figures and its old communes, and compares with 2024", async () => {
    const report = haiPhong2025();
    const wb = await workbook(await renderProvinceWorkbook(report));
    const ws = wb.getWorksheet("II.06a")!;
    const row = rowOf(ws, 2, "Xã Trần Phú");
    const tranPhu = report.communes.find((c) => c.communeCode === MERGER.communeCode)!;
    expect(row.getCell(3).value).toBe(tranPhu.received.total);
    expect(row.getCell(15).value).toBe("xã Hiệp Cát, xã Quốc Tuấn, xã Trần Phú");
    expect(tranPhu.received.total).toBe(tranPhu2025().dossiers.total.received.total);
    expect(rowOf(wb.getWorksheet("So sánh")!, 2, "Tổng số hồ sơ tiếp nhận").getCell(4).value).toBe(
      report.previous.dossiers.total.received.total,
    );
    expect(wb.getWorksheet("Chỉ số 766")).toBeDefined();
  });
});
