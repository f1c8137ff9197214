import { describe, expect, it } from "vitest";
import { FiguresCache } from "../../shared/reports/figures-cache";

/** A cache on a clock the test moves, and a computation that counts its calls. */
function setup(ttlMs = 30_000, maxEntries = 200) {
  let now = 1_000_000;
  const cache = new FiguresCache(ttlMs, maxEntries, () => now);
  let calls = 0;
  const compute = (value: string) => async () => {
    calls++;
    return `${value}#${calls}`;
  };
  return {
    cache,
    compute,
    calls: () => calls,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("FiguresCache (live figures per unit and period, for at most the TTL)", () => {
  it("serves the answer computed for a key until the TTL has passed, then computes it again", async () => {
    const { cache, compute, calls, advance } = setup(30_000);
    expect(await cache.get("10621:2023", compute("a"))).toBe("a#1");
    advance(29_999);
    expect(await cache.get("10621:2023", compute("a"))).toBe("a#1");
    advance(1);
    expect(await cache.get("10621:2023", compute("a"))).toBe("a#2");
    expect(calls()).toBe(2);
  });

  it("keeps each unit and period apart", async () => {
    const { cache, compute } = setup();
    expect(await cache.get("10621:2023", compute("commune"))).toBe("commune#1");
    expect(await cache.get("10621:2024", compute("other year"))).toBe("other year#2");
    expect(await cache.get("30:2023", compute("province"))).toBe("province#3");
    expect(await cache.get("10621:2023", compute("commune"))).toBe("commune#1");
  });

  it("shares one computation between concurrent requests for the same key", async () => {
    const { cache, compute, calls } = setup();
    const answers = await Promise.all([1, 2, 3].map(() => cache.get("k", compute("v"))));
    expect(answers).toEqual(["v#1", "v#1", "v#1"]);
    expect(calls()).toBe(1);
  });

  it("does not keep a failed computation: the next request computes again", async () => {
    const { cache, compute } = setup();
    await expect(cache.get("k", () => Promise.reject(new Error("DynamoDB unavailable")))).rejects.toThrow(
      "DynamoDB unavailable",
    );
    expect(await cache.get("k", compute("v"))).toBe("v#1");
  });

  it("holds at most maxEntries answers, dropping the oldest first", async () => {
    const { cache, compute, calls } = setup(30_000, 2);
    await cache.get("a", compute("a"));
    await cache.get("b", compute("b"));
    await cache.get("c", compute("c"));
    expect(calls()).toBe(3);
    expect(await cache.get("c", compute("c"))).toBe("c#3");
    expect(await cache.get("a", compute("a"))).toBe("a#4");
  });
});
