/**
 * Publishing a report: compute it (service.ts), render its files (Word, Excel) and upload them. In a
 * module of its own so that the functions that only compute or plan (figures, the dispatcher) do not
 * bundle the renderers and their dependencies (exceljs, docx: docs/benchmarks.md#cold-starts).
 *
 * The renderers are imported on first use, as `#renderers` (shared/reports/render/renderers.ts): in
 * a Lambda bundle they are a file of their own, parsed only by the invocation that renders.
 */
import type { CommuneReport, ProvinceReport } from "./model";
import type { ReportFile, ReportTarget, StoredReport } from "./ports";
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

/** The three files of a commune report: `report.v1` JSON, the Excel workbook, the Word draft. */
export async function renderCommuneFiles(report: CommuneReport): Promise<ReportFile[]> {
  const { renderCommuneWorkbook, renderCommuneDocument } = await import("#renderers");
  const [xlsx, docx] = await Promise.all([renderCommuneWorkbook(report), renderCommuneDocument(report)]);
  return [
    { format: "json", body: Buffer.from(`${JSON.stringify(report, null, 2)}\n`, "utf8") },
    { format: "xlsx", body: xlsx },
    { format: "docx", body: docx },
  ];
}

/** Builds, checks, renders and uploads a province roll-up (JSON and Excel). */
export async function publishProvinceReport(
  deps: ReportDeps,
  provinceCode: string,
  request: PeriodRequest,
): Promise<PublishedProvinceReport> {
  const { target, report } = await computeProvinceReport(deps, provinceCode, request);
  const { renderProvinceWorkbook } = await import("#renderers");
  const files: ReportFile[] = [
    { format: "json", body: Buffer.from(`${JSON.stringify(report, null, 2)}\n`, "utf8") },
    { format: "xlsx", body: await renderProvinceWorkbook(report) },
  ];
  const stored = await deps.store.save(target, files);
  return { target, report, stored };
}
