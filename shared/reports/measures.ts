/**
 * The measures every part of a report is made of: the counts of a Form II.06a row and rates. Apart
 * from the model (./model.ts re-exports them) so that the service index (./service-index.ts), which
 * the model includes, takes them without importing the model back.
 */

export interface ReceivedCounts {
  total: number; // online + directOrPostal + carriedOver
  online: number;
  directOrPostal: number;
  carriedOver: number;
}
export interface ResolvedCounts {
  total: number; // early + onTime + late
  early: number;
  onTime: number;
  late: number;
}
export interface PendingCounts {
  total: number; // withinDeadline + overdue
  withinDeadline: number;
  overdue: number;
}
export interface FormRow {
  received: ReceivedCounts;
  resolved: ResolvedCounts;
  pending: PendingCounts;
}

export interface Rate {
  count: number;
  of: number;
  /** count ÷ of as a percentage with two decimals, or null when `of` is 0. */
  percent: number | null;
}

/** count ÷ of as a percentage with two decimals, or null when `of` is 0. */
export function percentOf(count: number, of: number): number | null {
  if (of === 0) return null;
  return Math.round((count / of) * 10_000) / 100;
}

/** Builds a {@link Rate} from its terms. */
export function rateOf(count: number, of: number): Rate {
  return { count, of, percent: percentOf(count, of) };
}
