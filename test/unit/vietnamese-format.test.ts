import { describe, expect, it } from "vitest";
import { percentOf, rateOf } from "../../shared/reports/model";
import {
  formatCount,
  formatDate,
  formatDateLong,
  formatDecimal,
  formatPercent,
  formatRate,
  formatRateWithTerms,
  NO_RATE,
  periodLabel,
  periodRangeLabel,
  placeDateLine,
  romanNumeral,
  shortPlaceName,
  unitKind,
  unitNameInSentence,
  upperVi,
} from "../../shared/reports/render/vietnamese-format";

describe("formatCount", () => {
  it.each([
    [0, "0"],
    [7, "7"],
    [999, "999"],
    [1000, "1.000"],
    [3241, "3.241"],
    [21_000, "21.000"],
    [1_000_000, "1.000.000"],
    [123_456_789, "123.456.789"],
    [-3241, "-3.241"],
  ])("%d → %s", (n, expected) => {
    expect(formatCount(n)).toBe(expected);
  });

  it("rounds a non-integer to a whole number", () => {
    expect(formatCount(3241.6)).toBe("3.242");
  });
});

describe("formatDecimal and formatPercent", () => {
  it.each([
    [98.87, "98,87%"],
    [100, "100%"],
    [0, "0%"],
    [99.6, "99,6%"],
    [43.95, "43,95%"],
    [1.13, "1,13%"],
    [99.999, "100%"],
    [1234.5, "1.234,5%"],
  ])("%d → %s", (n, expected) => {
    expect(formatPercent(n)).toBe(expected);
  });

  it("prints a rate with nothing to divide by as an en dash", () => {
    expect(NO_RATE).toBe("–");
    expect(formatPercent(null)).toBe("–");
    expect(formatRate({ count: 0, of: 0, percent: null })).toBe("–");
  });

  it("never prints a negative zero", () => {
    expect(formatDecimal(-0.001)).toBe("0");
  });

  it("formats a rate with its terms like the seed", () => {
    expect(formatRateWithTerms(rateOf(1249, 2842))).toBe("1.249/2.842 (43,95%)");
  });

  it("computes percentages with two decimals", () => {
    expect(percentOf(3241, 3278)).toBe(98.87);
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(0, 0)).toBeNull();
    expect(rateOf(3184, 3215)).toEqual({ count: 3184, of: 3215, percent: 99.04 });
  });
});

describe("dates", () => {
  it("writes dd/mm/yyyy", () => {
    expect(formatDate("2023-12-14")).toBe("14/12/2023");
    expect(formatDate("2022-01-05")).toBe("05/01/2022");
    expect(formatDate("2023-12-14T18:00:00Z")).toBe("14/12/2023");
  });

  it("writes the long form with Decree 30's leading zeros (days < 10, months 1 and 2)", () => {
    expect(formatDateLong("2023-12-14")).toBe("ngày 14 tháng 12 năm 2023");
    expect(formatDateLong("2024-02-05")).toBe("ngày 05 tháng 02 năm 2024");
    expect(formatDateLong("2024-03-21")).toBe("ngày 21 tháng 3 năm 2024");
  });

  it("writes the place-date line", () => {
    expect(placeDateLine("Quốc Tuấn", "2023-12-14")).toBe("Quốc Tuấn, ngày 14 tháng 12 năm 2023");
  });

  it("rejects what is not a date", () => {
    expect(() => formatDate("14/12/2023")).toThrow();
  });
});

describe("periodLabel", () => {
  const base = { year: 2023, from: "2022-12-15", to: "2023-12-14" };
  it.each([
    [{ ...base }, "năm 2023"],
    [{ ...base, kind: "year" as const }, "năm 2023"],
    [{ ...base, kind: "six-months" as const, to: "2023-06-14" }, "6 tháng đầu năm 2023"],
    [{ ...base, kind: "nine-months" as const, to: "2023-09-14" }, "9 tháng năm 2023"],
    [{ ...base, kind: "quarter" as const, quarter: 1 as const, to: "2023-03-14" }, "quý I năm 2023"],
    [{ ...base, kind: "quarter" as const, quarter: 4 as const, from: "2023-09-15" }, "quý IV năm 2023"],
    [{ ...base, kind: "month" as const, month: 3, from: "2023-02-15", to: "2023-03-14" }, "tháng 3 năm 2023"],
  ])("%j → %s", (period, expected) => {
    expect(periodLabel(period)).toBe(expected);
  });

  it("adds the cut-off of a year-to-date report", () => {
    const ytd = { ...base, asOf: "2023-11-28" };
    expect(periodLabel(ytd)).toBe("năm 2023 (đến ngày 28/11/2023)");
    expect(periodRangeLabel(ytd)).toBe("Từ ngày 15/12/2022 đến ngày 28/11/2023");
  });

  it("writes the range", () => {
    expect(periodRangeLabel(base)).toBe("Từ ngày 15/12/2022 đến ngày 14/12/2023");
  });

  it("writes roman numerals", () => {
    expect([1, 2, 3, 4, 9, 14].map(romanNumeral)).toEqual(["I", "II", "III", "IV", "IX", "XIV"]);
  });
});

describe("unit names", () => {
  it.each([
    ["Xã Quốc Tuấn", "Quốc Tuấn", "xã"],
    ["Phường Ba Đình", "Ba Đình", "phường"],
    ["Thị trấn Nam Sách", "Nam Sách", "thị trấn"],
    ["Thị xã Kinh Môn", "Kinh Môn", "thị xã"],
    ["Đặc khu Phú Quốc", "Phú Quốc", "đặc khu"],
    ["Tỉnh Hải Dương", "Hải Dương", "tỉnh"],
    ["Thành phố Hà Nội", "Hà Nội", "thành phố"],
    ["Huyện Nam Sách", "Nam Sách", "huyện"],
    ["  Xã   Quốc Tuấn ", "Quốc Tuấn", "xã"],
    ["Quốc Tuấn", "Quốc Tuấn", null],
  ])("%s → %s", (name, short, kind) => {
    expect(shortPlaceName(name)).toBe(short);
    expect(unitKind(name)).toBe(kind);
  });

  it("keeps the kind of a numbered ward", () => {
    expect(shortPlaceName("Phường 1")).toBe("Phường 1");
  });

  it("handles decomposed Unicode input", () => {
    expect(shortPlaceName("Xã Quốc Tuấn".normalize("NFD"))).toBe("Quốc Tuấn");
  });

  it("writes the name inside a sentence and in upper case", () => {
    expect(unitNameInSentence("Xã Quốc Tuấn")).toBe("xã Quốc Tuấn");
    expect(unitNameInSentence("Huyện Nam Sách")).toBe("huyện Nam Sách");
    expect(upperVi("Xã Quốc Tuấn")).toBe("XÃ QUỐC TUẤN");
  });
});
