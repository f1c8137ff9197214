/**
 * Publishing a report: compute it (service.ts), render its files (Word, Excel) and upload them. In a
 * module of its own so that the functions that only compute or plan (figures, the dispatcher) do not
 * bundle the renderers and their dependencies (exceljs, docx: docs/benchmarks.md#cold-starts).
 *
 * The renderers are imported on first use, as `#renderers` (shared/reports/render/renderers.ts): in
 * a Lambda bundle they are a file of their own, parsed only by the invocation that renders.
 */
import type { EditionContent } from "../editions/edition";
import type { CommuneReport, ProvinceReport } from "./model";
import type { ReportFile, ReportFormat, ReportTarget, StoredReport } from "./ports";
import { computeCommuneReport, computeProvinceReport, type PeriodRequest, type ReportDeps } from "./service";

export interface PublishedCommuneReport {
  target: ReportTarget & { kind: "commune" };
  report: CommuneReport;
  stored: StoredReport[];
}

export interface PublishedProvinceReport {
  target: ReportTarget & { kind: "province" };
  report: ProvinceReport;
  stored: StoredReport[];
}

/** Builds, checks, renders and uploads a commune's report (replacing an earlier build). */
export async function publishCommuneReport(
  deps: ReportDeps,
  communeCode: string,
  request: PeriodRequest,
): Promise<PublishedCommuneReport> {
  const { target, report } = await computeCommuneReport(deps, communeCode, request);
  const files = await renderCommuneFiles(report);
  const stored = await deps.store.save(target, files);
  return { target, report, stored };
}

/**
 * The three files of a commune report: `report.v1` JSON, the Excel workbook, the Word draft. With an
 * edition (docs/editions.md) the same renderer writes its texts, numbers and document block (the
 * JSON then carries it as `edition`): drafts, previews and issued files take this one path.
 */
export async function renderCommuneFiles(
  report: CommuneReport,
  edition?: EditionContent,
  formats: readonly ReportFormat[] = ["json", "xlsx", "docx"],
): Promise<ReportFile[]> {
  const { renderCommuneWorkbook, renderCommuneDocument } = await import("#renderers");
  const render: Record<ReportFormat, () => Promise<Buffer>> = {
    json: async () => jsonFile(edition ? { ...report, edition } : report),
    xlsx: () => renderCommuneWorkbook(report, workbookOptions(edition)),
    docx: () => renderCommuneDocument(report, edition ? { edition } : {}),
  };
  return Promise.all(formats.map(async (format) => ({ format, body: await render[format]() })));
}

/** A province roll-up's files (JSON and the workbook), with an edition as for a commune. */
export async function renderProvinceFiles(
  report: ProvinceReport,
  edition?: EditionContent,
  formats: readonly ReportFormat[] = ["json", "xlsx"],
): Promise<ReportFile[]> {
  const { renderProvinceWorkbook } = await import("#renderers");
  const render: Partial<Record<ReportFormat, () => Promise<Buffer>>> = {
    json: async () => jsonFile(edition ? { ...report, edition } : report),
    xlsx: () => renderProvinceWorkbook(report, workbookOptions(edition)),
  };
  return Promise.all(
    formats.flatMap((format) => {
      const build = render[format];
      return build ? [build().then((body) => ({ format, body }))] : [];
    }),
  );
}

const workbookOptions = (edition: EditionContent | undefined) =>
  edition
    ? {
        signatures: { document: edition.document },
        ...(edition.document.date ? { issuedOn: edition.document.date } : {}),
      }
    : {};

const jsonFile = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8");

/** Builds, checks, renders and uploads a province roll-up (JSON and Excel). */
export async function publishProvinceReport(
  deps: ReportDeps,
  provinceCode: string,
  request: PeriodRequest,
): Promise<PublishedProvinceReport> {
  const { target, report } = await computeProvinceReport(deps, provinceCode, request);
  const files = await renderProvinceFiles(report);
  const stored = await deps.store.save(target, files);
  return { target, report, stored };
}
