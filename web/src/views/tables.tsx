/**
 * The report's tables as HTML, from the very header definitions the Word and Excel renderers use
 * (shared/reports/render/table-layouts.ts): same grouped headers, same numbered columns, same number style.
 */
import {
  columnNumbers,
  formII06aHeader,
  formII06aValues,
  type HeaderNode,
  isRate,
  layoutHeader,
  type TableValue,
} from "../../../shared/reports/render/table-layouts";
import { formatCount, formatRate } from "../format";
import type { FormRow } from "../model";

export function HeaderRows(props: { header: HeaderNode[]; overrides?: Record<number, string> }) {
  const layout = layoutHeader(props.header);
  const rows = Array.from({ length: layout.depth }, (_, r) => layout.cells.filter((c) => c.row === r));
  return (
    <thead>
      {rows.map((cells, r) => (
        <tr key={r}>
          {cells.map((c) => (
            <th
              key={`${c.row}-${c.col}`}
              scope={c.colSpan > 1 ? "colgroup" : "col"}
              colSpan={c.colSpan}
              rowSpan={c.rowSpan}
            >
              {c.label}
            </th>
          ))}
        </tr>
      ))}
      <tr class="column-numbers">
        {columnNumbers(layout.leafCount, props.overrides).map((n) => (
          <th key={n} scope="col">
            {n}
          </th>
        ))}
      </tr>
    </thead>
  );
}

const cell = (v: TableValue) => (isRate(v) ? formatRate(v) : formatCount(v));

/** Form II.06a/VPCP/KSTT: one row per field (or per commune) and the total, 13 numbered columns. */
export function FormII06aTable(props: {
  caption: string;
  secondColumn?: string;
  rows: { key: string; label: preact.ComponentChildren; row: FormRow }[];
  total: FormRow;
}) {
  return (
    <div class="table-scroll">
      <table class="form-table" data-table="form-ii06a">
        <caption>{props.caption}</caption>
        <HeaderRows header={formII06aHeader(props.secondColumn)} />
        <tbody>
          {props.rows.map((r, i) => (
            <tr key={r.key}>
              <td class="num">{i + 1}</td>
              <th scope="row">{r.label}</th>
              {formII06aValues(r.row).map((v, j) => (
                <td key={j} class="num">
                  {formatCount(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr class="total" data-row="total">
            <td />
            <th scope="row">Tổng số</th>
            {formII06aValues(props.total).map((v, j) => (
              <td key={j} class="num">
                {formatCount(v)}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** A one-row numbered table (feedback, digitization) in the report's layout. */
export function NumberedTable(props: {
  caption: string;
  header: HeaderNode[];
  overrides?: Record<number, string>;
  rowLabel: string;
  values: TableValue[];
}) {
  return (
    <div class="table-scroll">
      <table class="form-table">
        <caption>{props.caption}</caption>
        <HeaderRows header={props.header} overrides={props.overrides} />
        <tbody>
          <tr>
            <td class="num">1</td>
            <th scope="row">{props.rowLabel}</th>
            {props.values.map((v, j) => (
              <td key={j} class="num">
                {cell(v)}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
