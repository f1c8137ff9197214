/**
 * The months of the period on two uPlot charts (canvas, ~50 KB): dossiers received (online, direct
 * or by post) and resolved (early, on time, late). The canvas is hidden from screen readers; the
 * same numbers follow in a table, which is the accessible alternative.
 */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatCount, monthLabel } from "../format";
import type { MonthFigures } from "../model";

interface SeriesSpec {
  label: string;
  color: string;
  pick: (m: MonthFigures) => number;
}

const RECEIVED: SeriesSpec[] = [
  { label: "Trực tuyến", color: "#1f6fb2", pick: (m) => m.received.online },
  { label: "Trực tiếp, bưu chính", color: "#c2571a", pick: (m) => m.received.directOrPostal },
];
const RESOLVED: SeriesSpec[] = [
  { label: "Trước hạn", color: "#2e7d32", pick: (m) => m.resolved.early },
  { label: "Đúng hạn", color: "#1f6fb2", pick: (m) => m.resolved.onTime },
  { label: "Quá hạn", color: "#b3261e", pick: (m) => m.resolved.late },
];

/**
 * Stacked monthly bars: series are drawn in order over each other, so series i is drawn at the sum
 * of series i…n (the full stack first, the bottom part last); the legend names the parts.
 */
function Chart(props: { title: string; months: MonthFigures[]; series: SeriesSpec[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const axisLabels = props.months.map((m) => `T${m.month}`);
    const parts = props.series.map((s) => props.months.map(s.pick));
    // Drawn top part first: the stack of the last series down to the first.
    const order = [...props.series.keys()].reverse();
    const stacked = order.map((i) =>
      props.months.map((_, m) => parts.slice(0, i + 1).reduce((sum, part) => sum + part[m]!, 0)),
    );
    const data: uPlot.AlignedData = [props.months.map((_, i) => i), ...stacked];
    const width = () => Math.max(260, element.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 220,
        title: props.title,
        // The legend names the colours; the values are in the table below, not under a pointer.
        legend: { live: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, props.months.length - 0.5] },
          // Counts start at zero, so bar heights compare.
          y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
        },
        axes: [
          // "T1" … "T12" under the bars (the table below names the year too).
          { values: (_u, ticks) => ticks.map((t) => axisLabels[t] ?? ""), space: 24, incrs: [1, 2, 3, 6] },
          { values: (_u, ticks) => ticks.map((t) => formatCount(t)), size: 56 },
        ],
        series: [
          { label: "Tháng" },
          ...order.map((i) => ({
            label: props.series[i]!.label,
            stroke: props.series[i]!.color,
            fill: props.series[i]!.color,
            width: 0,
            paths: uPlot.paths.bars!({ size: [0.7, 48], align: 0 }),
            points: { show: false },
          })),
        ],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.months, props.series, props.title]);
  return <div class="chart" ref={box} aria-hidden="true" />;
}

export function MonthsChart(props: { months: MonthFigures[] }) {
  const { months } = props;
  return (
    <section class="panel" aria-labelledby="months-title">
      <h2 id="months-title">Diễn biến theo tháng</h2>
      {months.length === 0 ? (
        <p class="muted">Không có số liệu theo tháng.</p>
      ) : (
        <>
          <div class="charts">
            <Chart title="Hồ sơ tiếp nhận mới" months={months} series={RECEIVED} />
            <Chart title="Hồ sơ đã giải quyết" months={months} series={RESOLVED} />
          </div>
          <details class="chart-table">
            <summary>Bảng số liệu theo tháng</summary>
            <div class="table-scroll">
              <table class="list-table" data-table="months">
                <caption>Số hồ sơ theo tháng báo cáo (từ ngày 15 tháng trước đến ngày 14)</caption>
                <thead>
                  <tr>
                    <th scope="col">Tháng</th>
                    {[...RECEIVED, ...RESOLVED].map((s) => (
                      <th key={s.label} scope="col">
                        {RECEIVED.includes(s) ? "Tiếp nhận: " : "Giải quyết: "}
                        {s.label.toLowerCase()}
                      </th>
                    ))}
                    <th scope="col">Cuối tháng: đang giải quyết quá hạn</th>
                  </tr>
                </thead>
                <tbody>
                  {months.map((m) => (
                    <tr key={`${m.year}-${m.month}`}>
                      <th scope="row">{monthLabel(m.year, m.month)}</th>
                      {[...RECEIVED, ...RESOLVED].map((s) => (
                        <td key={s.label} class="num">
                          {formatCount(s.pick(m))}
                        </td>
                      ))}
                      <td class="num">{formatCount(m.pendingAtEnd.overdue)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
