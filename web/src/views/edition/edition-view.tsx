/**
 * "Soạn báo cáo" (docs/editions.md, "Trong cổng"): a unit's edition of the report for a period.
 * Takes the signed-in person's role (`GET /v1/me`), loads the edition (starting one on request when
 * there is none), then the form beside the live figures, saving as one types (editions/autosave.ts),
 * the conflict dialog, the preview, the issue with its confirmation, and the issued files with the
 * drift. Editors write, issuers also issue, everyone else reads.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from "preact/hooks";
import "../../editions.css";
import { ApiError, type Credential } from "../../api";
import { editionScope, editionsApi } from "../../editions/api";
import { Autosave, type SaveStatus } from "../../editions/autosave";
import { sessionDrafts } from "../../editions/drafts";
import { refusalText } from "../../editions/labels";
import type { Edition, Tagged } from "../../editions/model";
import { editionRights } from "../../editions/roles";
import { SECTIONS } from "../../editions/sections";
import { formatChange, formatCount, periodLabel, periodRangeLabel } from "../../format";
import type { CommuneFigures, ProvinceFigures } from "../../model";
import { type Me, ROLE_LABELS } from "../../people";
import type { ViewState } from "../../view-state";
import { useFigures } from "../commune-view";
import { FORMAT_LABELS } from "../downloads";
import { ConflictDialog, IssueDialog } from "./dialogs";
import { EditionForm, sectionAnchor } from "./edition-form";
import { EditionPrint } from "./edition-print";

type UnitView = ViewState & { unit: string };
type Load =
  | { state: "loading" }
  | { state: "none" }
  | { state: "error"; message: string }
  | { state: "ready" };

const when = (iso: string) => new Date(iso).toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" });

function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status >= 500) return "Máy chủ đang gặp sự cố. Vui lòng thử lại sau ít phút.";
    const path = typeof error.details.path === "string" ? error.details.path : undefined;
    return refusalText(error.code, path);
  }
  return "Không kết nối được máy chủ. Vui lòng thử lại.";
}

export function statusText(status: SaveStatus, edition: Edition): string {
  switch (status.kind) {
    case "saved":
      return `Đã lưu (phiên bản ${edition.revision}, lúc ${when(edition.savedAt)})`;
    case "pending":
    case "saving":
      return "Đang lưu…";
    case "offline":
      return `Mất kết nối: nội dung vẫn được giữ trong thẻ này, đang thử lưu lại (lần ${status.attempt})…`;
    case "conflict":
      return "Chưa lưu: người khác vừa sửa cùng nội dung, hãy chọn bản giữ lại.";
    case "refused":
      return `Không lưu được: ${refusalText(status.code, status.path)} Nội dung vẫn được giữ; hãy sửa lại để lưu.`;
    case "unauthorized":
      return "Chưa lưu: phiên đăng nhập đã hết hạn. Đăng nhập lại để lưu; nội dung vẫn được giữ trong thẻ này.";
    case "issued":
      return edition.status === "draft"
        ? "Báo cáo đã được ban hành ở nơi khác."
        : "Báo cáo đã ban hành: chỉ xem.";
  }
}

/** `me`: the signed-in person, or null for an access code (read only); `unitName` until the figures say it. */
export function EditionView(props: { token: Credential; view: UnitView; me: Me | null; unitName?: string }) {
  const { token, view, me } = props;
  const figures = useFigures<CommuneFigures | ProvinceFigures>(token, view);
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [, rerender] = useReducer((n: number, _: number) => n + 1, 0);
  const saver = useRef<Autosave | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ busy: boolean; url?: string; error?: string }>({ busy: false });
  const [issue, setIssue] = useState<{
    open: boolean;
    busy: boolean;
    missing: string[] | null;
    error: string | null;
  }>({ open: false, busy: false, missing: null, error: null });
  const issuedHeading = useRef<HTMLHeadingElement>(null);
  const previewLink = useRef<HTMLAnchorElement>(null);

  const begin = useCallback(
    (tagged: Tagged) => {
      saver.current?.dispose();
      saver.current = new Autosave({
        initial: tagged,
        drafts: sessionDrafts(editionScope(view)),
        send: (changes, ifMatch) => editionsApi.save(token, view, changes, ifMatch),
        load: () => editionsApi.get(token, view),
        onChange: () => rerender(0),
      });
      setLoad({ state: "ready" });
    },
    [token, editionScope(view)],
  );

  useEffect(() => {
    let live = true;
    editionsApi.get(token, view).then(
      (tagged) => live && begin(tagged),
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 404) setLoad({ state: "none" });
        else setLoad({ state: "error", message: messageOf(error) });
      },
    );
    const online = () => saver.current?.retryNow();
    const leaving = (event: BeforeUnloadEvent) => {
      if ((saver.current?.unsaved ?? 0) > 0) event.preventDefault();
    };
    window.addEventListener("online", online);
    window.addEventListener("beforeunload", leaving);
    return () => {
      live = false;
      window.removeEventListener("online", online);
      window.removeEventListener("beforeunload", leaving);
      saver.current?.dispose();
    };
  }, [begin]);

  // Issued by someone else while this page held a draft (a save answered 409): show the issued one.
  const issuedElsewhere =
    saver.current?.status.kind === "issued" && saver.current.server.edition.status === "draft";
  useEffect(() => {
    if (!issuedElsewhere) return;
    editionsApi.get(token, view).then(
      (current) => saver.current?.replace(current),
      () => undefined,
    );
  }, [issuedElsewhere]);

  const rights = editionRights(me?.role ?? null);
  const unitName =
    figures.state !== "ready"
      ? (props.unitName ?? view.unit)
      : "province" in figures.data
        ? figures.data.province.provinceName
        : figures.data.unit.communeName;
  const period = figures.state === "ready" ? figures.data.period : null;

  const header = (
    <header class="unit-header">
      <h1>Soạn báo cáo: {unitName}</h1>
      {period && (
        <p class="period">
          Kỳ báo cáo: <strong>{periodLabel(period)}</strong> · {periodRangeLabel(period)}
        </p>
      )}
      {me === null && (
        <p class="muted" data-role="none">
          Bạn đang xem với quyền chỉ đọc. Cán bộ được cấp quyền soạn thảo đăng nhập bằng tài khoản cá nhân để
          soạn báo cáo.
        </p>
      )}
      {me && (
        <p class="muted" data-role={me.role}>
          {me.name}: {ROLE_LABELS[me.role]}
          {rights.edit ? "" : " (chỉ xem báo cáo)"}.
        </p>
      )}
    </header>
  );

  if (load.state === "loading") {
    return (
      <article class="unit-view edition" data-view="edition">
        {header}
        <p aria-live="polite">Đang tải bản soạn báo cáo…</p>
      </article>
    );
  }
  if (load.state === "error") {
    return (
      <article class="unit-view edition" data-view="edition">
        {header}
        <p class="error" role="alert">
          {load.message}
        </p>
      </article>
    );
  }
  if (load.state === "none") {
    const start = async () => {
      setNotice(null);
      try {
        begin(await editionsApi.start(token, view));
      } catch (error) {
        if (error instanceof ApiError && error.code === "edition_exists")
          begin(await editionsApi.get(token, view));
        else setNotice(messageOf(error));
      }
    };
    return (
      <article class="unit-view edition" data-view="edition" data-unit={view.unit}>
        {header}
        <section class="panel" aria-labelledby="start-title">
          <h2 id="start-title">Chưa có bản soạn báo cáo cho kỳ này</h2>
          {rights.edit ? (
            <>
              <p>
                Bản soạn mới lấy nội dung, các con số và nơi nhận từ báo cáo đã ban hành của kỳ trước (nếu
                có); số và ngày văn bản để trống.
              </p>
              <button type="button" onClick={start}>
                Bắt đầu soạn báo cáo
              </button>
            </>
          ) : (
            <p>Cán bộ soạn thảo của đơn vị chưa bắt đầu soạn báo cáo kỳ này.</p>
          )}
          {notice && (
            <p class="error" role="alert">
              {notice}
            </p>
          )}
        </section>
      </article>
    );
  }

  const autosave = saver.current!;
  const edition = autosave.edition;
  const saved = autosave.server.edition;
  const status = autosave.status;
  const isDraft = saved.status === "draft" && status.kind !== "issued";
  const readOnly = !rights.edit || !isDraft;

  const openPreview = async () => {
    setPreview({ busy: true });
    if (!(await autosave.flush())) {
      setPreview({ busy: false, error: "Chưa lưu xong nội dung, nên chưa xem trước được." });
      return;
    }
    try {
      setPreview({ busy: false, url: (await editionsApi.preview(token, view)).url });
      requestAnimationFrame(() => previewLink.current?.focus());
    } catch (error) {
      setPreview({ busy: false, error: messageOf(error) });
    }
  };

  const openIssue = async () => {
    setNotice(null);
    if (!(await autosave.flush())) {
      setNotice("Chưa lưu xong nội dung, nên chưa ban hành được. Xem trạng thái lưu ở trên.");
      return;
    }
    setIssue({ open: true, busy: false, missing: null, error: null });
  };

  const confirmIssue = async () => {
    setIssue((s) => ({ ...s, busy: true, error: null }));
    try {
      const issued = await editionsApi.issue(token, view, autosave.server.etag);
      autosave.replace(issued);
      setIssue({ open: false, busy: false, missing: null, error: null });
      requestAnimationFrame(() => issuedHeading.current?.focus());
    } catch (error) {
      if (error instanceof ApiError && error.code === "edition_incomplete") {
        const missing = Array.isArray(error.details.missing) ? (error.details.missing as string[]) : [];
        setIssue((s) => ({ ...s, busy: false, missing }));
      } else if (error instanceof ApiError && (error.status === 412 || error.status === 409)) {
        autosave.replace(await editionsApi.get(token, view));
        setIssue({ open: false, busy: false, missing: null, error: null });
        setNotice("Báo cáo vừa được người khác lưu hoặc ban hành. Hãy xem lại nội dung mới nhất.");
      } else {
        setIssue((s) => ({ ...s, busy: false, error: messageOf(error) }));
      }
    }
  };

  const startCorrection = async () => {
    setNotice(null);
    try {
      autosave.replace(await editionsApi.correction(token, view));
    } catch (error) {
      setNotice(messageOf(error));
    }
  };

  return (
    <article class="unit-view edition" data-view="edition" data-unit={view.unit} data-status={saved.status}>
      {header}
      <p class="edition-meta">
        Bản {saved.edition} · phiên bản {saved.revision}
        {saved.savedBy ? ` · lưu lần cuối bởi ${saved.savedBy.name}` : ""} lúc {when(saved.savedAt)}
      </p>
      {saved.carriedFrom && (
        <p class="note" data-carried-from={`${saved.carriedFrom.year}/${saved.carriedFrom.edition}`}>
          Nội dung được chuyển sang từ báo cáo {saved.carriedFrom.year} (bản {saved.carriedFrom.edition}) đã
          ban hành. Hãy cập nhật cho kỳ này; số và ngày văn bản cần nhập mới.
        </p>
      )}

      <div class="edition-toolbar no-print">
        <p
          id="save-status"
          role="status"
          data-save={status.kind}
          data-revision={saved.revision}
          class={`save-status ${status.kind}`}
        >
          {statusText(status, saved)}
        </p>
        <div class="toolbar-actions">
          {(status.kind === "offline" || status.kind === "unauthorized") && (
            <button type="button" class="secondary" onClick={() => autosave.retryNow()}>
              Thử lưu lại
            </button>
          )}
          {rights.edit && isDraft && (
            <button type="button" class="secondary" onClick={openPreview} disabled={preview.busy}>
              {preview.busy ? "Đang lập bản xem trước…" : "Xem trước (Word)"}
            </button>
          )}
          <button type="button" class="secondary" onClick={() => window.print()}>
            In
          </button>
          {rights.issue && isDraft && (
            <button type="button" onClick={openIssue}>
              Ban hành…
            </button>
          )}
        </div>
        {preview.url && (
          <p>
            <a ref={previewLink} href={preview.url} data-preview download>
              Tải bản xem trước (Word)
            </a>
          </p>
        )}
        {preview.error && (
          <p class="error" role="alert">
            {preview.error}
          </p>
        )}
        {notice && (
          <p class="error" role="alert">
            {notice}
          </p>
        )}
        {!autosave.draftsAreKept && (
          <p class="error" role="alert">
            Trình duyệt không cho giữ bản nháp trong thẻ này: đừng tải lại trang trước khi thấy "Đã lưu".
          </p>
        )}
        {autosave.merged.length > 0 && status.kind !== "conflict" && (
          <p class="note" role="status">
            Đã nhận {formatCount(autosave.merged.length)} thay đổi của người khác ở các mục bạn không sửa.
          </p>
        )}
      </div>

      {saved.status !== "draft" && saved.issued && (
        <IssuedPanel
          edition={saved}
          headingRef={issuedHeading}
          canCorrect={rights.edit && saved.status === "issued"}
          onCorrect={startCorrection}
        />
      )}

      <nav class="edition-toc no-print" aria-label="Mục lục báo cáo">
        <h2>Mục lục</h2>
        <ol>
          <li>
            <a href="#thong-tin-van-ban">Thông tin văn bản</a>
          </li>
          {SECTIONS.map((s) => (
            <li key={s.id} class={edition.texts[s.id] ? "written" : "empty"}>
              <a href={`#${sectionAnchor(s.id)}`}>
                {s.id === "opening" ? "Mở đầu" : s.id}
                <span class="toc-title">
                  {" "}
                  {s.id === "opening" ? "" : s.title.replace(/^[0-9IV]+\.\s*/, "")}
                </span>
                <span class="sr-only">{edition.texts[s.id] ? " (đã viết)" : " (chưa viết)"}</span>
              </a>
            </li>
          ))}
        </ol>
      </nav>

      <EditionForm
        edition={edition}
        figures={figures.state === "ready" ? figures.data : null}
        readOnly={readOnly}
        onEdit={(key, value) => autosave.edit(key, value)}
      />
      <EditionPrint edition={edition} unitName={unitName} />

      {status.kind === "conflict" && (
        <ConflictDialog clashes={autosave.clashes} current={saved} onResolve={(r) => autosave.resolve(r)} />
      )}
      {issue.open && (
        <IssueDialog
          edition={edition}
          busy={issue.busy}
          missing={issue.missing}
          error={issue.error}
          onConfirm={confirmIssue}
          onCancel={() => setIssue({ open: false, busy: false, missing: null, error: null })}
        />
      )}
    </article>
  );
}

function IssuedPanel(props: {
  edition: Edition;
  headingRef: preact.RefObject<HTMLHeadingElement>;
  canCorrect: boolean;
  onCorrect: () => void;
}) {
  const { edition } = props;
  const issued = edition.issued!;
  const drift = edition.drift;
  const order = ["docx", "xlsx", "json"];
  const files = [...issued.files].sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format));
  return (
    <section class="panel issued" aria-labelledby="issued-title" data-issued>
      <h2 id="issued-title" ref={props.headingRef} tabIndex={-1}>
        {edition.status === "superseded"
          ? "Báo cáo đã được thay thế bởi bản đính chính"
          : "Báo cáo đã ban hành"}
      </h2>
      <p>
        Ban hành lúc {when(issued.at)}
        {issued.by ? ` bởi ${issued.by.name}` : ""}
        {issued.figuresAsOf ? `, số liệu tính đến ${when(issued.figuresAsOf)}` : ""}.
      </p>
      <ul class="downloads">
        {files.map((file) => (
          <li key={file.format}>
            <a href={file.url} data-issued-format={file.format} download>
              {FORMAT_LABELS[file.format as keyof typeof FORMAT_LABELS] ?? file.format}
            </a>{" "}
            <span class="muted hint-small">
              SHA-256 <code title={file.sha256}>{file.sha256.slice(0, 12)}…</code>
            </span>
          </li>
        ))}
      </ul>
      {drift && (
        <p data-drift={`${drift.received},${drift.resolved},${drift.pending}`}>
          {drift.received === 0 && drift.resolved === 0 && drift.pending === 0
            ? "Số liệu hiện tại vẫn đúng như lúc ban hành."
            : `Số liệu đã thay đổi sau khi ban hành (hiện tại so với bản ban hành): tiếp nhận ${formatChange(drift.received)}, đã giải quyết ${formatChange(drift.resolved)}, đang giải quyết ${formatChange(drift.pending)} hồ sơ. Các tệp đã ban hành không thay đổi.`}
        </p>
      )}
      {props.canCorrect && (
        <button type="button" class="secondary no-print" onClick={props.onCorrect}>
          Lập bản đính chính
        </button>
      )}
    </section>
  );
}
