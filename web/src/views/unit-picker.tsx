import { useEffect, useMemo, useState } from "preact/hooks";
import { formatCount, matchesSearch } from "../format";
import type { UnitsInScope } from "../model";
import { inPageClick, type ViewState, viewStateQuery } from "../view-state";

const MAX_RESULTS = 30;
/** Typing pauses this long before a search goes to the server. */
const SEARCH_DELAY_MS = 200;

interface Match {
  code: string;
  name: string;
  detail: string;
}

/**
 * The units the access code may read: a search box over provinces and communes (any case, with or
 * without diacritics: "quoc tuan" finds "Xã Quốc Tuấn") and the matches as links. A short list (a
 * commune's or a small scope's) came whole at sign-in and is searched here; a long one (a province,
 * the country) is searched on the server (`GET /v1/units?q=…`), so sign-in never downloads it.
 */
export function UnitPicker(props: {
  units: UnitsInScope | null;
  view: ViewState;
  onPick: (unit: string) => void;
  /** The server's search of the units (for a list that did not come whole). */
  search: (q: string, limit: number) => Promise<UnitsInScope>;
  /** Whose scope the list is: "mã truy cập" (an access code) or "quyền của bạn" (a person's grant). */
  scope?: string;
}) {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<{ q: string; units: UnitsInScope } | null>(null);
  const { units, search } = props;
  const provinceNames = useMemo(() => new Map(units?.provinces.map((p) => [p.code, p.name])), [units]);
  const q = query.trim();
  const remote = units !== null && !units.complete;

  useEffect(() => {
    if (!remote || !q) return;
    let live = true;
    const timer = setTimeout(() => {
      search(q, MAX_RESULTS).then(
        (answer) => live && setFound({ q, units: answer }),
        () =>
          live && setFound({ q, units: { ...units, provinces: [], communes: [], total: 0, complete: true } }),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [remote, q, search, units]);

  const toMatches = (list: UnitsInScope): Match[] => [
    ...list.provinces.map((p) => ({ code: p.code, name: p.name, detail: "" })),
    ...list.communes.map((c) => ({
      code: c.code,
      name: c.name,
      detail: [c.districtName, provinceNames.get(c.provinceCode)].filter(Boolean).join(", "),
    })),
  ];

  const matches = useMemo((): Match[] | null => {
    if (!units) return [];
    if (remote) {
      if (!q) return units.provinces.map((p) => ({ code: p.code, name: p.name, detail: "" }));
      // Still searching: null until the server's answer for this very query arrives.
      return found?.q === q ? toMatches(found.units).slice(0, MAX_RESULTS) : null;
    }
    const all = toMatches(units);
    const hits = q
      ? all.filter((u) => u.code === q || matchesSearch(`${u.name} ${u.detail}`, q))
      : all.length <= MAX_RESULTS
        ? all
        : units.provinces.map((p) => ({ code: p.code, name: p.name, detail: "" }));
    return hits.slice(0, MAX_RESULTS);
  }, [units, q, remote, found, provinceNames]);

  const total = units ? units.provinces.length + units.total : 0;
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
            {!q
              ? `${formatCount(total)} đơn vị trong phạm vi ${props.scope ?? "mã truy cập"}`
              : matches === null
                ? "Đang tìm…"
                : `${matches.length === MAX_RESULTS ? `${MAX_RESULTS}+` : matches.length} kết quả`}
          </p>
          <ul id="unit-results" class="unit-results">
            {(matches ?? []).map((u) => (
              <li key={u.code}>
                <a
                  href={`/?${viewStateQuery({ ...props.view, unit: u.code })}`}
                  aria-current={props.view.unit === u.code ? "page" : undefined}
                  onClick={inPageClick(() => {
                    setQuery("");
                    props.onPick(u.code);
                  })}
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
