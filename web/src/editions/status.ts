/**
 * The statuses of the province's list in words (views/edition/province-editions.tsx); the API
 * answers the list in its order, not issued first.
 */
import type { CommuneEditionStatus } from "./model";

export const STATUS_LABELS: Record<CommuneEditionStatus, string> = {
  none: "Chưa soạn",
  draft: "Đang soạn",
  issued: "Đã ban hành",
  superseded: "Đã thay thế",
};
