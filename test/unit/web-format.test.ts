import { describe, expect, it } from "vitest";
import {
  foldDiacritics,
  formatChange,
  formatChangePercent,
  formatCount,
  formatDate,
  formatPercent,
  matchesSearch,
  monthLabel,
  onTimeRate,
} from "../../web/src/format";
import { apiBody, apiQuery, parseViewState, reportingYearOf, viewStateQuery } from "../../web/src/view-state";

const NOW = new Date("2026-11-29T05:00:00Z");

describe("the portal's number and date style (as the Word report writes them)", () => {
  it("groups thousands with dots and writes percents with a decimal comma", () => {
    expect(formatCount(3241)).toBe("3.241");
    expect(formatCount(1_000_000)).toBe("1.000.000");
    expect(formatPercent(98.87)).toBe("98,87%");
    expect(formatPercent(null)).toBe("–");
    expect(formatDate("2023-12-14")).toBe("14/12/2023");
    expect(monthLabel(2023, 1)).toBe("T1/2023");
  });

  it("writes changes with a sign and in percent of the previous value", () => {
    expect(formatChange(1200)).toBe("+1.200");
    expect(formatChange(-3)).toBe("-3");
    expect(formatChange(0)).toBe("0");
    expect(formatChangePercent(150, 120)).toBe("+25%");
    expect(formatChangePercent(90, 120)).toBe("-25%");
    expect(formatChangePercent(5, 0)).toBe("–");
  });

  it("computes the on-time rate as resolved early or on time over resolved", () => {
    const row = {
      received: { total: 10, online: 5, directOrPostal: 5, carriedOver: 0 },
      resolved: { total: 8, early: 5, onTime: 2, late: 1 },
      pending: { total: 2, withinDeadline: 2, overdue: 0 },
    };
    expect(onTimeRate(row)).toEqual({ count: 7, of: 8, percent: 87.5 });
    expect(onTimeRate({ ...row, resolved: { total: 0, early: 0, onTime: 0, late: 0 } }).percent).toBeNull();
  });
});

describe("diacritics-insensitive search", () => {
  it("folds Vietnamese marks and đ", () => {
    expect(foldDiacritics("Xã Quốc Tuấn")).toBe("xa quoc tuan");
    expect(foldDiacritics("Phường Đống  Đa")).toBe("phuong dong da");
    // Decomposed input (NFD) folds the same as composed input.
    expect(foldDiacritics("Quốc Tuấn".normalize("NFD"))).toBe("quoc tuan");
  });

  it('finds "Quốc Tuấn" with or without diacritics, in any case and word order', () => {
    for (const query of ["quoc tuan", "Quốc Tuấn", "QUOC", "tuan quoc", "  quoc   tuan "]) {
      expect(matchesSearch("Xã Quốc Tuấn", query), query).toBe(true);
    }
    expect(matchesSearch("Xã Quốc Tuấn", "quoc thai")).toBe(false);
    expect(matchesSearch("Xã Quốc Tuấn", "")).toBe(true);
  });
});

describe("the view in the address bar (deep links)", () => {
  it("reads a commune deep link with a quarter and writes it back the same", () => {
    const state = parseViewState("?unit=10621&year=2023&period=quarter&quarter=2", NOW);
    expect(state).toEqual({ unit: "10621", year: 2023, period: "quarter", quarter: 2 });
    expect(viewStateQuery(state)).toBe("unit=10621&year=2023&period=quarter&quarter=2");
  });

  it("falls back to the running reporting year for a missing, malformed or future year and ignores bad units", () => {
    expect(parseViewState("?unit=abc&year=twenty", NOW)).toEqual({ year: 2026, period: "year" });
    expect(parseViewState("?period=month", NOW)).toEqual({ year: 2026, period: "month", month: 1 });
    expect(parseViewState("?unit=30&year=2031", NOW)).toEqual({ unit: "30", year: 2026, period: "year" });
  });

  it("starts the next reporting year on 15 December (Vietnam time)", () => {
    expect(reportingYearOf(new Date("2023-12-14T16:59:59Z"))).toBe(2023); // 14/12 23:59:59 local
    expect(reportingYearOf(new Date("2023-12-14T17:00:00Z"))).toBe(2024); // 15/12 00:00 local
  });

  it("turns a view into the API's query and body", () => {
    const view = { unit: "30", year: 2023, period: "month" as const, month: 3 };
    expect(apiQuery(view).toString()).toBe("provinceCode=30&year=2023&period=month&month=3");
    expect(apiBody({ unit: "10621", year: 2023, period: "year" })).toEqual({
      communeCode: "10621",
      year: 2023,
      period: "year",
    });
  });
});
