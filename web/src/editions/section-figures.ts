/**
 * The live figures each section speaks of, shown beside its text while officials write (the same
 * numbers GET /v1/figures answers and the commune view shows). Sections about things the product
 * does not count (communication, inspections…) have none; their own numbers are typed in beside
 * them instead (number-fields). Pure: unit-tested in test/unit/web-editions.test.ts.
 */
import { formatCount, formatRate, onTimeRate, rateOf } from "../format";
import type { CommuneFigures, FormRow, ProvinceFigures, Rate } from "../model";
import type { SectionId } from "./sections";

export interface FigureLine {
  label: string;
  value: string;
  /** A part of the line above ("trực tuyến" of "Hồ sơ tiếp nhận"). */
  part?: true;
}

type Lines = (f: CommuneFigures) => FigureLine[];

const count = (label: string, n: number): FigureLine => ({ label, value: formatCount(n) });
const part = (label: string, n: number): FigureLine => ({ label, value: formatCount(n), part: true });

/** What a commune and a province roll-up both have: Form II.06a's total and the online rate. */
interface Totals {
  total: FormRow;
  onlineReception: Rate;
}
type TotalLines = (t: Totals) => FigureLine[];

const dossierResults: TotalLines = ({ total: t }) => {
  return [
    count("Hồ sơ tiếp nhận", t.received.total),
    part("trực tuyến", t.received.online),
    part("trực tiếp, bưu chính", t.received.directOrPostal),
    part("từ kỳ trước chuyển qua", t.received.carriedOver),
    count("Đã giải quyết", t.resolved.total),
    part("trước hạn", t.resolved.early),
    part("đúng hạn", t.resolved.onTime),
    part("quá hạn", t.resolved.late),
    count("Đang giải quyết", t.pending.total),
    part("trong hạn", t.pending.withinDeadline),
    part("quá hạn", t.pending.overdue),
  ];
};

const interlink: Lines = (f) => [
  count("Hồ sơ liên thông", f.interlink.total),
  part("cùng cấp", f.interlink.sameLevel),
  part("giữa các cấp", f.interlink.crossLevel),
  ...f.interlink.byBundle.map((b) => count(b.bundle, b.count)),
];

const online: Lines = (f) => [
  { label: "Tiếp nhận trực tuyến", value: formatRate(f.onlineReception) },
  part("hồ sơ trực tuyến", f.onlineReception.count),
  { label: "Số hóa thành phần hồ sơ đầy đủ", value: formatRate(f.digitization.fullyDigitizedRate) },
  { label: "Số hóa kết quả giải quyết", value: formatRate(f.digitization.resultDigitizedRate) },
  count("Chứng thực điện tử (bản sao)", f.electronicCertification),
  { label: "Thanh toán trực tuyến", value: formatRate(f.onlinePayment.rate) },
];

const LINES: Partial<Record<SectionId, Lines>> = {
  "I.3": (f) => [
    count("Phản ánh, kiến nghị tiếp nhận", f.feedback.received.total),
    part("về quy định hành chính", f.feedback.received.regulation),
    part("về hành vi hành chính", f.feedback.received.behavior),
    count("Đã xử lý", f.feedback.resolved),
    count("Đang xử lý", f.feedback.inProgress),
    count("Đã công khai", f.feedback.published),
  ],
  "I.5": interlink,
  "I.6": online,
  "I.10": (f) => [
    count("Lượt đánh giá", f.satisfaction.rated),
    part("rất hài lòng", f.satisfaction.verySatisfied),
    part("hài lòng", f.satisfaction.satisfied),
    part("không hài lòng", f.satisfaction.unsatisfied),
    { label: "Hài lòng trở lên", value: formatRate(f.satisfaction.satisfiedRate) },
  ],
  "I.11": (f) => [
    count("Tiếp nhận qua bưu chính", f.postal.receivedByPost),
    count("Trả kết quả qua bưu chính", f.postal.returnedByPost),
    {
      label: "Tỷ lệ tiếp nhận qua bưu chính",
      value: formatRate(rateOf(f.postal.receivedByPost, f.dossiers.total.received.total)),
    },
  ],
  "I.12": interlink,
  "I.13": (f) => [
    count("Hồ sơ có phí, lệ phí", f.onlinePayment.feeRequired),
    part("đã thanh toán trực tuyến", f.onlinePayment.paidOnline),
    { label: "Tỷ lệ", value: formatRate(f.onlinePayment.rate) },
  ],
};

/** Beside the sections about dossiers, for a commune and a province alike. */
const TOTAL_LINES: Partial<Record<SectionId, TotalLines>> = {
  "I.4": dossierResults,
  "II.1": ({ total, onlineReception }) => [
    count("Hồ sơ tiếp nhận", total.received.total),
    count("Đã giải quyết", total.resolved.total),
    { label: "Đúng hạn, trước hạn", value: formatRate(onTimeRate(total)) },
    { label: "Tiếp nhận trực tuyến", value: formatRate(onlineReception) },
  ],
  "II.2": ({ total }) => [
    count("Giải quyết quá hạn", total.resolved.late),
    count("Đang giải quyết quá hạn", total.pending.overdue),
    count("Tiếp nhận trực tiếp, bưu chính", total.received.directOrPostal),
  ],
};

/** The live figures beside a section, or none: a commune's report, or a province's roll-up. */
export function sectionFigures(id: SectionId, figures: CommuneFigures | ProvinceFigures): FigureLine[] {
  if ("province" in figures) {
    return TOTAL_LINES[id]?.({ total: figures.total, onlineReception: figures.total.onlineReception }) ?? [];
  }
  const totals = { total: figures.dossiers.total, onlineReception: figures.onlineReception };
  return TOTAL_LINES[id]?.(totals) ?? LINES[id]?.(figures) ?? [];
}
