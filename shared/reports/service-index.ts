/**
 * The service index: the dossier-derived indicators of Decision 766/QĐ-TTg (23 June 2022, "Bộ chỉ số
 * chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục
 * hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử") AS THIS PRODUCT READS THEM.
 *
 * THE table below is the single source of every code, name, formula, threshold and maximum: the
 * report JSON, the Excel sheet, the Word paragraph, the portal and docs/reports.md all read it.
 *
 * Scoring (the decision's rule as docs/reports.md states it): an indicator whose rate reaches
 * its threshold scores its maximum; below, `rate × maximum ÷ threshold`. An indicator with nothing
 * to measure (a rate over 0) scores `null` and is left out of both totals. Pure: no I/O.
 */
import { type FormRow, type Rate, rateOf as rate } from "./measures";

/** The figures the indicators are computed from (all in the report model already). */
export interface ServiceIndexInputs {
  total: FormRow;
  onlineReception: Rate;
  onlinePayment: Rate;
  digitizedComponents: Rate;
  digitizedResults: Rate;
  /** Unsatisfied ratings received in the period. */
  unsatisfied: number;
  /** Feedback (PAKN) about officials' behaviour received in the period. */
  behaviourFeedback: number;
}

export type ServiceIndexCode =
  | "progress"
  | "onlineReception"
  | "onlinePayment"
  | "digitizedComponents"
  | "digitizedResults"
  | "satisfaction";

export interface ServiceIndicatorDefinition {
  code: ServiceIndexCode;
  /** The indicator's number in the decision's set, as docs/reports.md lists it. */
  ref: string;
  /** Vietnamese name, as documents and the portal print it. */
  name: string;
  /** The formula in words (Vietnamese), printed in the Excel sheet and the documentation. */
  formula: string;
  /** The same in English, for docs/reports.md. */
  formulaEn: string;
  /** Percentage at and above which the indicator scores its maximum. */
  threshold: number;
  maxPoints: number;
  rate: (inputs: ServiceIndexInputs) => Rate;
}

export interface ServiceIndicator {
  code: ServiceIndexCode;
  ref: string;
  name: string;
  rate: Rate;
  threshold: number;
  /** Null when the rate has nothing to measure (`rate.of` is 0). */
  points: number | null;
  maxPoints: number;
}

export interface ServiceIndex {
  indicators: ServiceIndicator[];
  /** Sum of the measured indicators' points. */
  points: number;
  /** Sum of the measured indicators' maxima. */
  maxPoints: number;
}

/** Dossiers handled in the period: resolved in it plus pending at its end. */
const handled = (total: FormRow) => total.resolved.total + total.pending.total;

/** The indicators, their formulas, thresholds and maxima: THE table. */
export const SERVICE_INDEX: readonly ServiceIndicatorDefinition[] = Object.freeze([
  {
    code: "progress",
    ref: "2.1",
    name: "Tiến độ giải quyết hồ sơ",
    formula:
      "(số hồ sơ giải quyết trước hạn + đúng hạn + đang giải quyết trong hạn) ÷ (số hồ sơ đã giải quyết + đang giải quyết)",
    formulaEn: "(resolved early + on time + pending within deadline) ÷ (resolved + pending)",
    threshold: 100,
    maxPoints: 20,
    rate: ({ total }) =>
      rate(total.resolved.early + total.resolved.onTime + total.pending.withinDeadline, handled(total)),
  },
  {
    code: "onlineReception",
    ref: "3.3",
    name: "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
    formula: "số hồ sơ tiếp nhận trực tuyến ÷ số hồ sơ tiếp nhận mới trong kỳ",
    formulaEn: "received online ÷ newly received in the period",
    threshold: 50,
    maxPoints: 12,
    rate: ({ onlineReception }) => onlineReception,
  },
  {
    code: "onlinePayment",
    ref: "3.6",
    name: "Tỷ lệ hồ sơ thanh toán trực tuyến",
    formula: "số hồ sơ có nghĩa vụ tài chính được thanh toán trực tuyến ÷ số hồ sơ có nghĩa vụ tài chính",
    formulaEn: "fee-bearing dossiers paid online ÷ fee-bearing dossiers received in the period",
    threshold: 100,
    maxPoints: 10,
    rate: ({ onlinePayment }) => onlinePayment,
  },
  {
    code: "digitizedResults",
    ref: "4.1",
    name: "Tỷ lệ cấp kết quả giải quyết điện tử",
    formula: "số hồ sơ giải quyết có kết quả được số hóa ÷ số hồ sơ đã giải quyết",
    formulaEn: "resolved with a digitized result ÷ resolved",
    threshold: 100,
    maxPoints: 11,
    rate: ({ digitizedResults }) => digitizedResults,
  },
  {
    code: "digitizedComponents",
    ref: "4.2",
    name: "Tỷ lệ số hóa thành phần hồ sơ",
    formula: "số hồ sơ tiếp nhận có thành phần được số hóa (một phần hoặc toàn bộ) ÷ số hồ sơ tiếp nhận mới",
    formulaEn: "newly received with (partly or fully) digitized components ÷ newly received",
    threshold: 80,
    maxPoints: 11,
    rate: ({ digitizedComponents }) => digitizedComponents,
  },
  {
    code: "satisfaction",
    ref: "5.4",
    name: "Mức độ hài lòng",
    formula:
      "100% − (tỷ lệ hồ sơ quá hạn + tỷ lệ hồ sơ bị phản ánh): (hồ sơ đã và đang giải quyết − giải quyết quá hạn − đang quá hạn − đánh giá không hài lòng − phản ánh về hành vi hành chính) ÷ (hồ sơ đã và đang giải quyết)",
    formulaEn:
      "100% − (% overdue + % with complaints) = (resolved + pending − resolved late − pending overdue − unsatisfied ratings − feedback on behaviour) ÷ (resolved + pending), at least 0",
    threshold: 90,
    maxPoints: 18,
    rate: ({ total, unsatisfied, behaviourFeedback }) => {
      const of = handled(total);
      const faults = total.resolved.late + total.pending.overdue + unsatisfied + behaviourFeedback;
      return rate(Math.max(0, of - faults), of);
    },
  },
] satisfies ServiceIndicatorDefinition[]);

/** Points of one indicator: its maximum from the threshold on, `rate × max ÷ threshold` below. */
export function indicatorPoints(
  definition: Pick<ServiceIndicatorDefinition, "threshold" | "maxPoints">,
  value: Rate,
): number | null {
  if (value.of === 0) return null;
  const percent = (value.count / value.of) * 100;
  if (percent >= definition.threshold) return definition.maxPoints;
  return round2((percent * definition.maxPoints) / definition.threshold);
}

/** The service index of a report's figures. */
export function serviceIndexOf(inputs: ServiceIndexInputs): ServiceIndex {
  const indicators = SERVICE_INDEX.map((definition): ServiceIndicator => {
    const value = definition.rate(inputs);
    return {
      code: definition.code,
      ref: definition.ref,
      name: definition.name,
      rate: value,
      threshold: definition.threshold,
      points: indicatorPoints(definition, value),
      maxPoints: definition.maxPoints,
    };
  });
  const measured = indicators.filter((indicator) => indicator.points !== null);
  return {
    indicators,
    points: round2(measured.reduce((sum, indicator) => sum + (indicator.points ?? 0), 0)),
    maxPoints: measured.reduce((sum, indicator) => sum + indicator.maxPoints, 0),
  };
}

/** The definition of an indicator by code. */
export function serviceIndicatorDefinition(code: ServiceIndexCode): ServiceIndicatorDefinition {
  return SERVICE_INDEX.find((definition) => definition.code === code)!;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The decision as documents cite it. */
export const DECISION_766 = "Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ";
