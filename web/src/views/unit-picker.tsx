import { useMemo, useState } from "preact/hooks";
import { formatCount, matchesSearch } from "../format";
import type { UnitsInScope } from "../model";
import { type ViewState, viewStateQuery } from "../view-state";

const MAX_RESULTS = 30;

/**
 * The units the access code may read: a search box over provinces and communes (any case, with or
 * without diacritics: "quoc tuan" finds "Xã Quốc Tuấn") and the matches as links.
 */
export function UnitPicker(props: {
  units: UnitsInScope | null;
  view: ViewState;
  onPick: (unit: string) => void;
  /** Whose scope the list is: "mã truy cập" (an access code) or "quyền của bạn" (a person's grant). */
  scope?: string;
}) {
  const [query, setQuery] = useState("");
  const { units } = props;
  const provinceNames = useMemo(() => new Map(units?.provinces.map((p) => [p.code, p.name])), [units]);

  const matches = useMemo(() => {
    if (!units) return [];
    const all = [
      ...units.provinces.map((p) => ({ code: p.code, name: p.name, detail: "" })),
      ...units.communes.map((c) => ({
        code: c.code,
        name: c.name,
        detail: [c.districtName, provinceNames.get(c.provinceCode)].filter(Boolean).join(", "),
      })),
    ];
    const q = query.trim();
    const found = q
      ? all.filter((u) => u.code === q || matchesSearch(`${u.name} ${u.detail}`, q))
      : all.length <= MAX_RESULTS
        ? all
        : units.provinces.map((p) => ({ code: p.code, name: p.name, detail: "" }));
    return found.slice(0, MAX_RESULTS);
  }, [units, query, provinceNames]);

  const total = units ? units.provinces.length + units.communes.length : 0;
  return (
    <div class="unit-picker">
      <label for="unit-search">Tìm đơn vị (xã, phường, tỉnh)</label>
      <input
        id="unit-search"
        type="search"
        placeholder="ví dụ: quoc tuan"
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
        aria-controls="unit-results"
        autocomplete="off"
      />
      {!units ? (
        <p class="muted">Đang tải danh sách đơn vị…</p>
      ) : (
        <>
          <p class="muted" aria-live="polite">
            {query.trim()
              ? `${matches.length === MAX_RESULTS ? `${MAX_RESULTS}+` : matches.length} kết quả`
              : `${formatCount(total)} đơn vị trong phạm vi ${props.scope ?? "mã truy cập"}`}
          </p>
          <ul id="unit-results" class="unit-results">
            {matches.map((u) => (
              <li key={u.code}>
                <a
                  href={`/?${viewStateQuery({ ...props.view, unit: u.code })}`}
                  aria-current={props.view.unit === u.code ? "page" : undefined}
                  onClick={(e) => {
                    if (e.ctrlKey || e.metaKey || e.shiftKey) return;
                    e.preventDefault();
                    setQuery("");
                    props.onPick(u.code);
                  }}
                >
                  {u.name}
                </a>
                {u.detail && <span class="muted"> — {u.detail}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
