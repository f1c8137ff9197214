/** The service index in Vietnamese words, for the Word draft (one paragraph and its lines). Pure. */
import { DECISION_766, type ServiceIndex } from "../service-index";
import { formatCount, formatDecimal, formatPercent } from "./vietnamese-format";

/** The index in Vietnamese, as the Word draft states it: a lead sentence, then one line per indicator. */
export function serviceIndexText(index: ServiceIndex): { lead: string; lines: string[] } {
  const points = (value: number) => formatDecimal(value);
  return {
    lead:
      `Chỉ số chất lượng phục vụ theo ${DECISION_766} (các chỉ số tính được từ hồ sơ, theo cách tính của hệ thống): ` +
      `đạt ${points(index.points)}/${points(index.maxPoints)} điểm; cụ thể:`,
    lines: index.indicators.map((indicator) => {
      const head = `Chỉ số ${indicator.ref} - ${indicator.name}: `;
      if (indicator.points === null) return `${head}không có hồ sơ để tính (không chấm điểm).`;
      return (
        `${head}${formatPercent(indicator.rate.percent)} (${formatCount(indicator.rate.count)}/${formatCount(indicator.rate.of)}; ` +
        `đạt điểm tối đa từ ${formatPercent(indicator.threshold)}): ${points(indicator.points)}/${points(indicator.maxPoints)} điểm.`
      );
    }),
  };
}
