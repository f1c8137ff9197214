import { useMemo, useState } from "preact/hooks";
import {
  apologyLabel,
  DOSSIER_LIST_COLUMNS,
  daysLate,
  lateUntil,
} from "../../../shared/reports/render/table-layouts";
import { formatCount, formatDate, matchesSearch } from "../format";
import type { DossierListEntry, ReportPeriod } from "../model";
import { compareValues, SortHeader, useSort } from "./sortable";

type Column =
  | "dossierCode"
  | "fieldName"
  | "procedureCode"
  | "procedureName"
  | "receivedAt"
  | "dueAt"
  | "resolvedAt"
  | "daysLate"
  | "apology";
const COLUMNS: Column[] = [
  "dossierCode",
  "fieldName",
  "procedureCode",
  "procedureName",
  "receivedAt",
  "dueAt",
  "resolvedAt",
  "daysLate",
  "apology",
];

/** The late or overdue dossiers, as the Excel annex lists them: searchable, sortable by any column. */
export function DossierList(props: {
  id: string;
  title: string;
  entries: DossierListEntry[];
  period: ReportPeriod;
  resolved: boolean;
}) {
  const [query, setQuery] = useState("");
  const { sort, toggle } = useSort<Column>({ key: "daysLate", direction: "descending" });
  const columns = props.resolved ? COLUMNS : COLUMNS.filter((c) => c !== "resolvedAt");
  // DOSSIER_LIST_COLUMNS is the annex's header: STT, then one label per column above, in order.
  const labels = new Map(COLUMNS.map((c, i) => [c, DOSSIER_LIST_COLUMNS[i + 1]!]));

  const rows = useMemo(() => {
    const withDays = props.entries.map((e) => ({
      entry: e,
      daysLate: daysLate(e, lateUntil(e, props.period)),
    }));
    const value = (r: (typeof withDays)[number], key: Column) =>
      key === "daysLate" ? r.daysLate : key === "apology" ? apologyLabel(r.entry) : (r.entry[key] ?? null);
    return withDays
      .filter((r) =>
        matchesSearch(
          [r.entry.dossierCode, r.entry.fieldName, r.entry.procedureCode, r.entry.procedureName ?? ""].join(
            " ",
          ),
          query,
        ),
      )
      .sort((a, b) => compareValues(value(a, sort.key), value(b, sort.key), sort.direction));
  }, [props.entries, props.period, query, sort]);

  return (
    <section class="panel" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>
        {props.title} <span class="count">({formatCount(props.entries.length)})</span>
      </h2>
      {props.entries.length === 0 ? (
        <p class="muted">Không có hồ sơ nào.</p>
      ) : (
        <>
          <label for={`${props.id}-search`}>Tìm trong danh sách</label>
          <input
            id={`${props.id}-search`}
            type="search"
            class="no-print"
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
          <p class="muted" aria-live="polite">
            {formatCount(rows.length)} / {formatCount(props.entries.length)} hồ sơ
          </p>
          <div class="table-scroll list-scroll">
            <table class="list-table" data-list={props.id}>
              <thead>
                <tr>
                  <th scope="col">STT</th>
                  {columns.map((c) => (
                    <SortHeader key={c} label={labels.get(c)!} column={c} sort={sort} onSort={toggle} />
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={r.entry.dossierCode}>
                    <td class="num">{i + 1}</td>
                    <td>{r.entry.dossierCode}</td>
                    <td>{r.entry.fieldName}</td>
                    <td>{r.entry.procedureCode}</td>
                    <td>{r.entry.procedureName ?? ""}</td>
                    <td>{formatDate(r.entry.receivedAt)}</td>
                    <td>{r.entry.dueAt ? formatDate(r.entry.dueAt) : ""}</td>
                    {props.resolved && <td>{r.entry.resolvedAt ? formatDate(r.entry.resolvedAt) : ""}</td>}
                    <td class="num">{r.daysLate === null ? "" : formatCount(r.daysLate)}</td>
                    <td>{apologyLabel(r.entry)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
