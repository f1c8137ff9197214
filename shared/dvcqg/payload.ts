import * as z from "zod";

/**
 * The DVCQG sync's payloads (docs/dvcqg.md), as zod schemas that keep ONLY what the figures
 * need. Every object schema strips unknown keys (zod's default; never `passthrough`/`loose`), so the
 * personal data a snapshot carries (ChuHoSo, SoDienThoai, Email, DinhDanhCHS, addresses, file links,
 * free text) is gone the moment a payload is parsed: it never reaches the store, a log or an answer.
 *
 * Real senders write numbers as strings and strings as numbers, and empty dates as `""`: scalars
 * accept both spellings, and an empty value counts as absent.
 */

export const MAX_SNAPSHOTS_PER_REQUEST = 100;
export const MAX_PROGRESS_ENTRIES_PER_REQUEST = 500;

/** A scalar as text, whether the sender wrote `"2"` or `2`; blank → undefined. */
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => {
    if (value === null || value === undefined) return undefined;
    const trimmed = String(value).trim();
    return trimmed === "" ? undefined : trimmed;
  });

const requiredText = (max: number) =>
  text.pipe(z.string({ error: "required" }).min(1, "required").max(max, `at most ${max} characters`));
const optionalText = (max: number) => text.pipe(z.string().max(max, `at most ${max} characters`).optional());

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * `yyyyMMddHHmmss` in local time (Asia/Ho_Chi_Minh, UTC+7) → epoch milliseconds. Impossible dates
 * (`20230230…`, hour 25) fail, as do dates outside 2000–2099.
 */
export function parseDvcqgDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 2000 || year > 2099) return undefined;
  const instant = Date.UTC(year, month - 1, day, hour - 7, minute, second);
  const local = new Date(instant + 7 * 3600_000);
  const roundTrip =
    local.getUTCFullYear() === year &&
    local.getUTCMonth() === month - 1 &&
    local.getUTCDate() === day &&
    local.getUTCHours() === hour &&
    local.getUTCMinutes() === minute &&
    local.getUTCSeconds() === second;
  return roundTrip ? instant : undefined;
}

/** Epoch milliseconds → `yyyyMMddHHmmss` in local time. */
export function formatDvcqgDate(instant: number): string {
  const d = new Date(instant + 7 * 3600_000);
  return (
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
  );
}

/** An optional date: absent or `""` → undefined; anything else must be a real `yyyyMMddHHmmss`. */
const date = text.transform((value, ctx) => {
  if (value === undefined) return undefined;
  const instant = parseDvcqgDate(value);
  if (instant === undefined) {
    ctx.addIssue({ code: "custom", message: "not a date written yyyyMMddHHmmss (local time)" });
    return z.NEVER;
  }
  return instant;
});

/** A code from a small list (`TrangThaiHoSo`, `KenhThucHien`, …) as an integer. */
const codeIn = (allowed: readonly number[], label: string) =>
  text.transform((value, ctx) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!/^\d+$/.test(value) || !allowed.includes(n)) {
      ctx.addIssue({ code: "custom", message: `unknown ${label}: expected one of ${allowed.join(", ")}` });
      return z.NEVER;
    }
    return n;
  });

export const DOSSIER_STATUSES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
const status = codeIn(DOSSIER_STATUSES, "status").pipe(z.number({ error: "required" }));

/** `"True"`, `"1"`, `true`, `1` → true; anything else false. */
const flag = z
  .union([z.string(), z.number(), z.boolean()])
  .nullish()
  .transform((value) => value === true || value === 1 || /^(true|1)$/i.test(String(value ?? "")));

const list = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .nullish()
    .transform((items) => items ?? []);

/** A submitted component: only whether it is digitized and whether it was deleted. */
const componentSchema = z.object({ DuocSoHoa: flag, IsDeleted: flag });
/** A fee line: only its amount (`Gia`, VND). */
const feeSchema = z.object({
  Gia: text.pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, "an amount")
      .optional(),
  ),
});
/** A supplement round: its dates and due dates, nothing of who asked what. */
const supplementSchema = z.object({
  NgayBoSung: date,
  NgayTiepNhanBoSung: date,
  NgayHenTraTruoc: date,
  NgayHenTraMoi: date,
});
/** A result document: only whether a file of it exists (the link itself is dropped right here). */
const resultSchema = z
  .object({ DuongDanTepTinKetQua: text })
  .transform((result) => ({ hasFile: result.DuongDanTepTinKetQua !== undefined }));

export const dossierSnapshotSchema = z.object({
  MaHoSo: requiredText(64),
  MaTTHC: requiredText(64),
  TenTTHC: optionalText(512),
  MaLinhVuc: requiredText(64),
  TenLinhVuc: optionalText(512),
  KenhThucHien: codeIn([1, 2, 3], "channel"),
  TrangThaiHoSo: status,
  NgayTiepNhan: date,
  NgayHenTra: date,
  NgayKetThucXuLy: date,
  NgayTra: date,
  NgayTuChoi: date,
  NgayNopHoSo: date,
  HinhThuc: codeIn([0, 1], "return form"),
  HoSoCoThanhPhanSoHoa: flag,
  DuocThanhToanTrucTuyen: codeIn([0, 1, 2, 3], "online payment code"),
  TaiLieuNop: list(componentSchema, 500),
  DanhSachLePhi: list(feeSchema, 100),
  DanhSachHoSoBoSung: list(supplementSchema, 50),
  DanhSachGiayToKetQua: list(resultSchema, 500),
});
export type DossierSnapshot = z.infer<typeof dossierSnapshotSchema>;

export const progressEntrySchema = z.object({
  MaHoSo: requiredText(64),
  TrangThai: status,
  ThoiDiemXuLy: date.pipe(z.number({ error: "required" })),
});
export type ProgressEntry = z.infer<typeof progressEntrySchema>;

export const SERVICES = ["DongBoHoSoMC", "CapNhatTienDoHoSoMC", "TraCuuHoSo"] as const;
export type Service = (typeof SERVICES)[number];

/** The request envelope; items are checked one by one afterwards, so one bad item fails alone. */
export const syncEnvelopeSchema = z.object({
  session: z.string().max(512).optional(),
  madonvi: text.pipe(z.string().max(64).optional()),
  service: z.enum(SERVICES, { error: `service must be one of ${SERVICES.join(", ")}` }),
});

export const snapshotBatchSchema = z.object({
  data: z.array(z.unknown()).min(1).max(MAX_SNAPSHOTS_PER_REQUEST),
});
export const progressBatchSchema = z.object({
  data: z.array(z.unknown()).min(1).max(MAX_PROGRESS_ENTRIES_PER_REQUEST),
});
export const lookupSchema = z.object({ mahoso: requiredText(64) });

export const loginSchema = z.object({
  username: z.string().max(256),
  password: z.string().max(1024),
});

/** The item's `MaHoSo` as text, for the answer of an item that fails the schema. */
export function dossierCodeOf(raw: unknown): string {
  if (raw !== null && typeof raw === "object" && "MaHoSo" in raw) {
    const code = (raw as { MaHoSo: unknown }).MaHoSo;
    if (typeof code === "string" || typeof code === "number") return String(code).slice(0, 64);
  }
  return "";
}
