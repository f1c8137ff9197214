/**
 * The size budget of each function's bundle (`index.mjs`, minified, as infra/bundle.ts builds it),
 * checked by test/infra/bundles.test.ts against esbuild's output. Sizes, never times: a size is
 * deterministic, a cold start is not (`npm run bench:cold` times them, docs/benchmarks.md#cold-starts).
 * Keyed by entry; a function with no line here (one added since) gets DEFAULT_BUNDLE_BUDGET.
 * `documents`: the function builds Word/Excel files, so it may load the renderers (exceljs, docx:
 * the `#renderers` chunk next to its bundle, FUNCTION_BUNDLING.chunks); no other may.
 */
export interface BundleBudget {
  /** Bytes (1 KB = 1,000 bytes). */
  maxBytes: number;
  documents?: boolean;
}

/** For a function not listed: an API function without documents, like meta. */
export const DEFAULT_BUNDLE_BUDGET: BundleBudget = { maxBytes: 1_200_000 };

export const BUNDLE_BUDGETS: Record<string, BundleBudget> = {
  "functions/intake/handler.ts": { maxBytes: 900_000 },
  "functions/dvcqg/handler.ts": { maxBytes: 900_000 },
  "functions/meta/handler.ts": { maxBytes: 1_200_000 },
  "functions/reports/dispatcher.ts": { maxBytes: 1_200_000 },
  // Builds a report for POST /v1/reports: the renderers are its `#renderers` chunk, loaded then.
  "functions/links/handler.ts": { maxBytes: 1_200_000, documents: true },
  "functions/reports/worker.ts": { maxBytes: 2_000_000, documents: true },
  // Previews and issues editions, exports the province panel and zips its reports: `#renderers`.
  "functions/editions/handler.ts": { maxBytes: 1_200_000, documents: true },
};

export function bundleBudgetOf(entry: string): BundleBudget {
  return BUNDLE_BUDGETS[entry] ?? DEFAULT_BUNDLE_BUDGET;
}
