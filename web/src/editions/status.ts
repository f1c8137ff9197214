/** The province's status list in words (views/edition/province-editions.tsx); the API answers it not issued first. */
import type { CommuneEditionStatus } from "./model";

export const STATUS_LABELS: Record<CommuneEditionStatus, string> = {
  none: "Chưa soạn",
  draft: "Đang soạn",
  issued: "Đã ban hành",
  superseded: "Đã thay thế",
};
