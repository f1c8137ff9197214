/** A unit's two pages, its figures and "Soạn báo cáo" (its report edition), as links in the address bar. */
import { inPageClick, type ViewState, viewStateQuery } from "../../view-state";

export function UnitTabs(props: {
  view: ViewState & { unit: string };
  onNavigate: (next: ViewState) => void;
}) {
  const pages: { tab: ViewState["tab"]; label: string }[] = [
    { tab: undefined, label: "Số liệu" },
    { tab: "edition", label: "Soạn báo cáo" },
  ];
  return (
    <nav
      class="commune-tabs no-print"
      aria-label={props.view.unit.length === 2 ? "Trang của tỉnh" : "Trang của xã"}
    >
      {pages.map((page) => {
        const { tab: _tab, ...rest } = props.view;
        const next: ViewState = page.tab ? { ...rest, tab: page.tab } : rest;
        const current = props.view.tab === page.tab;
        return (
          <a
            key={page.label}
            href={`/?${viewStateQuery(next)}`}
            aria-current={current ? "page" : undefined}
            data-tab={page.tab ?? "figures"}
            onClick={inPageClick(() => props.onNavigate(next))}
          >
            {page.label}
          </a>
        );
      })}
    </nav>
  );
}
