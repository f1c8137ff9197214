import type { CommitMarkers } from "./ports";

/**
 * The live figures a container computed, per unit and period (docs/portal.md#live-figures-cache):
 * an official who opens a commune, switches period and comes back, or a province view opened twice,
 * does not have the figures read and computed again (a province is one Query per commune).
 *
 * Exact, not time-bounded: an answer is kept with the commit markers of the communes it read (each
 * bumped by every intake transaction that changes that commune), read before computing; it is
 * served only while those markers are unchanged, which one BatchGetItem tells, far cheaper than the
 * figures. The markers are read before computing, so a commit landing during the computation makes
 * the next request compute again: never a stale answer, at worst one computation too many. `ttlMs`
 * is a safety bound only. Concurrent requests for the same key and markers share one computation; a
 * failed one is not kept. At most `maxEntries` answers, the oldest dropped first.
 */
export class FiguresCache {
  private readonly entries = new Map<string, { at: number; markers: string; value: Promise<unknown> }>();

  constructor(
    private readonly markers: CommitMarkers,
    readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 200,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * The cached answer for `key` if the markers of `communes` (every commune code the figures read)
   * are those it was computed at and it is younger than the TTL, else `compute()`'s (then cached).
   */
  async get<T>(key: string, communes: readonly string[], compute: () => Promise<T>): Promise<T> {
    const counts = await this.markers.read(communes);
    const markers = communes.map((code) => counts.get(code) ?? 0).join(",");
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.markers === markers && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    this.entries.delete(key);
    const value = compute();
    this.entries.set(key, { at: now, markers, value });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
