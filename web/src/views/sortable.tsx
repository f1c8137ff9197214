/** Sorting state for tables whose column headers are buttons (aria-sort on the header cell). */
import { useState } from "preact/hooks";

export type SortDirection = "ascending" | "descending";
export interface Sort<K extends string> {
  key: K;
  direction: SortDirection;
}

export function useSort<K extends string>(initial: Sort<K>) {
  const [sort, setSort] = useState<Sort<K>>(initial);
  const toggle = (key: K) =>
    setSort((s) => ({
      key,
      direction: s.key === key && s.direction === "ascending" ? "descending" : "ascending",
    }));
  return { sort, toggle };
}

/** Compares with nulls always last, whatever the direction. */
export function compareValues(
  a: string | number | null | undefined,
  b: string | number | null | undefined,
  direction: SortDirection,
): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  const order =
    typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b), "vi");
  return direction === "ascending" ? order : -order;
}

export function SortHeader<K extends string>(props: {
  label: string;
  column: K;
  sort: Sort<K>;
  onSort: (key: K) => void;
}) {
  const active = props.sort.key === props.column;
  return (
    <th scope="col" aria-sort={active ? props.sort.direction : "none"}>
      <button type="button" class="sort" onClick={() => props.onSort(props.column)}>
        {props.label}
        <span aria-hidden="true">{active ? (props.sort.direction === "ascending" ? " ▲" : " ▼") : " ↕"}</span>
      </button>
    </th>
  );
}
