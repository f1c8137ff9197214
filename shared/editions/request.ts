/**
 * The editions API's input (docs/editions.md#routes): path and query parameters, `If-Match`. The
 * PUT body's schema is in edition.ts, with the limits of what an edition holds.
 */
import * as z from "zod";
import type { PeriodSpec } from "../domain/calendar";
import { COMMUNE_CODE_PATTERN, PROVINCE_CODE_PATTERN, provinceCodeSchema } from "../domain/unit-codes";

const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, "a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const periodFields = {
  period: z.enum(["year", "six-months", "nine-months", "quarter", "month"]).default("year"),
  quarter: whole(1, 4).optional(),
  month: whole(1, 12).optional(),
};

/** The query of the routes of one edition: its period, and optionally an earlier edition number. */
export const editionQuerySchema = z.strictObject({ ...periodFields, edition: whole(1, 999).optional() });

/** `GET /v1/editions` and `GET /v1/editions/bundle`: a province and a period; `format=xlsx` exports. */
export const provinceEditionsQuerySchema = z.strictObject({
  provinceCode: provinceCodeSchema,
  year: whole(2000, 2099),
  ...periodFields,
  format: z.enum(["json", "xlsx"]).default("json"),
});

export const editionPathSchema = z.strictObject({
  unit: z
    .string()
    .refine(
      (code) => COMMUNE_CODE_PATTERN.test(code) || PROVINCE_CODE_PATTERN.test(code),
      "a commune (5 digits) or province (2 digits) code",
    ),
  year: whole(2000, 2099),
  revision: whole(1, 1_000_000).optional(),
});

type Query = Record<string, string | undefined> | null | undefined;
const defined = (query: Query) =>
  Object.fromEntries(Object.entries(query ?? {}).filter(([, v]) => v !== undefined));

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; path: string };

export function parseWith<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  return { ok: false, message: `${path ? `${path}: ` : ""}${issue?.message ?? "invalid request"}`, path };
}

export function parseQuery<T>(schema: z.ZodType<T>, query: Query): Parsed<T> {
  return parseWith(schema, defined(query));
}

/** The period a query names, or why not. */
export function periodOf(
  year: number,
  fields: { period: PeriodSpec["kind"]; quarter?: number; month?: number },
): Parsed<PeriodSpec> {
  const { period, quarter, month } = fields;
  if (period === "quarter") {
    return quarter === undefined
      ? { ok: false, message: 'period "quarter" needs quarter (1–4)', path: "quarter" }
      : { ok: true, value: { kind: "quarter", year, quarter: quarter as 1 | 2 | 3 | 4 } };
  }
  if (quarter !== undefined)
    return { ok: false, message: 'quarter goes with period "quarter"', path: "quarter" };
  if (period === "month") {
    return month === undefined
      ? { ok: false, message: 'period "month" needs month (1–12)', path: "month" }
      : { ok: true, value: { kind: "month", year, month } };
  }
  if (month !== undefined) return { ok: false, message: 'month goes with period "month"', path: "month" };
  return { ok: true, value: { kind: period, year } };
}

/** `"7"`, `W/"7"` or `7` → 7; anything else undefined. */
export function revisionOfIfMatch(header: string | undefined): number | undefined {
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header ?? "");
  return match ? Number(match[1]) : undefined;
}

export const etagOf = (revision: number) => `"${revision}"`;
