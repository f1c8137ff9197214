/**
 * What a report of a commune made by the 1 July 2025 reorganization says about its predecessors
 * (docs/reports.md `unit.predecessors`): which old communes' figures it sums, and which it lists
 * without adding. One source for the Word draft and the Excel workbook. Pure.
 */

import { NEW_UNITS_VALID_FROM, OLD_UNITS_VALID_TO } from "../../units/registry";
import type { PredecessorRef, ReportPeriod } from "../model";
import { formatDate, periodLabel, unitNameInSentence } from "./vietnamese-format";

const named = (list: PredecessorRef[]) =>
  list.map((p) => `${unitNameInSentence(p.communeName)} (mã ${p.communeCode})`).join(", ");

/** Sentences about the predecessors (empty when there are none). */
export function predecessorNotes(
  unit: { communeCode: string; communeName: string; predecessors?: PredecessorRef[] },
  period: ReportPeriod,
): string[] {
  const all = unit.predecessors ?? [];
  const full = all.filter((p) => p.share === "full");
  const partial = all.filter((p) => p.share === "partial" && p.communeCode !== unit.communeCode);
  // The new commune keeps the code of one predecessor: what that code recorded is always in.
  const sameCodePartial = all.find((p) => p.share === "partial" && p.communeCode === unit.communeCode);
  const name = unitNameInSentence(unit.communeName);
  const notes: string[] = [];
  if (full.length > 0) {
    notes.push(
      `Thực hiện sắp xếp đơn vị hành chính từ ngày ${formatDate(NEW_UNITS_VALID_FROM)}, số liệu ${periodLabel(period)} ` +
        `của ${name} gồm toàn bộ số liệu của các đơn vị cấp xã trước sắp xếp đã nhập toàn bộ vào ${name}: ${named(full)}. ` +
        `Hồ sơ tiếp nhận đến hết ngày ${formatDate(OLD_UNITS_VALID_TO)} được tính theo đơn vị đã tiếp nhận, ` +
        "kể cả hồ sơ giải quyết sau ngày sắp xếp; mỗi hồ sơ chỉ được tính một lần.",
    );
  }
  if (partial.length > 0) {
    notes.push(
      `Các đơn vị chỉ nhập một phần vào ${name}: ${named(partial)}; số liệu của các đơn vị này không được cộng ` +
        "vào báo cáo vì hồ sơ không tách được theo địa bàn.",
    );
  }
  if (sameCodePartial) {
    notes.push(
      `Số liệu ghi theo mã ${sameCodePartial.communeCode} đến hết ngày ${formatDate(OLD_UNITS_VALID_TO)} là của ` +
        `${unitNameInSentence(sameCodePartial.communeName)} trước sắp xếp (chỉ nhập một phần vào ${name}), ` +
        "được tính toàn bộ vì cùng mã đơn vị.",
    );
  }
  return notes;
}
