import type { StoreObserver } from "./subject-store";
import { itemWriteUnits, type WrittenKind, writtenKind } from "./write-units";

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
  /** Estimated write units and items written, by what the items are (events, heads, aggregates, listings). */
  byKind: new Map<WrittenKind, { units: number; items: number }>(),
};

export const writeStatsObserver: StoreObserver = {
  committed(writeUnits, events, estimatedUnits, items) {
    for (const item of items ?? []) {
      const kind = writtenKind(item);
      const entry = writeStats.byKind.get(kind) ?? { units: 0, items: 0 };
      entry.units += itemWriteUnits(item);
      entry.items += 1;
      writeStats.byKind.set(kind, entry);
    }
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
