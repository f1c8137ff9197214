/**
 * A province roll-up (GET /v1/figures?provinceCode=…): every commune of the province with its
 * figures, lowest on-time rate first (what a reviewer looks for), each linking to its own view.
 */
import { useMemo, useState } from "preact/hooks";
import type { Credential } from "../api";
import { formatCount, formatRate, matchesSearch, onTimeRate, periodLabel, periodRangeLabel } from "../format";
import type { ProvinceFigures } from "../model";
import { inPageClick, type ViewState, viewStateQuery } from "../view-state";
import { Headline, useFigures } from "./commune-view";
import { Downloads } from "./downloads";
import { ProvinceEditionsPanel } from "./edition/province-editions";
import { MonthsChart } from "./months-chart";
import { compareValues, SortHeader, useSort } from "./sortable";

type Column = "communeName" | "received" | "online" | "resolved" | "onTime" | "late" | "overdue";
const COLUMNS: { key: Column; label: string }[] = [
  { key: "communeName", label: "Xã, phường" },
  { key: "received", label: "Tiếp nhận" },
  { key: "online", label: "Tỷ lệ trực tuyến" },
  { key: "resolved", label: "Đã giải quyết" },
  { key: "onTime", label: "Tỷ lệ đúng hạn" },
  { key: "late", label: "Giải quyết quá hạn" },
  { key: "overdue", label: "Đang quá hạn" },
];

export function ProvinceView(props: {
  token: Credential;
  view: ViewState & { unit: string };
  onNavigate: (next: ViewState) => void;
}) {
  const load = useFigures<ProvinceFigures>(props.token, props.view);
  const [query, setQuery] = useState("");
  const [withData, setWithData] = useState(true);
  const { sort, toggle } = useSort<Column>({ key: "onTime", direction: "ascending" });

  const rows = useMemo(() => {
    if (load.state !== "ready") return [];
    return load.data.communes
      .map((c) => ({
        commune: c,
        values: {
          communeName: c.communeName,
          received: c.received.total,
          online: c.onlineReception.percent,
          resolved: c.resolved.total,
          onTime: onTimeRate(c).percent,
          late: c.resolved.late,
          overdue: c.pending.overdue,
        } satisfies Record<Column, string | number | null>,
      }))
      .filter(
        (r) =>
          (!withData || r.commune.received.total > 0) &&
          matchesSearch(`${r.commune.communeName} ${r.commune.communeCode}`, query),
      )
      .sort(
        (a, b) =>
          compareValues(a.values[sort.key], b.values[sort.key], sort.direction) ||
          a.commune.communeCode.localeCompare(b.commune.communeCode),
      );
  }, [load, query, withData, sort]);

  if (load.state === "loading") return <p aria-live="polite">Đang tải số liệu của tỉnh…</p>;
  if (load.state === "error")
    return (
      <p class="error" role="alert">
        {load.message}
      </p>
    );
  const f = load.data;
  const onTime = onTimeRate(f.total);
  return (
    <article class="unit-view" data-view="province" data-unit={f.province.provinceCode}>
      <header class="unit-header">
        <h1>{f.province.provinceName}</h1>
        <p class="period">
          Kỳ báo cáo: <strong>{periodLabel(f.period)}</strong> · {periodRangeLabel(f.period)}
        </p>
      </header>
      <section class="panel" aria-labelledby="headline-title">
        <h2 id="headline-title">Toàn tỉnh</h2>
        <dl class="headlines">
          <Headline name="received" label="Hồ sơ tiếp nhận" value={formatCount(f.total.received.total)} />
          <Headline name="resolved" label="Đã giải quyết" value={formatCount(f.total.resolved.total)} />
          <Headline name="on-time" label="Giải quyết đúng hạn, trước hạn" value={formatRate(onTime)} />
          <Headline name="online" label="Tiếp nhận trực tuyến" value={formatRate(f.total.onlineReception)} />
          <Headline
            name="overdue"
            label="Đang giải quyết quá hạn"
            value={formatCount(f.total.pending.overdue)}
          />
        </dl>
      </section>
      <section class="panel" aria-labelledby="communes-title">
        <h2 id="communes-title">Các xã, phường ({formatCount(f.communes.length)})</h2>
        <div class="filters no-print">
          <div class="field">
            <label for="commune-filter">Tìm xã, phường</label>
            <input
              id="commune-filter"
              type="search"
              value={query}
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
          </div>
          <div class="field checkbox">
            <input
              id="with-data"
              type="checkbox"
              checked={withData}
              onChange={(e) => setWithData(e.currentTarget.checked)}
            />
            <label for="with-data">Chỉ các xã có hồ sơ trong kỳ</label>
          </div>
        </div>
        <p class="muted" aria-live="polite">
          {formatCount(rows.length)} xã, phường được hiển thị
        </p>
        <div class="table-scroll">
          <table class="list-table" data-table="communes">
            <caption>
              Số liệu giải quyết thủ tục hành chính theo xã, phường — bấm tiêu đề cột để sắp xếp
            </caption>
            <thead>
              <tr>
                <th scope="col">Mã</th>
                {COLUMNS.map((c) => (
                  <SortHeader key={c.key} label={c.label} column={c.key} sort={sort} onSort={toggle} />
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map(({ commune: c }) => {
                const next = { ...props.view, unit: c.communeCode };
                return (
                  <tr key={c.communeCode} data-commune={c.communeCode}>
                    <td>{c.communeCode}</td>
                    <th scope="row">
                      <a
                        href={`/?${viewStateQuery(next)}`}
                        onClick={inPageClick(() => props.onNavigate(next))}
                      >
                        {c.communeName}
                      </a>
                    </th>
                    <td class="num">{formatCount(c.received.total)}</td>
                    <td class="num">{formatRate(c.onlineReception)}</td>
                    <td class="num">{formatCount(c.resolved.total)}</td>
                    <td class="num">{formatRate(onTimeRate(c))}</td>
                    <td class="num">{formatCount(c.resolved.late)}</td>
                    <td class="num">{formatCount(c.pending.overdue)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <ProvinceEditionsPanel token={props.token} view={props.view} onNavigate={props.onNavigate} />
      <MonthsChart months={f.months ?? []} />
      <Downloads token={props.token} view={props.view} what="bảng tổng hợp của tỉnh" />
    </article>
  );
}
