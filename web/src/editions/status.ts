/** The province's status list in words and in follow-up order (views/edition/province-editions.tsx). Pure. */
import type { CommuneEditionRow, CommuneEditionStatus } from "./model";

export const STATUS_LABELS: Record<CommuneEditionStatus, string> = {
  none: "Chưa soạn",
  draft: "Đang soạn",
  issued: "Đã ban hành",
  superseded: "Đã thay thế",
};

/** Not started first, then drafts, then issued; by name within each. */
const STATUS_ORDER: CommuneEditionStatus[] = ["none", "draft", "superseded", "issued"];

export function sortForFollowUp(rows: readonly CommuneEditionRow[]): CommuneEditionRow[] {
  return [...rows].sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      a.communeName.localeCompare(b.communeName, "vi") ||
      a.communeCode.localeCompare(b.communeCode),
  );
}
