import * as z from "zod";
import type { ZodOpenApiOperationObject } from "zod-openapi";
import { DVCQG_ERROR, DVCQG_ERROR_MEANINGS, type DvcqgErrorCode } from "./answers";
import {
  dossierSnapshotSchema,
  loginSchema,
  MAX_PROGRESS_ENTRIES_PER_REQUEST,
  MAX_SNAPSHOTS_PER_REQUEST,
  progressEntrySchema,
  SERVICES,
} from "./payload";
import { SESSION_TTL_SECONDS } from "./sessions";
import { ITEM_ERROR_CODES } from "./sync";

/**
 * The DVCQG-compatible routes in the OpenAPI document (docs/dvcqg.md), from the schemas the
 * handler parses with. Senders send many more fields than these: every other field is accepted and
 * dropped (personal data above all).
 */

const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const sourceParam = z.object({
  sourceId: z.string().meta({ description: "The provincial system, as configured.", example: "demo" }),
});

const portalError = z
  .object({
    error_code: z
      .number()
      .int()
      .meta({
        description: (Object.keys(DVCQG_ERROR) as DvcqgErrorCode[])
          .map((code) => `${DVCQG_ERROR[code]}: ${DVCQG_ERROR_MEANINGS[code]}`)
          .join("; "),
      }),
    message: z.string(),
  })
  .meta({ id: "DvcqgAnswer", description: "Every DVCQG answer, in the national portal's shape." });

const loginAnswer = z
  .object({
    error_code: z.literal(0),
    message: z.string(),
    session: z.string().meta({ description: "Opaque; send it in every sync call." }),
    expires_in: z
      .number()
      .int()
      .meta({ description: `Seconds the session stays valid (${SESSION_TTL_SECONDS}).` }),
  })
  .meta({ id: "DvcqgLogin" });

const itemResult = z
  .object({
    MaHoSo: z.string(),
    status: z.enum(["applied", "unchanged", "rejected"]),
    error: z
      .object({ code: z.enum(ITEM_ERROR_CODES), message: z.string(), path: z.string().optional() })
      .optional()
      .meta({ description: "Only on rejected items; `path` names the offending field." }),
  })
  .meta({ id: "DvcqgItemResult" });

const syncAnswer = z
  .object({
    error_code: z.number().int().meta({ description: "0 when nothing was rejected, 4 otherwise." }),
    message: z.string(),
    results: z.array(itemResult).optional().meta({ description: "One per item, in request order." }),
    result: z
      .array(
        z.object({
          MaHoSo: z.string(),
          TrangThaiHoSo: z.string(),
          NgayTiepNhan: z.string(),
          NgayHenTra: z.string(),
          NgayKetThucXuLy: z.string(),
        }),
      )
      .optional()
      .meta({ description: "`TraCuuHoSo` only: `[]` or the dossier as known now." }),
  })
  .meta({ id: "DvcqgSyncAnswer" });

const syncRequest = z
  .object({
    session: z.string(),
    madonvi: z
      .string()
      .optional()
      .meta({ description: "The sender's agency code (used when MaHoSo has no mapped prefix)." }),
    service: z.enum(SERVICES),
    isUpdating: z
      .string()
      .optional()
      .meta({ description: "`DongBoHoSoMC`: accepted and ignored (every snapshot is an upsert)." }),
    data: z
      .array(z.union([dossierSnapshotSchema, progressEntrySchema]))
      .max(MAX_PROGRESS_ENTRIES_PER_REQUEST)
      .optional()
      .meta({
        description: `\`DongBoHoSoMC\`: 1–${MAX_SNAPSHOTS_PER_REQUEST} dossier snapshots; \`CapNhatTienDoHoSoMC\`: 1–${MAX_PROGRESS_ENTRIES_PER_REQUEST} progress entries.`,
      }),
    mahoso: z.string().optional().meta({ description: "`TraCuuHoSo`: the dossier code to look up." }),
  })
  .meta({ id: "DvcqgSyncRequest" });

const authOperation: ZodOpenApiOperationObject = {
  operationId: "dvcqgLogIn",
  tags: ["dvcqg"],
  summary: "Log in as the national portal's adapter does (DVCQG-compatible intake)",
  security: [],
  requestParams: { path: sourceParam },
  requestBody: { required: true, content: json(loginSchema) },
  responses: {
    "200": { description: "A session.", content: json(loginAnswer) },
    "400": {
      description: "Not JSON or not `{username, password}` (error_code 2).",
      content: json(portalError),
    },
    "401": {
      description: "Wrong username or password, or no DVCQG access (error_code 1).",
      content: json(portalError),
    },
    "429": {
      description: "Locked out after repeated failures for the source (error_code 9); see `Retry-After`.",
      content: json(portalError),
    },
  },
};

const syncOperation: ZodOpenApiOperationObject = {
  operationId: "dvcqgSync",
  tags: ["dvcqg"],
  summary: "DongBoHoSoMC (snapshots), CapNhatTienDoHoSoMC (progress entries), TraCuuHoSo (look-up)",
  description:
    "Each item is checked and applied on its own, through the same exactly-once core as the event intake. Retrying is always safe: a re-sent item is `unchanged`.",
  security: [],
  requestParams: { path: sourceParam },
  requestBody: { required: true, content: json(syncRequest) },
  responses: {
    "200": { description: "Every item applied or unchanged; or the look-up.", content: json(syncAnswer) },
    "207": { description: "Some items rejected (error_code 4).", content: json(syncAnswer) },
    "400": {
      description: "Not JSON, unknown service, data missing or beyond limits (error_code 2).",
      content: json(portalError),
    },
    "401": {
      description: "Missing, unknown, expired or other source's session (error_code 1).",
      content: json(portalError),
    },
    "413": { description: "Body over 1 MiB (error_code 2).", content: json(portalError) },
    "422": { description: "Every item rejected (error_code 4).", content: json(syncAnswer) },
    "503": { description: "Storage busy (error_code 5); retry.", content: json(portalError) },
  },
};

export const dvcqgPaths = {
  "/v1/sources/{sourceId}/dvcqg/auth": { post: authOperation },
  "/v1/sources/{sourceId}/dvcqg": { post: syncOperation },
};
