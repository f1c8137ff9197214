/**
 * The input and answer of `GET /v1/units` (the portal's unit picker), as zod schemas: the handler
 * validates with them and the OpenAPI document is generated from them. No registry import here,
 * so the document does not pull the unit list in.
 */
import * as z from "zod";

export const unitsQuerySchema = z.strictObject({
  year: z
    .string()
    .regex(/^\d{4}$/, "a 4-digit year")
    .transform(Number)
    .pipe(z.number().int().min(2000).max(2099)),
});

export const unitsInScopeSchema = z
  .strictObject({
    year: z.number().int(),
    provinces: z.array(z.strictObject({ code: z.string(), name: z.string() })).meta({
      description: "Provinces whose roll-up the token may read (and so all their communes).",
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
      .meta({ description: "Every commune the token may read, ascending by province, then code." }),
  })
  .meta({ id: "UnitsInScope" });

export type UnitsInScope = z.infer<typeof unitsInScopeSchema>;
