import type { StoreObserver } from "./subject-store";

/**
 * Running totals of the store's writes in this process: consumed write capacity (from
 * ReturnConsumedCapacity), events committed, and retries. The intake logs them; the benchmark
 * reads them to report write units per event.
 */
export const writeStats = {
  writeUnits: 0,
  estimatedWriteUnits: 0,
  events: 0,
  transactions: 0,
  retries: 0,
  retryReasons: new Map<string, number>(),
};

export const writeStatsObserver: StoreObserver = {
  committed(writeUnits, events, estimatedUnits) {
    writeStats.writeUnits += writeUnits;
    writeStats.estimatedWriteUnits += estimatedUnits;
    writeStats.events += events;
    writeStats.transactions += 1;
  },
  retried(reason) {
    writeStats.retries += 1;
    writeStats.retryReasons.set(reason, (writeStats.retryReasons.get(reason) ?? 0) + 1);
  },
};
