/**
 * Preview and issue (docs/editions.md#freezing): the report built from the aggregates as they are
 * now, rendered with the edition's texts, numbers and document block through the one report
 * renderer; an issue freezes those files under keys written once, records each file's SHA-256 and
 * the Form II.06a totals it froze, from which `drift` is computed on every read.
 */
import { randomUUID } from "node:crypto";
import { ContractError } from "../api/http";
import { CONTENT_TYPES, type ReportFile, type ReportFormat } from "../reports/ports";
import { renderCommuneFiles, renderProvinceFiles } from "../reports/publish";
import { computeCommuneReport, computeProvinceReport } from "../reports/service";
import {
  driftOf,
  type EditionRecord,
  type FigureTotals,
  type IssuedFile,
  missingForIssue,
  periodKey,
} from "./edition";
import {
  auditOf,
  communeNumbers,
  type EditionDeps,
  type EditionTarget,
  nowOf,
  readEdition,
  refuse,
  type WriteContext,
} from "./service";

export const DEFAULT_EDITION_LINK_SECONDS = 15 * 60;

/** The files of a unit's report as of now, rendered with the edition, and the totals they hold. */
export async function renderEditionFiles(
  deps: EditionDeps,
  target: EditionTarget,
  record: EditionRecord,
  formats?: readonly ReportFormat[],
): Promise<{ files: ReportFile[]; figures: FigureTotals; asOf: string }> {
  const now = nowOf(deps);
  const reportDeps = { aggregates: deps.aggregates, now: () => now, readConcurrency: deps.readConcurrency };
  const edition = { texts: record.texts, numbers: record.numbers, document: record.document };
  if (target.unit.kind === "commune") {
    const { report } = await computeCommuneReport(reportDeps, target.unit.code, { period: target.period });
    const files = await renderCommuneFiles(report, edition, formats);
    return { files, figures: totalsOf(report.dossiers.total), asOf: now.toISOString() };
  }
  const { report } = await computeProvinceReport(reportDeps, target.unit.code, { period: target.period });
  const files = await renderProvinceFiles(report, edition, formats);
  return { files, figures: totalsOf(report.total), asOf: now.toISOString() };
}

function totalsOf(row: {
  received: { total: number };
  resolved: { total: number };
  pending: { total: number };
}) {
  return { received: row.received.total, resolved: row.resolved.total, pending: row.pending.total };
}

/** The live Form II.06a totals of a unit's period (for drift). */
export async function liveTotals(deps: EditionDeps, target: EditionTarget): Promise<FigureTotals> {
  const now = nowOf(deps);
  const reportDeps = { aggregates: deps.aggregates, now: () => now, readConcurrency: deps.readConcurrency };
  if (target.unit.kind === "commune") {
    const { report } = await computeCommuneReport(reportDeps, target.unit.code, { period: target.period });
    return totalsOf(report.dossiers.total);
  }
  const { report } = await computeProvinceReport(reportDeps, target.unit.code, { period: target.period });
  return totalsOf(report.total);
}

/** `bao-cao-10621-2023-e1.docx`: the name a browser saves. */
export function editionFileName(
  record: Pick<EditionRecord, "unit" | "period" | "edition">,
  format: ReportFormat,
) {
  const kind = record.unit.length === 2 ? "tong-hop" : "bao-cao";
  return `${kind}-${record.unit}-${periodKey(record.period)}-e${record.edition}.${format}`;
}

/** `POST …/preview`: the Word document (a province: the workbook) of the current revision, live figures. */
export async function previewEdition(deps: EditionDeps, target: EditionTarget): Promise<{ url: string }> {
  const record = await readEdition(deps, target);
  const format: ReportFormat = target.unit.kind === "commune" ? "docx" : "xlsx";
  const { files } = await renderEditionFiles(deps, target, record, [format]);
  const file = files[0]!;
  const key = `editions/previews/${record.unit}/${periodKey(record.period)}/${randomUUID()}.${format}`;
  await deps.files.putTemporary(key, file.body, CONTENT_TYPES[format], editionFileName(record, format));
  const url = await deps.files.presign(key, deps.linkSeconds ?? DEFAULT_EDITION_LINK_SECONDS, nowOf(deps));
  return { url };
}

/**
 * `POST …/issue` at revision `expected`: refused unless the current draft is at that revision and
 * complete; then the files are rendered, stored once each (a fresh attempt id in their keys) and
 * the edition marked issued in one transaction with its audit record. Issuing again at the same
 * revision answers the edition already issued, with the same files.
 */
export async function issueEdition(
  deps: EditionDeps,
  target: EditionTarget,
  expected: number,
  context: WriteContext,
): Promise<EditionRecord> {
  const current = await readEdition(deps, target);
  if (current.status !== "draft") {
    if (current.status === "issued" && current.revision === expected) return current;
    throw refuse.issued();
  }
  if (current.revision !== expected) throw refuse.conflict(current);
  const missing = missingForIssue(current);
  if (missing.length > 0) {
    throw new ContractError(400, "edition_incomplete", `an issue needs ${missing.join(", ")}`, { missing });
  }
  const { files, figures, asOf } = await renderEditionFiles(deps, target, current);
  // Issued files cannot be deleted (Object Lock): read the head again after the render, so an issue
  // a save or another issuer overtook writes nothing. Only a change between this read and the
  // commit below can still leave files no edition references (docs/editions.md#freezing).
  const head = await readEdition(deps, target);
  if (head.status !== "draft" || head.revision !== expected) {
    if (head.status === "issued" && head.revision === expected) return head;
    throw head.status === "draft" ? refuse.conflict(head) : refuse.issued();
  }
  const attempt = randomUUID();
  const base = `editions/issued/${current.unit}/${periodKey(current.period)}/e${current.edition}-r${current.revision}-${attempt}`;
  const stored: IssuedFile[] = await Promise.all(
    files.map((file) => {
      const name = editionFileName(current, file.format);
      return deps.files.putOnce(`${base}/${name}`, file, name);
    }),
  );
  const at = nowOf(deps).toISOString();
  const record: EditionRecord = {
    ...current,
    status: "issued",
    issued: { at, by: { name: context.actor.name }, figuresAsOf: asOf, files: stored, figures },
  };
  const outcome = await deps.editions.issue(record, expected, auditOf(context, "edition.issue", record, at));
  if (outcome.ok) return outcome.record;
  // Issued meanwhile by the same request retried (or a twin): the same answer, its files.
  if (outcome.current?.status === "issued" && outcome.current.revision === expected) return outcome.current;
  if (outcome.reason === "conflict") throw refuse.conflict(outcome.current);
  throw refuse.issued();
}

/** An edition as the API answers it: the contract's shape, file URLs presigned, drift when issued. */
export async function editionView(
  deps: EditionDeps,
  target: EditionTarget,
  record: EditionRecord,
  options: { drift?: boolean } = {},
) {
  const now = nowOf(deps);
  const { period } = record;
  const view: Record<string, unknown> = {
    unit: record.unit,
    year: period.year,
    period: period.kind,
    ...(period.kind === "quarter" ? { quarter: period.quarter } : {}),
    ...(period.kind === "month" ? { month: period.month } : {}),
    edition: record.edition,
    status: record.status,
    revision: record.revision,
    savedAt: record.savedAt,
    savedBy: record.savedBy,
    ...(record.carriedFrom ? { carriedFrom: record.carriedFrom } : {}),
    ...(record.corrects !== undefined ? { corrects: record.corrects } : {}),
    texts: record.texts,
    numbers: record.numbers,
    document: record.document,
  };
  if (record.issued) {
    const { at, by, figuresAsOf, files, figures } = record.issued;
    const seconds = deps.linkSeconds ?? DEFAULT_EDITION_LINK_SECONDS;
    view.issued = {
      at,
      by,
      figuresAsOf,
      figures,
      files: await Promise.all(
        files.map(async (file) => ({
          format: file.format,
          url: await deps.files.presign(file.key, seconds, now),
          sha256: file.sha256,
          size: file.size,
        })),
      ),
    };
    if (options.drift ?? true) view.drift = driftOf(await liveTotals(deps, target), figures);
  }
  if (target.unit.kind === "province") {
    view.fromCommunes = await communeNumbers(deps, target.unit.code, period);
  }
  return view;
}
