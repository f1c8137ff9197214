/**
 * The input and answer of `GET /v1/units` (the portal's unit picker), as zod schemas: the handler
 * validates with them and the OpenAPI document is generated from them. No registry import here,
 * so the document does not pull the unit list in.
 */
import * as z from "zod";

/** Communes answered when the query gives no `limit`: a commune's or a small scope's whole list. */
export const DEFAULT_UNITS_LIMIT = 50;
export const MAX_UNITS_LIMIT = 500;

export const unitsQuerySchema = z.strictObject({
  year: z
    .string()
    .regex(/^\d{4}$/, "a 4-digit year")
    .transform(Number)
    .pipe(z.number().int().min(2000).max(2099)),
  q: z.string().trim().min(1).max(100).optional().meta({
    description:
      "Search: units whose name, district or province name holds every word (any case, with or without diacritics), or whose code it is.",
  }),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, "a number of communes")
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_UNITS_LIMIT))
    .optional()
    .meta({
      description: `Most communes answered (default ${DEFAULT_UNITS_LIMIT}, at most ${MAX_UNITS_LIMIT}).`,
    }),
});

export const unitsInScopeSchema = z
  .strictObject({
    year: z.number().int(),
    provinces: z.array(z.strictObject({ code: z.string(), name: z.string() })).meta({
      description:
        "Provinces whose roll-up the token may read (and so all their communes), matching `q` if given.",
    }),
    communes: z
      .array(
        z.strictObject({
          code: z.string(),
          name: z.string(),
          provinceCode: z.string(),
          districtName: z.string().optional().meta({ description: "Before 1 July 2025 only." }),
        }),
      )
      .meta({
        description:
          "The first `limit` communes the token may read (matching `q` if given), ascending by province, then code.",
      }),
    total: z.number().int().meta({ description: "Communes the token may read (matching `q` if given)." }),
    complete: z.boolean().meta({
      description:
        "`communes` lists all `total` of them: the page then searches them itself; otherwise it asks with `q`.",
    }),
  })
  .meta({ id: "UnitsInScope" });

export type UnitsInScope = z.infer<typeof unitsInScopeSchema>;
export type UnitsQuery = z.infer<typeof unitsQuerySchema>;
