/**
 * The portal: sign-in (a person through the provider, or an access code), then the unit and period
 * pickers and the unit's view; for admins, the page of grants. The view lives in the address bar
 * (view-state.ts): every change is a history entry, so deep links open the view after sign-in
 * (through the provider's round trip too) and the back button steps back through views.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, accessCode, api, type Credential } from "./api";
import { createPersonAuth, isSignInCallback, loadAuthConfig, type PersonAuth } from "./auth";
import type { UnitsInScope } from "./model";
import { type Me, type UnitNames, withUnitNames } from "./people";
import { parseViewState, type ViewState, viewStateQuery } from "./view-state";
import { AccountBar, NoGrant } from "./views/account";
import { CommuneView } from "./views/commune-view";
import { EditionView } from "./views/edition/edition-view";
import { UnitTabs } from "./views/edition/unit-tabs";
import { GrantsPage } from "./views/grants-page";
import { PeriodPicker } from "./views/period-picker";
import { ProvinceView } from "./views/province-view";
import { SignIn } from "./views/sign-in";
import { UnitPicker } from "./views/unit-picker";

const currentView = (): ViewState => parseViewState(window.location.search, new Date());
/** `/?page=grants`: the admin's page; anything else is the unit view. */
const currentPage = (): "grants" | "view" =>
  new URLSearchParams(window.location.search).get("page") === "grants" ? "grants" : "view";

/** Who is using the page. `expired`: a person whose access token expired and could not be renewed. */
type Session =
  | { kind: "starting" }
  | { kind: "signed-out" }
  | { kind: "code"; code: string }
  | { kind: "person"; me: Me; expired: boolean }
  | { kind: "no-grant"; disabled: boolean; email?: string };

export function App() {
  const [session, setSession] = useState<Session>(() => {
    const code = accessCode.get();
    return code ? { kind: "code", code } : { kind: "starting" };
  });
  const [auth, setAuth] = useState<PersonAuth | null>(null);
  // The person's current access token, renewed in place: API calls read it when they are made.
  const personToken = useRef("");
  const bearer = useCallback(() => personToken.current, []);
  const [view, setView] = useState<ViewState>(currentView);
  const [page, setPage] = useState(currentPage);
  const [units, setUnits] = useState<UnitsInScope | null>(null);
  const [unitNames, setUnitNames] = useState<UnitNames>(() => new Map());
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const onPop = () => {
      setView(currentView());
      setPage(currentPage());
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  // At load: the provider's settings, the end of a sign-in when the provider sent the browser back,
  // and the person this tab signed in before (sessionStorage).
  useEffect(() => {
    let live = true;
    (async () => {
      const config = await loadAuthConfig();
      const personAuth = config ? createPersonAuth(config) : null;
      if (!live) return;
      setAuth(personAuth);
      let notice: string | null = null;
      if (personAuth && isSignInCallback(window.location.search)) {
        let returnTo = "";
        try {
          ({ returnTo } = await personAuth.completeSignIn());
          accessCode.forget();
        } catch (error) {
          await personAuth.forget();
          notice = `Đăng nhập không thành công (${(error as Error).message}). Vui lòng thử lại.`;
        }
        window.history.replaceState(null, "", `/${returnTo ? `?${returnTo}` : ""}`);
        setView(currentView());
        setPage(currentPage());
      }
      if (accessCode.get()) return; // signed in with an access code: the session started already
      const user = await personAuth?.currentUser();
      if (!live) return;
      if (!personAuth || !user) {
        setFailure(notice);
        setSession({ kind: "signed-out" });
        return;
      }
      personToken.current = user.access_token;
      const email = typeof user.profile.email === "string" ? user.profile.email : undefined;
      try {
        const me = await api.me(bearer);
        if (live) setSession({ kind: "person", me, expired: false });
      } catch (error) {
        if (!live) return;
        if (error instanceof ApiError && error.status === 403) {
          setSession({ kind: "no-grant", disabled: error.code !== "no_grant", ...(email ? { email } : {}) });
        } else {
          await personAuth.forget();
          setFailure(
            error instanceof ApiError && error.status === 401
              ? "Máy chủ không chấp nhận phiên đăng nhập này. Vui lòng đăng nhập lại."
              : `Không kiểm tra được quyền của bạn: ${(error as Error).message}`,
          );
          setSession({ kind: "signed-out" });
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [bearer]);

  // Renewed tokens replace the old one in place; an expiry without renewal asks for a new sign-in.
  useEffect(
    () =>
      auth?.onChange((user) => {
        if (user) personToken.current = user.access_token;
        setSession((s) => (s.kind === "person" ? { ...s, expired: !user } : s));
      }),
    [auth],
  );

  const credential: Credential | null =
    session.kind === "code" ? session.code : session.kind === "person" ? bearer : null;

  const signOut = useCallback(
    async (message?: string) => {
      if (session.kind === "person" || session.kind === "no-grant") {
        setSession({ kind: "starting" });
        await auth?.signOut(); // leaves for the provider's logout, which comes back here
        return;
      }
      accessCode.forget();
      setSession({ kind: "signed-out" });
      setUnits(null);
      setFailure(message ?? null);
    },
    [session.kind, auth],
  );

  // The units the code or the person may read, named as in the registry of the viewed year.
  useEffect(() => {
    if (units) setUnitNames((known) => withUnitNames(known, units));
  }, [units]);

  useEffect(() => {
    if (!credential || units?.year === view.year) return;
    let live = true;
    api.units(credential, view.year).then(
      (loaded) => live && setUnits(loaded),
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 401 && session.kind === "code")
          signOut("Mã truy cập đã hết hạn. Vui lòng đăng nhập lại.");
        else if (error instanceof ApiError && error.status === 401 && session.kind === "person")
          setSession((s) => (s.kind === "person" ? { ...s, expired: true } : s));
        else setFailure(`Không tải được danh sách đơn vị: ${(error as Error).message}`);
      },
    );
    return () => {
      live = false;
    };
  }, [credential, view.year, units?.year, signOut, session.kind]);

  const searchUnits = useCallback(
    (q: string, limit: number) => api.units(credential ?? "", view.year, { q, limit }),
    [credential, view.year],
  );

  const navigate = useCallback((next: ViewState) => {
    window.history.pushState(null, "", `/?${viewStateQuery(next)}`);
    setView(next);
    setPage("view");
    window.scrollTo(0, 0);
  }, []);

  const openGrants = useCallback(() => {
    window.history.pushState(null, "", "/?page=grants");
    setPage("grants");
    window.scrollTo(0, 0);
  }, []);

  const personSignIn = useMemo(
    () => (auth ? () => auth.signIn(window.location.search.slice(1)) : undefined),
    [auth],
  );

  const onSignedIn = (code: string, loaded: UnitsInScope) => {
    accessCode.set(code);
    setFailure(null);
    setUnits(loaded);
    setSession({ kind: "code", code });
  };

  if (session.kind === "starting") {
    return (
      <Shell>
        <p class="muted" aria-live="polite">
          Đang tải…
        </p>
      </Shell>
    );
  }
  if (session.kind === "signed-out") {
    return (
      <Shell>
        <SignIn year={view.year} notice={failure} onPersonSignIn={personSignIn} onSignedIn={onSignedIn} />
      </Shell>
    );
  }
  if (session.kind === "no-grant") {
    return (
      <Shell>
        <NoGrant
          disabled={session.disabled}
          {...(session.email ? { email: session.email } : {})}
          onSignOut={() => signOut()}
        />
      </Shell>
    );
  }
  const token = credential as Credential;
  const me = session.kind === "person" ? session.me : null;
  return (
    <Shell
      actions={
        me ? (
          <AccountBar
            me={me}
            names={unitNames}
            {...(me.role === "admin" ? { onGrants: openGrants } : {})}
            onSignOut={() => signOut()}
          />
        ) : (
          <button type="button" class="secondary" onClick={() => signOut()}>
            Đăng xuất
          </button>
        )
      }
    >
      {session.kind === "person" && session.expired && (
        <p class="error expired" role="alert">
          Phiên đăng nhập đã hết hạn.{" "}
          <button type="button" onClick={() => personSignIn?.()}>
            Đăng nhập lại
          </button>
        </p>
      )}
      {page === "grants" && me?.role === "admin" ? (
        <GrantsPage token={token} me={me} names={unitNames} />
      ) : (
        <>
          <section class="pickers no-print" aria-label="Chọn đơn vị và kỳ báo cáo">
            <UnitPicker
              units={units}
              view={view}
              onPick={(unit) => navigate({ ...view, unit })}
              search={searchUnits}
              {...(me ? { scope: "quyền của bạn" } : {})}
            />
            <PeriodPicker view={view} onChange={navigate} />
          </section>
          {failure && (
            <p class="error" role="alert">
              {failure}
            </p>
          )}
          {me && units?.year === view.year && units.provinces.length + units.communes.length === 0 && (
            <p class="hint">
              Năm {view.year} không có đơn vị nào trong phạm vi quyền của bạn: các xã, tỉnh được cấp quyền có
              thể đã được sắp xếp lại từ 1/7/2025. Hãy chọn một năm trước đó ở Kỳ báo cáo.
            </p>
          )}
          {view.unit && <UnitTabs view={{ ...view, unit: view.unit }} onNavigate={navigate} />}
          {view.unit && view.tab === "edition" && (
            <EditionView
              key={viewStateQuery(view)}
              token={token}
              view={{ ...view, unit: view.unit }}
              me={me}
              unitName={unitNames.get(view.unit)}
            />
          )}
          {view.unit?.length === 5 && view.tab !== "edition" && (
            <CommuneView
              key={viewStateQuery(view)}
              token={token}
              view={{ ...view, unit: view.unit }}
              onNavigate={navigate}
            />
          )}
          {view.unit?.length === 2 && view.tab !== "edition" && (
            <ProvinceView
              key={viewStateQuery(view)}
              token={token}
              view={{ ...view, unit: view.unit }}
              onNavigate={navigate}
            />
          )}
          {!view.unit && (
            <p class="hint">
              Chọn một xã, phường hoặc tỉnh ở trên để xem số liệu giải quyết thủ tục hành chính.
            </p>
          )}
        </>
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
