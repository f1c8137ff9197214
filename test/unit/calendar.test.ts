import { describe, expect, it } from "vitest";
import {
  addMonths,
  localDateOf,
  monthBounds,
  monthEndInstant,
  periodRange,
  reportingMonthOf,
  reportingMonthOfDate,
} from "../../shared/domain/calendar";

describe("reporting calendar (Decree 09/2019, Asia/Ho_Chi_Minh)", () => {
  it("puts 00:05 local on 15 December into the next year's first month", () => {
    expect(reportingMonthOf("2022-12-15T00:05:00+07:00")).toBe("2023-01");
  });

  it("keeps 23:59 local on 14 December in the current year's last month", () => {
    expect(reportingMonthOf("2023-12-14T23:59:59+07:00")).toBe("2023-12");
  });

  it("places the same instant written in Z and in +07:00 in the same period", () => {
    expect(reportingMonthOf("2022-12-14T17:05:00Z")).toBe(reportingMonthOf("2022-12-15T00:05:00+07:00"));
    expect(localDateOf("2022-12-14T17:05:00Z")).toBe("2022-12-15");
  });

  it("reads a UTC instant that is still the 14th in UTC as the 15th in Vietnam", () => {
    expect(reportingMonthOf("2023-03-14T18:00:00Z")).toBe("2023-04");
  });

  it("starts month M on the 15th of the previous month and ends it on the 14th", () => {
    expect(monthBounds("2023-01")).toEqual({ from: "2022-12-15", to: "2023-01-14" });
    expect(reportingMonthOfDate("2023-01-14")).toBe("2023-01");
    expect(reportingMonthOfDate("2023-01-15")).toBe("2023-02");
  });

  it("ends a month at 23:59:59.999 local on the 14th", () => {
    expect(new Date(monthEndInstant("2023-12")).toISOString()).toBe("2023-12-14T16:59:59.999Z");
  });

  it("builds years, halves, nine months, quarters and months from reporting months", () => {
    expect(periodRange({ kind: "year", year: 2023 })).toEqual({
      firstMonth: "2023-01",
      lastMonth: "2023-12",
      from: "2022-12-15",
      to: "2023-12-14",
    });
    expect(periodRange({ kind: "quarter", year: 2023, quarter: 1 })).toMatchObject({
      from: "2022-12-15",
      to: "2023-03-14",
    });
    expect(periodRange({ kind: "six-months", year: 2023 })).toMatchObject({
      from: "2022-12-15",
      to: "2023-06-14",
    });
    expect(periodRange({ kind: "nine-months", year: 2023 })).toMatchObject({
      from: "2022-12-15",
      to: "2023-09-14",
    });
    expect(periodRange({ kind: "month", year: 2023, month: 7 })).toMatchObject({
      from: "2023-06-15",
      to: "2023-07-14",
    });
  });

  it("steps months across year boundaries", () => {
    expect(addMonths("2023-12", 1)).toBe("2024-01");
    expect(addMonths("2023-01", -1)).toBe("2022-12");
  });
});
