import * as z from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from "zod-openapi";
import { documentSchema, EDITION_STATUSES, editionPutSchema, numbersSchema, textsSchema } from "./edition";
import { editionQuerySchema, provinceEditionsQuerySchema } from "./request";

/**
 * The editions routes in the OpenAPI document (docs/editions.md), from the schemas the handler
 * parses with.
 */

const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const errorRef = z.looseObject({ error: z.looseObject({ code: z.string(), message: z.string() }) });
const error = (description: string) => ({ description, content: json(errorRef) });

const pathParams = z.object({
  unit: z
    .string()
    .meta({ description: "A commune (5 digits) or province (2 digits) code.", example: "10621" }),
  year: z.string().meta({ description: "The reporting year.", example: "2023" }),
});
const revisionParams = pathParams.extend({
  revision: z.string().meta({ description: "A revision number.", example: "3" }),
});
const ifMatch = z.object({
  "if-match": z
    .string()
    .meta({ description: 'The ETag of the edition the change was made on: `"<revision>"`.', example: '"7"' }),
});

const totals = z
  .object({ received: z.number().int(), resolved: z.number().int(), pending: z.number().int() })
  .meta({ id: "EditionFigureTotals" });
const actor = z.object({ name: z.string() });

const editionSchema = z
  .object({
    unit: z.string(),
    year: z.number().int(),
    period: z.enum(["year", "six-months", "nine-months", "quarter", "month"]),
    quarter: z.number().int().optional(),
    month: z.number().int().optional(),
    edition: z.number().int().meta({ description: "1, then + 1 for each correction." }),
    status: z.enum(EDITION_STATUSES),
    revision: z.number().int().meta({ description: "The ETag's number: send it in If-Match." }),
    savedAt: z.iso.datetime(),
    savedBy: actor,
    carriedFrom: z.object({ year: z.number().int(), edition: z.number().int() }).optional(),
    corrects: z.number().int().optional().meta({ description: "A correction: the edition it corrects." }),
    texts: textsSchema,
    numbers: numbersSchema,
    document: documentSchema,
    issued: z
      .object({
        at: z.iso.datetime(),
        by: actor,
        figuresAsOf: z.iso.datetime(),
        figures: totals,
        files: z.array(
          z.object({
            format: z.enum(["json", "xlsx", "docx"]),
            url: z.string().meta({ description: "Presigned: no token needed." }),
            sha256: z.string().meta({ description: "Lowercase hex SHA-256 of the file." }),
            size: z.number().int(),
          }),
        ),
      })
      .optional(),
    drift: totals.optional().meta({ description: "Live Form II.06a totals minus the issued ones." }),
    fromCommunes: z
      .object({ issued: z.number().int(), total: z.number().int(), numbers: numbersSchema })
      .optional()
      .meta({ description: "A province: its communes' issued numbers summed, `issued` of `total`." }),
  })
  .meta({ id: "Edition" });

const revisionSummary = z.object({
  revision: z.number().int(),
  savedAt: z.iso.datetime(),
  savedBy: actor,
  sections: z
    .array(z.string())
    .meta({ description: "What the revision changed (`I.1`, `numbers.procedures`, `document.date`)." }),
});
const revisionSchema = revisionSummary
  .extend({ texts: textsSchema, numbers: numbersSchema, document: documentSchema })
  .meta({ id: "EditionRevision" });
const url = z.object({ url: z.string().meta({ description: "Presigned GET URL." }) });

const provinceSchema = z
  .object({
    provinceCode: z.string(),
    year: z.number().int(),
    period: z.string(),
    communes: z.array(
      z.object({
        communeCode: z.string(),
        communeName: z.string(),
        status: z.enum(["none", "draft", "issued", "superseded"]),
        edition: z.number().int().optional(),
        number: z.string().optional(),
        date: z.string().optional(),
        issuedBy: z.string().optional(),
        savedAt: z.string().optional(),
        drift: totals.optional(),
      }),
    ),
    issued: z.number().int(),
    total: z.number().int(),
  })
  .meta({ id: "ProvinceEditions" });

const common = {
  "400": error("Malformed parameters or body (`invalid_body`)."),
  "401": error("No valid bearer token (`unauthorized`)."),
  "403": error(
    "Outside the caller's scope, a role too low, or an access code writing (`forbidden`, `no_grant`).",
  ),
  "404": error("No such unit (`unit_not_found`) or edition (`edition_not_found`)."),
};
const withEdition = (status: "200" | "201", description: string) => ({
  [status]: {
    description,
    headers: z.object({ etag: z.string().meta({ description: '`"<revision>"`' }) }),
    content: json(editionSchema),
  },
});

const op = (
  operationId: string,
  summary: string,
  responses: ZodOpenApiOperationObject["responses"],
  extra: Partial<ZodOpenApiOperationObject> = {},
): ZodOpenApiOperationObject => ({
  operationId,
  tags: ["editions"],
  summary,
  security: [{ readerToken: [] }],
  requestParams: { path: pathParams, query: editionQuerySchema, ...(extra.requestParams ?? {}) },
  ...extra,
  responses: { ...common, ...responses },
});

export const editionPaths: ZodOpenApiPathsObject = {
  "/v1/editions/{unit}/{year}": {
    post: op(
      "createEdition",
      "Start a draft, carried over from the previous period's issued edition (editor)",
      {
        ...withEdition("201", "The new draft."),
        "409": error("The unit already has an edition for the period (`edition_exists`)."),
      },
    ),
    get: op("getEdition", "The current edition (`edition=N`: an earlier one), with drift when issued", {
      ...withEdition("200", "The edition."),
    }),
    put: op(
      "saveEdition",
      "Save a revision: each key given replaces, null clears, absent keeps (editor)",
      {
        ...withEdition("200", "The new revision (or the edition unchanged when nothing changed)."),
        "409": error("The edition is issued (`edition_issued`)."),
        "412": error("If-Match is stale (`edition_conflict`); `current` holds the edition."),
        "413": error("Over 200 KB (`edition_too_large`) or a body over 1 MiB (`payload_too_large`)."),
        "428": error("No If-Match (`precondition_required`)."),
      },
      {
        requestParams: { path: pathParams, query: editionQuerySchema, header: ifMatch },
        requestBody: { required: true, content: json(editionPutSchema) },
      },
    ),
  },
  "/v1/editions/{unit}/{year}/revisions": {
    get: op("listEditionRevisions", "Every revision of the edition, with what each changed", {
      "200": {
        description: "The revisions, oldest first.",
        content: json(z.object({ edition: z.number().int(), revisions: z.array(revisionSummary) })),
      },
    }),
  },
  "/v1/editions/{unit}/{year}/revisions/{revision}": {
    get: op(
      "getEditionRevision",
      "One revision, whole",
      { "200": { description: "The revision.", content: json(revisionSchema) } },
      { requestParams: { path: revisionParams, query: editionQuerySchema } },
    ),
  },
  "/v1/editions/{unit}/{year}/preview": {
    post: op(
      "previewEdition",
      "The Word document of the current revision with live figures (a province: the workbook)",
      {
        "200": { description: "A presigned URL.", content: json(url) },
      },
    ),
  },
  "/v1/editions/{unit}/{year}/issue": {
    post: op(
      "issueEdition",
      "Issue the revision named by If-Match: files frozen, SHA-256 recorded (issuer); retrying answers the same issue",
      {
        ...withEdition("200", "The issued edition."),
        "400": error(
          "Malformed input (`invalid_body`), or incomplete (`edition_incomplete`, with `missing`).",
        ),
        "409": error("Issued at another revision (`edition_issued`)."),
        "412": error("If-Match is stale (`edition_conflict`)."),
        "428": error("No If-Match (`precondition_required`)."),
      },
      { requestParams: { path: pathParams, query: editionQuerySchema, header: ifMatch } },
    ),
  },
  "/v1/editions/{unit}/{year}/correction": {
    post: op(
      "correctEdition",
      "Start a correction: a new draft (edition + 1) from the issued edition (editor)",
      {
        ...withEdition("201", "The correction's draft."),
        "409": error("Not issued (`edition_not_issued`) or a correction exists (`edition_exists`)."),
      },
    ),
  },
  "/v1/editions": {
    get: {
      operationId: "listProvinceEditions",
      tags: ["editions"],
      summary:
        "Every commune of the province and its edition's status, not issued first; `format=xlsx` exports it",
      security: [{ readerToken: [] }],
      requestParams: { query: provinceEditionsQuerySchema },
      responses: {
        "200": {
          description: "The communes (or, with `format=xlsx`, `{url}` of the workbook).",
          content: json(z.union([provinceSchema, url])),
        },
        ...common,
      },
    },
  },
  "/v1/editions/bundle": {
    get: {
      operationId: "bundleProvinceEditions",
      tags: ["editions"],
      summary: "One ZIP of every issued commune report of the period (Word and Excel)",
      security: [{ readerToken: [] }],
      requestParams: { query: provinceEditionsQuerySchema.omit({ format: true }) },
      responses: {
        "200": {
          description: "A presigned URL of the ZIP and how many files it holds.",
          content: json(url.extend({ files: z.number().int() })),
        },
        ...common,
      },
    },
  },
};
