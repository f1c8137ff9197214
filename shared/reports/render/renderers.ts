/**
 * The renderers, as one module loaded on first use (shared/reports/publish.ts imports it as
 * `#renderers`, package.json "imports"). In a Lambda bundle it is a file of its own next to
 * `index.mjs` (infra/constructs/node-function.ts, `FUNCTION_BUNDLING.chunks`): exceljs and docx
 * (≈ 750 KB) are then parsed only by the invocation that renders, not at every cold start of the
 * functions that can render (links answers the portal's GET routes far more often than it builds).
 */

export { renderProvinceEditionsWorkbook } from "./editions-workbook";
export { renderCommuneWorkbook, renderProvinceWorkbook } from "./excel-workbook";
export { renderCommuneDocument } from "./word-document";
export { renderZip } from "./zip";
