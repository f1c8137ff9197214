/**
 * A commune's figures for a period (GET /v1/figures): headline rates, Form II.06a, the months, the
 * late and overdue dossiers, the other sections of the report, the comparison with the previous
 * period and the service index when the figures carry them, and the report's files.
 */
import { useEffect, useState } from "preact/hooks";
import {
  DIGITIZATION_COLUMN_OVERRIDES,
  DIGITIZATION_TITLE,
  digitizationHeader,
  digitizationValues,
  FEEDBACK_TITLE,
  FORM_II06A_ID,
  FORM_II06A_NOTE,
  FORM_II06A_TITLE,
  feedbackHeader,
  feedbackValues,
  LATE_LIST_TITLE,
  OVERDUE_LIST_TITLE,
} from "../../../shared/reports/render/table-layouts";
import { ApiError, api, type Credential } from "../api";
import {
  formatChange,
  formatChangePercent,
  formatCount,
  formatDate,
  formatPercent,
  formatRate,
  onTimeRate,
  periodLabel,
  periodRangeLabel,
} from "../format";
import type { CommuneFigures, Rate } from "../model";
import { type ViewState, viewStateQuery } from "../view-state";
import { DossierList } from "./dossier-list";
import { Downloads } from "./downloads";
import { MonthsChart } from "./months-chart";
import { FormII06aTable, NumberedTable } from "./tables";

type Load<T> = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; data: T };

/** Loads the figures of a unit and period; 403/404 become a message in the page. */
export function useFigures<T>(token: Credential, view: ViewState & { unit: string }): Load<T> {
  const [load, setLoad] = useState<Load<T>>({ state: "loading" });
  // Fetched again when the unit or period changes, not when a parent re-renders with an equal view.
  const query = viewStateQuery(view);
  useEffect(() => {
    let live = true;
    api.figures(token, view).then(
      (data) => live && setLoad({ state: "ready", data: data as T }),
      (error: unknown) => {
        if (!live) return;
        const message =
          error instanceof ApiError && error.status === 403
            ? "Mã truy cập hoặc quyền của bạn không cho xem số liệu của đơn vị này."
            : error instanceof ApiError && error.status === 404
              ? "Không có đơn vị này trong danh mục đơn vị hành chính của kỳ báo cáo."
              : `Không tải được số liệu: ${(error as Error).message}`;
        setLoad({ state: "error", message });
      },
    );
    return () => {
      live = false;
    };
  }, [token, query]);
  return load;
}

export function Headline(props: { label: string; value: string; detail?: string; name: string }) {
  return (
    <div class="headline" data-headline={props.name}>
      <dt>{props.label}</dt>
      <dd>
        <span class="big">{props.value}</span>
        {props.detail && <span class="muted"> {props.detail}</span>}
      </dd>
    </div>
  );
}

const rateDetail = (rate: Rate) => `(${formatCount(rate.count)}/${formatCount(rate.of)})`;

export function CommuneView(props: {
  token: Credential;
  view: ViewState & { unit: string };
  onNavigate: (next: ViewState) => void;
}) {
  const load = useFigures<CommuneFigures>(props.token, props.view);
  if (load.state === "loading") return <p aria-live="polite">Đang tải số liệu…</p>;
  if (load.state === "error")
    return (
      <p class="error" role="alert">
        {load.message}
      </p>
    );
  const f = load.data;
  const total = f.dossiers.total;
  const onTime = onTimeRate(total);
  return (
    <article class="unit-view" data-view="commune" data-unit={f.unit.communeCode}>
      <header class="unit-header">
        <h1>{f.unit.communeName}</h1>
        <p class="muted">
          {[f.unit.districtName, f.unit.provinceName].filter(Boolean).join(", ")}
          {f.unit.provinceCode && (
            <>
              {" · "}
              <a
                class="no-print"
                href={`/?${new URLSearchParams({ unit: f.unit.provinceCode, year: String(props.view.year) })}`}
                onClick={(e) => {
                  e.preventDefault();
                  props.onNavigate({ ...props.view, unit: f.unit.provinceCode });
                }}
              >
                Xem cả tỉnh
              </a>
            </>
          )}
        </p>
        <p class="period">
          Kỳ báo cáo: <strong>{periodLabel(f.period)}</strong> · {periodRangeLabel(f.period)}
        </p>
      </header>

      <section class="panel" aria-labelledby="headline-title">
        <h2 id="headline-title">Chỉ số chính</h2>
        <dl class="headlines">
          <Headline
            name="received"
            label="Hồ sơ tiếp nhận"
            value={formatCount(total.received.total)}
            detail={`(${formatCount(total.received.carriedOver)} từ kỳ trước)`}
          />
          <Headline name="resolved" label="Đã giải quyết" value={formatCount(total.resolved.total)} />
          <Headline
            name="on-time"
            label="Giải quyết đúng hạn, trước hạn"
            value={formatRate(onTime)}
            detail={rateDetail(onTime)}
          />
          <Headline
            name="online"
            label="Tiếp nhận trực tuyến"
            value={formatRate(f.onlineReception)}
            detail={rateDetail(f.onlineReception)}
          />
          <Headline
            name="overdue"
            label="Đang giải quyết quá hạn"
            value={formatCount(total.pending.overdue)}
          />
        </dl>
      </section>

      {f.unit.predecessors && f.unit.predecessors.length > 0 && (
        <section class="panel" aria-labelledby="predecessors-title">
          <h2 id="predecessors-title">Đơn vị trước sắp xếp (1/7/2025)</h2>
          <ul>
            {f.unit.predecessors.map((p) => (
              <li key={p.communeCode}>
                {p.communeName} ({p.communeCode}) —{" "}
                {p.share === "full"
                  ? "toàn bộ, số liệu được cộng vào"
                  : "một phần, chỉ liệt kê, không cộng số liệu"}
              </li>
            ))}
          </ul>
        </section>
      )}

      {f.previous && <Comparison figures={f} />}
      {f.serviceIndex && <ServiceIndexPanel figures={f} />}

      <section class="panel" aria-labelledby="form-title">
        <h2 id="form-title">{FORM_II06A_ID}</h2>
        <FormII06aTable
          caption={FORM_II06A_TITLE}
          rows={f.dossiers.byField.map((r) => ({ key: r.fieldCode, label: r.fieldName, row: r }))}
          total={total}
        />
        <p class="note">{FORM_II06A_NOTE}</p>
      </section>

      <MonthsChart months={f.months ?? []} />

      <DossierList id="late" title={LATE_LIST_TITLE} entries={f.lateDossiers} period={f.period} resolved />
      <DossierList
        id="overdue"
        title={`${OVERDUE_LIST_TITLE} (tính đến ngày ${formatDate(f.period.asOf ?? f.period.to)})`}
        entries={f.overdueDossiers}
        period={f.period}
        resolved={false}
      />

      <OtherSections figures={f} />

      <Downloads token={props.token} view={props.view} what="báo cáo của xã" />
      <p class="muted provenance">
        Số liệu tính lúc {new Date(f.generatedAt).toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" })}.
      </p>
    </article>
  );
}

function Comparison(props: { figures: CommuneFigures }) {
  const { previous, dossiers, onlineReception } = props.figures;
  if (!previous) return null;
  const rows: [string, number, number][] = [
    ["Hồ sơ tiếp nhận", dossiers.total.received.total, previous.dossiers.total.received.total],
    ["Hồ sơ đã giải quyết", dossiers.total.resolved.total, previous.dossiers.total.resolved.total],
    ["Giải quyết quá hạn", dossiers.total.resolved.late, previous.dossiers.total.resolved.late],
    ["Đang giải quyết quá hạn", dossiers.total.pending.overdue, previous.dossiers.total.pending.overdue],
  ];
  const nowOnTime = onTimeRate(dossiers.total);
  const beforeOnTime = onTimeRate(previous.dossiers.total);
  const points = (a: number | null, b: number | null) =>
    a === null || b === null
      ? "–"
      : `${a - b > 0 ? "+" : ""}${formatPercent(Math.round((a - b) * 100) / 100).replace("%", " điểm %")}`;
  return (
    <section class="panel" aria-labelledby="previous-title">
      <h2 id="previous-title">So với {periodLabel(previous.period)}</h2>
      <div class="table-scroll">
        <table class="list-table" data-table="previous">
          <thead>
            <tr>
              <th scope="col">Chỉ tiêu</th>
              <th scope="col">Kỳ này</th>
              <th scope="col">Kỳ trước</th>
              <th scope="col">Thay đổi</th>
              <th scope="col">Tỷ lệ thay đổi</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, now, before]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td class="num">{formatCount(now)}</td>
                <td class="num">{formatCount(before)}</td>
                <td class="num">{formatChange(now - before)}</td>
                <td class="num">{formatChangePercent(now, before)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Tỷ lệ đúng hạn, trước hạn</th>
              <td class="num">{formatRate(nowOnTime)}</td>
              <td class="num">{formatRate(beforeOnTime)}</td>
              <td class="num" colSpan={2}>
                {points(nowOnTime.percent, beforeOnTime.percent)}
              </td>
            </tr>
            <tr>
              <th scope="row">Tỷ lệ tiếp nhận trực tuyến</th>
              <td class="num">{formatRate(onlineReception)}</td>
              <td class="num">{formatRate(previous.onlineReception)}</td>
              <td class="num" colSpan={2}>
                {points(onlineReception.percent, previous.onlineReception.percent)}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ServiceIndexPanel(props: { figures: CommuneFigures }) {
  const index = props.figures.serviceIndex;
  if (!index) return null;
  return (
    <section class="panel" aria-labelledby="service-index-title">
      <h2 id="service-index-title">
        Chỉ số phục vụ (Quyết định 766/QĐ-TTg, theo cách đọc của hệ thống):{" "}
        {formatPercent(index.points, 2).replace("%", "")}/{formatCount(index.maxPoints)} điểm
      </h2>
      <div class="table-scroll">
        <table class="list-table" data-table="service-index">
          <thead>
            <tr>
              <th scope="col">Chỉ tiêu</th>
              <th scope="col">Tỷ lệ</th>
              <th scope="col">Ngưỡng điểm tối đa</th>
              <th scope="col">Điểm</th>
            </tr>
          </thead>
          <tbody>
            {index.indicators.map((i) => (
              <tr key={i.code}>
                <th scope="row">{i.name}</th>
                <td class="num">
                  {formatRate(i.rate)} <span class="muted">{rateDetail(i.rate)}</span>
                </td>
                <td class="num">{formatPercent(i.threshold)}</td>
                <td class="num">
                  {formatPercent(i.points).replace("%", "")}/{formatCount(i.maxPoints)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function OtherSections(props: { figures: CommuneFigures }) {
  const f = props.figures;
  const unitName = f.unit.communeName;
  return (
    <section class="panel" aria-labelledby="other-title">
      <h2 id="other-title">Các nội dung khác của báo cáo</h2>
      <h3>Số hóa hồ sơ, kết quả giải quyết</h3>
      <NumberedTable
        caption={DIGITIZATION_TITLE}
        header={digitizationHeader()}
        overrides={DIGITIZATION_COLUMN_OVERRIDES}
        rowLabel={unitName}
        values={digitizationValues(f.digitization)}
      />
      <dl class="facts">
        <div>
          <dt>Thanh toán trực tuyến</dt>
          <dd>
            {formatCount(f.onlinePayment.paidOnline)}/{formatCount(f.onlinePayment.feeRequired)} hồ sơ có phí
            ({formatRate(f.onlinePayment.rate)})
          </dd>
        </div>
        <div>
          <dt>Hồ sơ liên thông</dt>
          <dd>
            {formatCount(f.interlink.total)} (cùng cấp {formatCount(f.interlink.sameLevel)}, giữa các cấp{" "}
            {formatCount(f.interlink.crossLevel)})
            {f.interlink.byBundle.length > 0 && (
              <ul>
                {f.interlink.byBundle.map((b) => (
                  <li key={b.bundle}>
                    {b.bundle}: {formatCount(b.count)}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>Chứng thực điện tử</dt>
          <dd>{formatCount(f.electronicCertification)} bản sao điện tử</dd>
        </div>
        <div>
          <dt>Dịch vụ bưu chính công ích</dt>
          <dd>
            tiếp nhận {formatCount(f.postal.receivedByPost)}, trả kết quả{" "}
            {formatCount(f.postal.returnedByPost)} hồ sơ
          </dd>
        </div>
        <div>
          <dt>Mức độ hài lòng</dt>
          <dd>
            {formatCount(f.satisfaction.rated)} lượt đánh giá: rất hài lòng{" "}
            {formatCount(f.satisfaction.verySatisfied)}, hài lòng {formatCount(f.satisfaction.satisfied)},
            không hài lòng {formatCount(f.satisfaction.unsatisfied)} (hài lòng trở lên{" "}
            {formatRate(f.satisfaction.satisfiedRate)})
          </dd>
        </div>
      </dl>
      <h3>Phản ánh, kiến nghị</h3>
      <NumberedTable
        caption={FEEDBACK_TITLE}
        header={feedbackHeader()}
        rowLabel={unitName}
        values={feedbackValues(f.feedback)}
      />
    </section>
  );
}
