/**
 * The editor's two dialogs, both native modal <dialog>s (the browser keeps focus inside and the
 * page behind inert): the conflict, in words with both versions; and the issue's confirmation.
 * Focus goes to the dialog's heading when it opens and back where it was when it closes.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Clash, Resolution } from "../../editions/autosave";
import { type FieldKey, fieldGroup } from "../../editions/fields";
import { fieldLabel, missingLabel, valueInWords } from "../../editions/labels";
import type { Edition } from "../../editions/model";
import { SECTIONS } from "../../editions/sections";

function Modal(props: {
  labelledBy: string;
  onCancel?: () => void;
  children: preact.ComponentChildren;
  class?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement as HTMLElement | null;
    dialog.showModal();
    dialog.querySelector<HTMLElement>(`#${props.labelledBy}`)?.focus();
    return () => {
      dialog.close();
      before?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={`modal ${props.class ?? ""}`}
      aria-labelledby={props.labelledBy}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel?.();
      }}
    >
      {props.children}
    </dialog>
  );
}

const when = (iso: string) => new Date(iso).toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" });

type Choice = "mine" | "theirs" | "merged";

/** Both versions of each field both sides changed; the person keeps one or writes the merge. */
export function ConflictDialog(props: {
  clashes: readonly Clash[];
  current: Edition;
  onResolve: (resolutions: Map<FieldKey, Resolution>) => void;
}) {
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [merged, setMerged] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      props.clashes
        .filter((c) => fieldGroup(c.key) === "texts")
        .map((c) => [c.key, [c.mine, c.theirs].filter((v) => typeof v === "string" && v).join("\n\n")]),
    ),
  );
  const who = props.current.savedBy?.name ?? "Người khác";
  const submit = (event: Event) => {
    event.preventDefault();
    const resolutions = new Map<FieldKey, Resolution>();
    for (const clash of props.clashes) {
      const choice = choices[clash.key] ?? "mine";
      resolutions.set(
        clash.key,
        choice === "theirs"
          ? { keep: "theirs" }
          : { keep: "value", value: choice === "merged" ? (merged[clash.key] ?? "") : clash.mine },
      );
    }
    props.onResolve(resolutions);
  };
  return (
    <Modal labelledBy="conflict-title" class="conflict">
      <form method="dialog" onSubmit={submit}>
        <h2 id="conflict-title" tabIndex={-1}>
          Có người khác vừa sửa cùng nội dung
        </h2>
        <p>
          {who} đã lưu phiên bản {props.current.revision} lúc {when(props.current.savedAt)}, trong khi bạn
          đang sửa. {props.clashes.length === 1 ? "Mục dưới đây" : `${props.clashes.length} mục dưới đây`} đã
          được cả hai người sửa khác nhau. Với mỗi mục, hãy chọn giữ bản của bạn, dùng bản đã lưu, hoặc gộp
          hai bản. Nội dung của bạn vẫn được giữ cho đến khi lưu xong.
        </p>
        {props.clashes.map((clash, i) => {
          const choice = choices[clash.key] ?? "mine";
          const name = `clash-${i}`;
          const isText = fieldGroup(clash.key) === "texts";
          return (
            <fieldset key={clash.key} class="clash" data-clash={clash.key}>
              <legend>{fieldLabel(clash.key)}</legend>
              <div class="versions">
                <div class="version" data-version="mine">
                  <h3>Bản của bạn (chưa lưu)</h3>
                  <p class="version-text">{valueInWords(clash.key, clash.mine)}</p>
                </div>
                <div class="version" data-version="theirs">
                  <h3>Bản đã lưu của {who}</h3>
                  <p class="version-text">{valueInWords(clash.key, clash.theirs)}</p>
                </div>
              </div>
              <div
                class="choices"
                role="radiogroup"
                aria-label={`Chọn bản giữ lại cho ${fieldLabel(clash.key)}`}
              >
                {(
                  [
                    ["mine", "Giữ bản của tôi"],
                    ["theirs", "Dùng bản đã lưu"],
                    ...(isText ? [["merged", "Gộp hai bản (sửa bên dưới)"]] : []),
                  ] as [Choice, string][]
                ).map(([value, label]) => (
                  <label key={value} class="choice">
                    <input
                      type="radio"
                      name={name}
                      value={value}
                      checked={choice === value}
                      onChange={() => setChoices({ ...choices, [clash.key]: value })}
                    />{" "}
                    {label}
                  </label>
                ))}
              </div>
              {choice === "merged" && (
                <div class="field">
                  <label for={`${name}-merged`}>Bản gộp</label>
                  <textarea
                    id={`${name}-merged`}
                    rows={8}
                    value={merged[clash.key] ?? ""}
                    onInput={(e) => setMerged({ ...merged, [clash.key]: e.currentTarget.value })}
                  />
                </div>
              )}
            </fieldset>
          );
        })}
        <div class="dialog-actions">
          <button type="submit">Lưu lựa chọn</button>
        </div>
      </form>
    </Modal>
  );
}

/** The issue's confirmation: what stays empty, what the server said is missing, then issue or not. */
export function IssueDialog(props: {
  edition: Edition;
  busy: boolean;
  missing: string[] | null;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const empty = SECTIONS.filter((s) => !props.edition.texts[s.id]?.trim());
  return (
    <Modal labelledBy="issue-title" onCancel={props.onCancel} class="issue">
      <h2 id="issue-title" tabIndex={-1}>
        Ban hành báo cáo?
      </h2>
      <p>
        Khi ban hành, báo cáo được khóa lại: các tệp Word, Excel và JSON được lập từ nội dung này và số liệu
        tại thời điểm ban hành, rồi không thay đổi nữa. Muốn sửa sau đó phải lập bản đính chính.
      </p>
      {empty.length > 0 ? (
        <>
          <h3 id="issue-empty-title">{empty.length} mục chưa viết (văn bản sẽ giữ chỗ trống […]):</h3>
          <ul aria-labelledby="issue-empty-title" data-list="empty-sections">
            {empty.map((s) => (
              <li key={s.id}>
                Mục {s.id}: {s.title}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>Tất cả các mục đã được viết.</p>
      )}
      {props.missing && props.missing.length > 0 && (
        <div role="alert" class="error-box" data-list="missing">
          <p>Chưa ban hành được: còn thiếu thông tin bắt buộc của văn bản:</p>
          <ul>
            {props.missing.map((m) => (
              <li key={m}>{missingLabel(m)}</li>
            ))}
          </ul>
          <p>Hãy điền vào phần "Thông tin văn bản" rồi ban hành lại.</p>
        </div>
      )}
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" onClick={props.onConfirm} disabled={props.busy}>
          {props.busy ? "Đang ban hành…" : "Ban hành"}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {props.missing?.length ? "Đóng để bổ sung" : "Hủy"}
        </button>
      </div>
    </Modal>
  );
}
