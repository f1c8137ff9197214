/** exceljs's in-memory workbook alone (see exceljs-workbook.ts): the class the package's types describe. */
declare module "exceljs/lib/doc/workbook.js" {
  const Workbook: typeof import("exceljs").Workbook;
  export default Workbook;
}
