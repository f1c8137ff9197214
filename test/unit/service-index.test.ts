import { describe, expect, it } from "vitest";
import { sumRows } from "../../shared/reports/build-model";
import { rateOf } from "../../shared/reports/model";
import {
  indicatorPoints,
  SERVICE_INDEX,
  type ServiceIndexCode,
  type ServiceIndexInputs,
  serviceIndexOf,
  serviceIndicatorDefinition,
} from "../../shared/reports/service-index";
import { fieldRow } from "../support/report-fixture";

/** 100 dossiers handled: `early` resolved early, `late` resolved late, `overdue` pending overdue, the rest on time. */
function inputs(
  over: Partial<ServiceIndexInputs> & { late?: number; overdue?: number } = {},
): ServiceIndexInputs {
  const late = over.late ?? 0;
  const overdue = over.overdue ?? 0;
  const total = sumRows([
    fieldRow({
      fieldCode: "HT",
      fieldName: "Hộ tịch",
      online: 100,
      directOrPostal: 0,
      carriedOver: 0,
      early: 60,
      onTime: 40 - late - overdue,
      late,
      withinDeadline: 0,
      overdue,
    }),
  ]);
  return {
    total,
    onlineReception: rateOf(100, 100),
    onlinePayment: rateOf(10, 10),
    digitizedComponents: rateOf(10, 10),
    digitizedResults: rateOf(10, 10),
    unsatisfied: 0,
    behaviourFeedback: 0,
    ...over,
  };
}

const indicator = (code: ServiceIndexCode, given: ServiceIndexInputs) =>
  serviceIndexOf(given).indicators.find((i) => i.code === code)!;

describe("the service index table (Decision 766/QĐ-TTg as the product reads it)", () => {
  it("holds the six dossier-derived indicators of docs/reports.md, each with a threshold and a maximum", () => {
    expect(SERVICE_INDEX.map((d) => d.code)).toEqual([
      "progress",
      "onlineReception",
      "onlinePayment",
      "digitizedResults",
      "digitizedComponents",
      "satisfaction",
    ]);
    expect(SERVICE_INDEX.map((d) => [d.code, d.threshold, d.maxPoints])).toEqual([
      ["progress", 100, 20],
      ["onlineReception", 50, 12],
      ["onlinePayment", 100, 10],
      ["digitizedResults", 100, 11],
      ["digitizedComponents", 80, 11],
      ["satisfaction", 90, 18],
    ]);
  });

  it("scores the maximum at and above the threshold, rate × max ÷ threshold below it", () => {
    const online = serviceIndicatorDefinition("onlineReception"); // 50% → 12 points
    expect(indicatorPoints(online, rateOf(50, 100))).toBe(12);
    expect(indicatorPoints(online, rateOf(51, 100))).toBe(12);
    expect(indicatorPoints(online, rateOf(49, 100))).toBe(11.76);
    expect(indicatorPoints(online, rateOf(25, 100))).toBe(6);
    const components = serviceIndicatorDefinition("digitizedComponents"); // 80% → 11 points
    expect(indicatorPoints(components, rateOf(80, 100))).toBe(11);
    expect(indicatorPoints(components, rateOf(95, 100))).toBe(11);
    expect(indicatorPoints(components, rateOf(79, 100))).toBe(10.86);
    const payment = serviceIndicatorDefinition("onlinePayment"); // 100% → 10 points
    expect(indicatorPoints(payment, rateOf(7, 7))).toBe(10);
    expect(indicatorPoints(payment, rateOf(6, 7))).toBe(8.57);
    expect(indicatorPoints(payment, rateOf(0, 7))).toBe(0);
  });

  it("scores nothing to measure as null and leaves it out of both totals", () => {
    const index = serviceIndexOf(inputs({ onlinePayment: rateOf(0, 0) }));
    const payment = index.indicators.find((i) => i.code === "onlinePayment")!;
    expect(payment.points).toBeNull();
    expect(payment.rate.percent).toBeNull();
    expect(index.maxPoints).toBe(82 - 10);
    expect(index.points).toBe(72);
  });

  it("reads progress as (early + on time + pending within deadline) ÷ (resolved + pending)", () => {
    expect(indicator("progress", inputs())).toMatchObject({ rate: rateOf(100, 100), points: 20 });
    expect(indicator("progress", inputs({ late: 1 }))).toMatchObject({ rate: rateOf(99, 100), points: 19.8 });
    expect(indicator("progress", inputs({ late: 2, overdue: 3 }))).toMatchObject({
      rate: rateOf(95, 100),
      points: 19,
    });
  });

  it("reads satisfaction as 100% − (% overdue + % with complaints), full marks from 90%", () => {
    // at the threshold: 10 of 100 late, overdue or complained about
    expect(
      indicator("satisfaction", inputs({ late: 4, overdue: 3, unsatisfied: 2, behaviourFeedback: 1 })),
    ).toMatchObject({ rate: rateOf(90, 100), points: 18 });
    // above: 95%
    expect(indicator("satisfaction", inputs({ late: 5 }))).toMatchObject({
      rate: rateOf(95, 100),
      points: 18,
    });
    // below: 81% → 81 × 18 ÷ 90 = 16.2
    expect(indicator("satisfaction", inputs({ late: 10, unsatisfied: 9 }))).toMatchObject({
      rate: rateOf(81, 100),
      points: 16.2,
    });
    // never below 0
    expect(indicator("satisfaction", inputs({ late: 40, unsatisfied: 80 })).rate).toEqual(rateOf(0, 100));
  });

  it("sums the measured indicators' points and maxima", () => {
    const index = serviceIndexOf(
      inputs({ late: 10, onlineReception: rateOf(25, 100), digitizedComponents: rateOf(40, 100) }),
    );
    // progress 18, online 6, payment 10, results 11, components 5.5, satisfaction 90% → 18
    expect(index.indicators.map((i) => i.points)).toEqual([18, 6, 10, 11, 5.5, 18]);
    expect(index.points).toBe(68.5);
    expect(index.maxPoints).toBe(82);
  });
});
