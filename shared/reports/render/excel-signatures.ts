/**
 * An edition's names under the workbook's signature blocks (docs/editions.md#rendering): the
 * preparer under "NGƯỜI LẬP BIỂU", the signer under the head of unit. Called with one line at the
 * end of each workbook renderer, so the sheets themselves stay as they are: it finds the blocks by
 * their captions ("(Ký, ghi rõ họ tên)", "(Ký, đóng dấu, ghi rõ họ tên)") and writes each name four
 * rows below (room for the signature), across the caption's merged width.
 */
import type ExcelJS from "exceljs";
import type { EditionDocument } from "../../editions/edition";

export const PREPARER_CAPTION = "(Ký, ghi rõ họ tên)";
export const SIGNER_CAPTION = "(Ký, đóng dấu, ghi rõ họ tên)";
/** Rows between a caption and the name under it. */
const SIGNATURE_ROWS = 4;

export interface WorkbookSignatures {
  document: EditionDocument;
}

export function signWorkbook(wb: ExcelJS.Workbook, signatures: WorkbookSignatures | undefined): void {
  if (!signatures) return;
  const { preparerName, signerName } = signatures.document;
  wb.eachSheet((ws) => {
    const captions: { row: number; col: number; name: string }[] = [];
    ws.eachRow((row, rowNumber) => {
      row.eachCell((cell, colNumber) => {
        if (cell.isMerged && cell.master !== cell) return;
        if (cell.value === PREPARER_CAPTION && preparerName)
          captions.push({ row: rowNumber, col: colNumber, name: preparerName });
        if (cell.value === SIGNER_CAPTION && signerName)
          captions.push({ row: rowNumber, col: colNumber, name: signerName });
      });
    });
    for (const caption of captions) writeNameBelow(ws, caption.row, caption.col, caption.name);
  });
}

function writeNameBelow(ws: ExcelJS.Worksheet, row: number, col: number, name: string): void {
  const master = ws.getCell(row, col);
  let last = col;
  while (ws.getCell(row, last + 1).isMerged && ws.getCell(row, last + 1).master === master) last += 1;
  const target = row + SIGNATURE_ROWS;
  const free = Array.from({ length: last - col + 1 }, (_, i) => ws.getCell(target, col + i)).every(
    (cell) => !cell.isMerged && (cell.value === null || cell.value === undefined),
  );
  if (!free) return;
  if (last > col) ws.mergeCells(target, col, target, last);
  const cell = ws.getCell(target, col);
  cell.value = name;
  cell.font = { name: "Times New Roman", size: 12, bold: true };
  cell.alignment = { horizontal: "center", vertical: "middle" };
}
