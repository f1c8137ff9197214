import { describe, expect, it } from "vitest";
import { FiguresCache } from "../../shared/reports/figures-cache";
import type { CommitMarkers } from "../../shared/reports/ports";

/**
 * A cache on a clock the test moves, over commit markers the test bumps (as intake transactions
 * do), and a computation that counts its calls.
 */
function setup(ttlMs = 600_000, maxEntries = 200) {
  let now = 1_000_000;
  const counts = new Map<string, number>();
  const reads: string[][] = [];
  const markers: CommitMarkers = {
    read: async (codes) => {
      reads.push([...codes]);
      return new Map(codes.map((code) => [code, counts.get(code) ?? 0]));
    },
  };
  const cache = new FiguresCache(markers, ttlMs, maxEntries, () => now);
  let calls = 0;
  const compute = (value: string) => async () => {
    calls++;
    return `${value}#${calls}`;
  };
  return {
    cache,
    compute,
    reads,
    calls: () => calls,
    commit: (code: string) => counts.set(code, (counts.get(code) ?? 0) + 1),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("FiguresCache (live figures per unit and period, while the intake has not touched them)", () => {
  it("serves the answer computed for a key while the markers of the communes it read are unchanged", async () => {
    const { cache, compute, calls, reads, commit, advance } = setup();
    expect(await cache.get("10621:2023", ["10621", "10600"], compute("a"))).toBe("a#1");
    commit("99999"); // a commune the figures do not read
    advance(60_000);
    expect(await cache.get("10621:2023", ["10621", "10600"], compute("a"))).toBe("a#1");
    expect(calls()).toBe(1);
    expect(reads).toEqual([
      ["10621", "10600"],
      ["10621", "10600"],
    ]);
  });

  it("computes again as soon as a commit bumped the marker of any commune the figures read", async () => {
    const { cache, compute, commit } = setup();
    expect(await cache.get("10621:2023", ["10621", "10600"], compute("a"))).toBe("a#1");
    commit("10600"); // a full predecessor of the commune
    expect(await cache.get("10621:2023", ["10621", "10600"], compute("a"))).toBe("a#2");
    expect(await cache.get("10621:2023", ["10621", "10600"], compute("a"))).toBe("a#2");
    commit("10621");
    expect(await cache.get("10621:2023", ["10621", "10600"], compute("a"))).toBe("a#3");
  });

  it("serves an untouched answer for at most the TTL (a safety bound), then computes it again", async () => {
    const { cache, compute, calls, advance } = setup(600_000);
    expect(await cache.get("10621:2023", ["10621"], compute("a"))).toBe("a#1");
    advance(599_999);
    expect(await cache.get("10621:2023", ["10621"], compute("a"))).toBe("a#1");
    advance(1);
    expect(await cache.get("10621:2023", ["10621"], compute("a"))).toBe("a#2");
    expect(calls()).toBe(2);
  });

  it("keeps each unit and period apart", async () => {
    const { cache, compute } = setup();
    expect(await cache.get("10621:2023", ["10621"], compute("commune"))).toBe("commune#1");
    expect(await cache.get("10621:2024", ["10621"], compute("other year"))).toBe("other year#2");
    expect(await cache.get("30:2023", ["10621", "10622"], compute("province"))).toBe("province#3");
    expect(await cache.get("10621:2023", ["10621"], compute("commune"))).toBe("commune#1");
  });

  it("shares one computation between concurrent requests for the same key and markers", async () => {
    const { cache, compute, calls } = setup();
    const answers = await Promise.all([1, 2, 3].map(() => cache.get("k", ["10621"], compute("v"))));
    expect(answers).toEqual(["v#1", "v#1", "v#1"]);
    expect(calls()).toBe(1);
  });

  it("does not keep a failed computation: the next request computes again", async () => {
    const { cache, compute } = setup();
    await expect(
      cache.get("k", ["10621"], () => Promise.reject(new Error("DynamoDB unavailable"))),
    ).rejects.toThrow("DynamoDB unavailable");
    expect(await cache.get("k", ["10621"], compute("v"))).toBe("v#1");
  });

  it("holds at most maxEntries answers, dropping the oldest first", async () => {
    const { cache, compute, calls } = setup(600_000, 2);
    await cache.get("a", ["10621"], compute("a"));
    await cache.get("b", ["10621"], compute("b"));
    await cache.get("c", ["10621"], compute("c"));
    expect(calls()).toBe(3);
    expect(await cache.get("c", ["10621"], compute("c"))).toBe("c#3");
    expect(await cache.get("a", ["10621"], compute("a"))).toBe("a#4");
  });
});
