/**
 * The portal: sign-in with the access code, then the unit and period pickers and the unit's view.
 * The view lives in the address bar (view-state.ts): every change is a history entry, so deep
 * links open the view after sign-in and the back button steps back through views.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError, accessCode, api } from "./api";
import type { UnitsInScope } from "./model";
import { parseViewState, type ViewState, viewStateQuery } from "./view-state";
import { CommuneView } from "./views/commune-view";
import { CommuneTabs } from "./views/edition/commune-tabs";
import { EditionView } from "./views/edition/edition-view";
import { PeriodPicker } from "./views/period-picker";
import { ProvinceView } from "./views/province-view";
import { SignIn } from "./views/sign-in";
import { UnitPicker } from "./views/unit-picker";

const currentView = (): ViewState => parseViewState(window.location.search, new Date());

export function App() {
  const [token, setToken] = useState<string | null>(() => accessCode.get());
  const [view, setView] = useState<ViewState>(currentView);
  const [units, setUnits] = useState<UnitsInScope | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const onPop = () => setView(currentView());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const signOut = useCallback((message?: string) => {
    accessCode.forget();
    setToken(null);
    setUnits(null);
    setFailure(message ?? null);
  }, []);

  // The units the code may read, named as in the registry of the viewed year.
  useEffect(() => {
    if (!token || units?.year === view.year) return;
    let live = true;
    api.units(token, view.year).then(
      (loaded) => live && setUnits(loaded),
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 401)
          signOut("Mã truy cập đã hết hạn. Vui lòng đăng nhập lại.");
        else setFailure(`Không tải được danh sách đơn vị: ${(error as Error).message}`);
      },
    );
    return () => {
      live = false;
    };
  }, [token, view.year, units?.year, signOut]);

  const navigate = useCallback((next: ViewState) => {
    window.history.pushState(null, "", `/?${viewStateQuery(next)}`);
    setView(next);
    window.scrollTo(0, 0);
  }, []);

  const onSignedIn = (code: string, loaded: UnitsInScope) => {
    accessCode.set(code);
    setFailure(null);
    setUnits(loaded);
    setToken(code);
  };

  if (!token) {
    return (
      <Shell>
        <SignIn year={view.year} notice={failure} onSignedIn={onSignedIn} />
      </Shell>
    );
  }
  return (
    <Shell
      actions={
        <button type="button" class="secondary" onClick={() => signOut()}>
          Đăng xuất
        </button>
      }
    >
      <section class="pickers no-print" aria-label="Chọn đơn vị và kỳ báo cáo">
        <UnitPicker units={units} view={view} onPick={(unit) => navigate({ ...view, unit })} />
        <PeriodPicker view={view} onChange={navigate} />
      </section>
      {failure && (
        <p class="error" role="alert">
          {failure}
        </p>
      )}
      {view.unit?.length === 5 && <CommuneTabs view={{ ...view, unit: view.unit }} onNavigate={navigate} />}
      {view.unit?.length === 5 && view.tab === "edition" && (
        <EditionView key={viewStateQuery(view)} token={token} view={{ ...view, unit: view.unit }} />
      )}
      {view.unit?.length === 5 && view.tab !== "edition" && (
        <CommuneView
          key={viewStateQuery(view)}
          token={token}
          view={{ ...view, unit: view.unit }}
          onNavigate={navigate}
        />
      )}
      {view.unit?.length === 2 && (
        <ProvinceView
          key={viewStateQuery(view)}
          token={token}
          view={{ ...view, unit: view.unit }}
          onNavigate={navigate}
        />
      )}
      {!view.unit && (
        <p class="hint">Chọn một xã, phường hoặc tỉnh ở trên để xem số liệu giải quyết thủ tục hành chính.</p>
      )}
    </Shell>
  );
}

function Shell(props: { children: preact.ComponentChildren; actions?: preact.ComponentChildren }) {
  return (
    <>
      <header class="top">
        <a class="brand" href="/">
          Số liệu giải quyết thủ tục hành chính
        </a>
        {props.actions}
      </header>
      <main id="main">{props.children}</main>
    </>
  );
}
