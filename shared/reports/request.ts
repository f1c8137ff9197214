/**
 * The report API's input (docs/api.md#request), validated with zod: the body
 * of `POST /v1/reports` and the query of `GET /v1/reports` carry the same fields.
 *
 *   communeCode | provinceCode    exactly one (5 or 2 digits)
 *   year                          the reporting year, 2000–2099
 *   period                        "year" (default), "six-months", "nine-months", "quarter", "month"
 *   quarter                       1–4, with period "quarter"
 *   month                         1–12, with period "month" (reporting month: 15th of the previous month → 14th)
 *   expiresIn                     seconds the links stay valid, 1 to 604800 (7 days); default 900
 *
 * `GET /v1/figures` (docs/portal.md) takes the same query without `expiresIn`.
 */
import { z } from "zod";
import type { PeriodSpec } from "../domain/calendar";
import { communeCodeSchema, provinceCodeSchema } from "../domain/unit-codes";

export const DEFAULT_EXPIRES_IN = 15 * 60;
export const MAX_EXPIRES_IN = 7 * 24 * 60 * 60;

const year = z.number().int().min(2000).max(2099);

/** A local (Vietnam) calendar date on the wire, `YYYY-MM-DD`: job messages, live figures' months. */
export const localDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");

/** A period of the Decree 09/2019 calendar, as job messages carry it. */
export const periodSpecSchema: z.ZodType<PeriodSpec> = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("year"), year }),
  z.strictObject({ kind: z.literal("six-months"), year }),
  z.strictObject({ kind: z.literal("nine-months"), year }),
  z.strictObject({
    kind: z.literal("quarter"),
    year,
    quarter: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  }),
  z.strictObject({ kind: z.literal("month"), year, month: z.number().int().min(1).max(12) }),
]);

const fields = {
  communeCode: communeCodeSchema.optional(),
  provinceCode: provinceCodeSchema.optional(),
  year,
  period: z.enum(["year", "six-months", "nine-months", "quarter", "month"]).default("year"),
  quarter: z.number().int().min(1).max(4).optional(),
  month: z.number().int().min(1).max(12).optional(),
  expiresIn: z.number().int().min(1).max(MAX_EXPIRES_IN).default(DEFAULT_EXPIRES_IN),
};

type Fields = z.infer<z.ZodObject<typeof fields>>;

function refine(value: Omit<Fields, "expiresIn">, ctx: z.RefinementCtx): void {
  if ((value.communeCode === undefined) === (value.provinceCode === undefined)) {
    ctx.addIssue({
      code: "custom",
      message: "give exactly one of communeCode and provinceCode",
      path: ["communeCode"],
    });
  }
  if (value.period === "quarter" && value.quarter === undefined) {
    ctx.addIssue({ code: "custom", message: 'period "quarter" needs quarter (1–4)', path: ["quarter"] });
  }
  if (value.period === "month" && value.month === undefined) {
    ctx.addIssue({ code: "custom", message: 'period "month" needs month (1–12)', path: ["month"] });
  }
  if (value.period !== "quarter" && value.quarter !== undefined) {
    ctx.addIssue({ code: "custom", message: 'quarter goes with period "quarter"', path: ["quarter"] });
  }
  if (value.period !== "month" && value.month !== undefined) {
    ctx.addIssue({ code: "custom", message: 'month goes with period "month"', path: ["month"] });
  }
}

/** The JSON body of POST /v1/reports. */
export const reportBodySchema = z.strictObject(fields).superRefine(refine);

const integer = (schema: z.ZodNumber) =>
  z
    .string()
    .regex(/^\d{1,9}$/, "a whole number")
    .transform(Number)
    .pipe(schema);

const queryFields = {
  communeCode: fields.communeCode,
  provinceCode: fields.provinceCode,
  year: integer(year),
  period: fields.period,
  quarter: integer(z.number().int().min(1).max(4)).optional(),
  month: integer(z.number().int().min(1).max(12)).optional(),
};

/** The query string of GET /v1/reports (every value arrives as a string). */
export const reportQuerySchema = z
  .strictObject({
    ...queryFields,
    expiresIn: integer(z.number().int().min(1).max(MAX_EXPIRES_IN)).default(DEFAULT_EXPIRES_IN),
  })
  .superRefine(refine);

/** The query string of GET /v1/figures (docs/portal.md): the unit and the period, no link lifetime. */
export const figuresQuerySchema = z.strictObject(queryFields).superRefine(refine);

export interface ReportRequest {
  unit: { kind: "commune"; communeCode: string } | { kind: "province"; provinceCode: string };
  period: PeriodSpec;
  expiresIn: number;
}

export type ParsedRequest =
  | { ok: true; request: ReportRequest }
  | { ok: false; message: string; path: string };

function toRequest(value: Fields): ReportRequest {
  const period: PeriodSpec =
    value.period === "quarter"
      ? { kind: "quarter", year: value.year, quarter: value.quarter as 1 | 2 | 3 | 4 }
      : value.period === "month"
        ? { kind: "month", year: value.year, month: value.month! }
        : { kind: value.period, year: value.year };
  return {
    unit: value.communeCode
      ? { kind: "commune", communeCode: value.communeCode }
      : { kind: "province", provinceCode: value.provinceCode! },
    period,
    expiresIn: value.expiresIn,
  };
}

function parseWith(schema: z.ZodType<Fields>, input: unknown): ParsedRequest {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, request: toRequest(parsed.data) };
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  return { ok: false, message: `${path ? `${path}: ` : ""}${issue?.message ?? "invalid request"}`, path };
}

export function parseReportBody(body: unknown): ParsedRequest {
  return parseWith(reportBodySchema as unknown as z.ZodType<Fields>, body);
}

type Query = Record<string, string | undefined> | null | undefined;
const definedValues = (query: Query) =>
  Object.fromEntries(Object.entries(query ?? {}).filter(([, v]) => v !== undefined));

export function parseReportQuery(query: Query): ParsedRequest {
  return parseWith(reportQuerySchema as unknown as z.ZodType<Fields>, definedValues(query));
}

/** The query of GET /v1/figures; `expiresIn` of the result is the default (figures have no links). */
export function parseFiguresQuery(query: Query): ParsedRequest {
  const schema = figuresQuerySchema.transform((value) => ({ ...value, expiresIn: DEFAULT_EXPIRES_IN }));
  return parseWith(schema as unknown as z.ZodType<Fields>, definedValues(query));
}
