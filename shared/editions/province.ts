/**
 * The province's panel (docs/editions.md#the-province): every commune the registry places in the
 * province for the period with the status of its edition, its Excel export, and one ZIP of every
 * issued commune report (Word and Excel).
 */
import { randomUUID } from "node:crypto";
import type { PeriodSpec } from "../domain/calendar";
import { mapLimited } from "../map-limited";
import { registryDateOf } from "../reports/build-model";
import { CONTENT_TYPES } from "../reports/ports";
import type { ZipEntry } from "../reports/render/zip";
import { computeProvinceReport, resolveRequest } from "../reports/service";
import { communesOfProvince } from "../units/registry";
import { driftOf, type EditionRecord, periodKey } from "./edition";
import { DEFAULT_EDITION_LINK_SECONDS } from "./issue";
import type { CommuneEditionRow, CommuneEditionStatus, ProvinceEditions } from "./province-status";
import { type EditionDeps, nowOf } from "./service";

export type { CommuneEditionRow, CommuneEditionStatus, ProvinceEditions };

const STATUS_ORDER: Record<CommuneEditionStatus, number> = { none: 0, draft: 1, superseded: 2, issued: 3 };

/**
 * `GET /v1/editions?provinceCode&year`: one row per commune, those not issued first (then by code).
 * A draft correction of an issued report counts as issued (the issued one stands until replaced).
 */
export async function provinceEditions(
  deps: EditionDeps,
  provinceCode: string,
  period: PeriodSpec,
): Promise<ProvinceEditions> {
  const resolved = resolveRequest({ period }, nowOf(deps));
  const communes = communesOfProvince(provinceCode, registryDateOf(resolved));
  const current = await deps.editions.currentOf(
    communes.map((c) => c.code),
    period,
  );
  const standing = new Map<string, EditionRecord>();
  await mapLimited(communes, 16, async (commune) => {
    const record = current.get(commune.code);
    const issued =
      record?.status === "issued"
        ? record
        : record?.corrects !== undefined
          ? await deps.editions.edition(commune.code, period, record.corrects)
          : undefined;
    if (issued?.issued) standing.set(commune.code, issued);
  });
  const live = standing.size > 0 ? await liveByCommune(deps, provinceCode, period) : new Map();
  const rows: CommuneEditionRow[] = communes.map((commune) => {
    const record = current.get(commune.code);
    const issued = standing.get(commune.code);
    const shown = issued ?? record;
    const liveTotals = live.get(commune.code);
    return {
      communeCode: commune.code,
      communeName: commune.name,
      status: issued ? "issued" : (record?.status ?? "none"),
      ...(shown ? { edition: shown.edition, savedAt: shown.savedAt } : {}),
      ...(shown?.document.number ? { number: shown.document.number } : {}),
      ...(shown?.document.date ? { date: shown.document.date } : {}),
      ...(issued?.issued ? { issuedBy: issued.issued.by.name } : {}),
      ...(issued?.issued && liveTotals ? { drift: driftOf(liveTotals, issued.issued.figures) } : {}),
    };
  });
  rows.sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.communeCode.localeCompare(b.communeCode),
  );
  return {
    provinceCode,
    year: period.year,
    period: period.kind,
    communes: rows,
    issued: standing.size,
    total: communes.length,
  };
}

/** Each commune's live Form II.06a totals, from one province roll-up. */
async function liveByCommune(deps: EditionDeps, provinceCode: string, period: PeriodSpec) {
  const now = nowOf(deps);
  const { report } = await computeProvinceReport(
    { aggregates: deps.aggregates, now: () => now, readConcurrency: deps.readConcurrency },
    provinceCode,
    { period },
  );
  return new Map(
    report.communes.map((c) => [
      c.communeCode,
      { received: c.received.total, resolved: c.resolved.total, pending: c.pending.total },
    ]),
  );
}

/** `GET /v1/editions?…&format=xlsx`: the panel's workbook, as a presigned URL. */
export async function exportProvinceEditions(
  deps: EditionDeps,
  provinceCode: string,
  period: PeriodSpec,
): Promise<{ url: string }> {
  const { renderProvinceEditionsWorkbook } = await import("#renderers");
  const body = await renderProvinceEditionsWorkbook(await provinceEditions(deps, provinceCode, period));
  const key = `editions/previews/${provinceCode}/${periodKey(period)}/${randomUUID()}.xlsx`;
  await deps.files.putTemporary(
    key,
    body,
    CONTENT_TYPES.xlsx,
    `bao-cao-cac-xa-${provinceCode}-${periodKey(period)}.xlsx`,
  );
  return {
    url: await deps.files.presign(key, deps.linkSeconds ?? DEFAULT_EDITION_LINK_SECONDS, nowOf(deps)),
  };
}

/** "10621 Xã Quốc Tuấn.docx": code and name, no characters a file system refuses. */
export function bundleFileName(communeCode: string, communeName: string, format: string): string {
  return `${communeCode} ${communeName.replace(/[\\/:*?"<>|]/g, "-")}.${format}`;
}

/** `GET /v1/editions/bundle`: one ZIP of every issued commune report (Word and Excel). */
export async function provinceBundle(
  deps: EditionDeps,
  provinceCode: string,
  period: PeriodSpec,
): Promise<{ url: string; files: number }> {
  const resolved = resolveRequest({ period }, nowOf(deps));
  const communes = communesOfProvince(provinceCode, registryDateOf(resolved));
  const current = await deps.editions.currentOf(
    communes.map((c) => c.code),
    period,
  );
  const entries: ZipEntry[] = [];
  await mapLimited(communes, 8, async (commune) => {
    let record = current.get(commune.code);
    if (record && record.status !== "issued" && record.corrects !== undefined) {
      record = await deps.editions.edition(commune.code, period, record.corrects);
    }
    if (record?.status !== "issued" || !record.issued) return;
    for (const file of record.issued.files) {
      if (file.format === "json") continue;
      entries.push({
        name: bundleFileName(commune.code, commune.name, file.format),
        body: await deps.files.read(file.key),
      });
    }
  });
  const { renderZip } = await import("#renderers");
  const body = await renderZip(entries);
  const key = `editions/previews/${provinceCode}/${periodKey(period)}/${randomUUID()}.zip`;
  await deps.files.putTemporary(
    key,
    body,
    "application/zip",
    `bao-cao-${provinceCode}-${periodKey(period)}.zip`,
  );
  return {
    url: await deps.files.presign(key, deps.linkSeconds ?? DEFAULT_EDITION_LINK_SECONDS, nowOf(deps)),
    files: entries.length,
  };
}
