import { useEffect, useState } from "preact/hooks";
import { PERIOD_KINDS, type PeriodKind, type ViewState, yearToDate } from "../view-state";

/** Year, 6 and 9 months, quarter, month; and the running year so far in one click. */
export function PeriodPicker(props: { view: ViewState; onChange: (next: ViewState) => void }) {
  const [draft, setDraft] = useState<ViewState>(props.view);
  useEffect(() => setDraft(props.view), [props.view]);
  const thisYear = yearToDate(new Date()).year;
  const years = Array.from({ length: 8 }, (_, i) => thisYear - i);
  if (!years.includes(draft.year)) years.push(draft.year);

  const apply = (event: Event) => {
    event.preventDefault();
    props.onChange({
      ...(props.view.unit ? { unit: props.view.unit } : {}),
      year: draft.year,
      period: draft.period,
      ...(draft.period === "quarter" ? { quarter: draft.quarter ?? 1 } : {}),
      ...(draft.period === "month" ? { month: draft.month ?? 1 } : {}),
    });
  };

  return (
    <form class="period-picker" onSubmit={apply} aria-label="Kỳ báo cáo">
      <div class="field">
        <label for="period-kind">Kỳ báo cáo</label>
        <select
          id="period-kind"
          value={draft.period}
          onChange={(e) => setDraft({ ...draft, period: e.currentTarget.value as PeriodKind })}
        >
          {PERIOD_KINDS.map((p) => (
            <option key={p.kind} value={p.kind}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      {draft.period === "quarter" && (
        <div class="field">
          <label for="period-quarter">Quý</label>
          <select
            id="period-quarter"
            value={String(draft.quarter ?? 1)}
            onChange={(e) => setDraft({ ...draft, quarter: Number(e.currentTarget.value) })}
          >
            {["I", "II", "III", "IV"].map((label, i) => (
              <option key={label} value={String(i + 1)}>
                Quý {label}
              </option>
            ))}
          </select>
        </div>
      )}
      {draft.period === "month" && (
        <div class="field">
          <label for="period-month">Tháng</label>
          <select
            id="period-month"
            value={String(draft.month ?? 1)}
            onChange={(e) => setDraft({ ...draft, month: Number(e.currentTarget.value) })}
          >
            {Array.from({ length: 12 }, (_, i) => (
              <option key={i} value={String(i + 1)}>
                Tháng {i + 1}
              </option>
            ))}
          </select>
        </div>
      )}
      <div class="field">
        <label for="period-year">Năm</label>
        <select
          id="period-year"
          value={String(draft.year)}
          onChange={(e) => setDraft({ ...draft, year: Number(e.currentTarget.value) })}
        >
          {years.map((y) => (
            <option key={y} value={String(y)}>
              {y}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Xem</button>
      <button
        type="button"
        class="secondary"
        onClick={() =>
          props.onChange({ ...(props.view.unit ? { unit: props.view.unit } : {}), ...yearToDate(new Date()) })
        }
      >
        Từ đầu năm đến nay
      </button>
    </form>
  );
}
