/**
 * exceljs's in-memory Workbook, without the rest of the package's entry: `exceljs` also loads its
 * streaming reader and writer (unzipper, archiver, tmp, bluebird: ≈ 300 KB in a bundle) that the
 * reports never use. Same class, same output (`xlsx.writeBuffer`).
 */
import WorkbookClass from "exceljs/lib/doc/workbook.js";

export const Workbook = WorkbookClass;
