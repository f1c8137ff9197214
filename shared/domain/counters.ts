/**
 * Aggregates: named counters per (commune, reporting month, field). A subject contributes a sparse
 * map of them; the store adds the difference between a subject's new and old contribution.
 *
 * Pending dossiers are encoded as interval counters: `pendingWithin` / `pendingOverdue` hold the
 * *change* in the number of open dossiers of that status at the end of the month. The number open at
 * the end of month M is the sum of the deltas of every month up to M, so an open dossier needs no
 * roll-forward: it stays pending at every later month's end until a closing delta cancels it.
 */
export const COUNTER = {
  received: "rcv",
  receivedOnline: "rcvOnline",
  receivedDirect: "rcvDirect",
  receivedPostal: "rcvPostal",
  pendingWithin: "pW",
  pendingOverdue: "pO",
  resolved: "res",
  early: "early",
  onTime: "onTime",
  late: "late",
  withdrawn: "wd",
  componentsNone: "dgNone",
  componentsPartial: "dgPart",
  componentsFull: "dgFull",
  resultDigitized: "resDg",
  feeRequired: "fee",
  paidOnline: "feePaidOn",
  interlinkSameLevel: "ilSame",
  interlinkCrossLevel: "ilCross",
  electronicCertification: "eCert",
  returnedByPost: "retPost",
  ratedVerySatisfied: "rateVS",
  ratedSatisfied: "rateS",
  ratedUnsatisfied: "rateU",
  feedbackRegulation: "fbReg",
  feedbackBehavior: "fbBeh",
  feedbackPending: "fbP",
  feedbackResolved: "fbRes",
  feedbackPublished: "fbPub",
} as const;

/** Interlinked dossiers per bundle: one counter per bundle name. */
export const BUNDLE_PREFIX = "il:";

export type Counters = Record<string, number>;

/** `communeCode#YYYY-MM#fieldCode`: commune and month are fixed width, the field is the rest. */
export type AggregateKey = string;

export interface AggregateAddress {
  communeCode: string;
  month: string;
  fieldCode: string;
}

export function aggregateKey({ communeCode, month, fieldCode }: AggregateAddress): AggregateKey {
  return `${communeCode}#${month}#${fieldCode}`;
}

export function parseAggregateKey(key: AggregateKey): AggregateAddress {
  return { communeCode: key.slice(0, 5), month: key.slice(6, 13), fieldCode: key.slice(14) };
}

/** A subject's contribution: aggregate key → counters. */
export type Contribution = Map<AggregateKey, Counters>;

export function addTo(target: Contribution, key: AggregateKey, counters: Counters): void {
  const current = target.get(key) ?? {};
  for (const [name, value] of Object.entries(counters)) {
    if (value === 0) continue;
    const sum = (current[name] ?? 0) + value;
    if (sum === 0) delete current[name];
    else current[name] = sum;
  }
  if (Object.keys(current).length === 0) target.delete(key);
  else target.set(key, current);
}

/** next − previous, without zero counters or empty keys: what the store must ADD. */
export function difference(next: Contribution, previous: Contribution): Contribution {
  const diff: Contribution = new Map();
  for (const [key, counters] of next) addTo(diff, key, counters);
  for (const [key, counters] of previous) {
    addTo(diff, key, Object.fromEntries(Object.entries(counters).map(([name, value]) => [name, -value])));
  }
  return diff;
}

export function sumContributions(contributions: Iterable<Contribution>): Contribution {
  const total: Contribution = new Map();
  for (const contribution of contributions)
    for (const [key, counters] of contribution) addTo(total, key, counters);
  return total;
}
