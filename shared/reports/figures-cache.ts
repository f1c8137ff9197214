/**
 * The live figures a container computed lately, per unit and period (docs/portal.md#live-figures-cache):
 * an official who opens a commune, switches period and comes back, or a province view opened twice,
 * does not have the figures read and computed again (a province is one Query per commune).
 *
 * Freshness is bounded by time, not by the intake's commits: an answer is served for at most
 * `ttlMs` after it was computed (its `generatedAt` says when), so figures may lag the intake by that
 * much. Knowing exactly when a commit touches a unit would need a marker written by the intake's
 * transaction; a short bound keeps the intake untouched. Concurrent requests for the same key share
 * one computation; a failed one is not kept. At most `maxEntries` answers, the oldest dropped first.
 */
export class FiguresCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 200,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached answer for `key` if younger than the TTL, else `compute()`'s (then cached). */
  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    this.entries.delete(key);
    const value = compute();
    this.entries.set(key, { at: now, value });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
