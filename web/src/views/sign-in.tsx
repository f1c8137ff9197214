import { useState } from "preact/hooks";
import { ApiError, api } from "../api";
import type { UnitsInScope } from "../model";

/**
 * The way in: "Đăng nhập" through the province's sign-in page (the provider of GET /v1/auth/config)
 * first; below it, secondary, the access code (a read-only reader token): one password input,
 * submitted with Enter, checked against the API.
 */
export function SignIn(props: {
  year: number;
  notice: string | null;
  /** Present when the API offers signing in as oneself. */
  onPersonSignIn?: () => Promise<void>;
  onSignedIn: (code: string, units: UnitsInScope) => void;
}) {
  const [code, setCode] = useState("");
  // With the person's sign-in above, a notice shows there, once.
  const [message, setMessage] = useState<string | null>(props.onPersonSignIn ? null : props.notice);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = code.trim();
    if (!trimmed) {
      setMessage("Vui lòng nhập mã truy cập.");
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      props.onSignedIn(trimmed, await api.units(trimmed, props.year));
    } catch (error) {
      setMessage(
        error instanceof ApiError && error.status === 401
          ? "Mã truy cập không đúng hoặc đã hết hạn."
          : `Không kết nối được máy chủ: ${(error as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  };

  const codeForm = (
    <form
      class={props.onPersonSignIn ? "sign-in access-code" : "sign-in"}
      onSubmit={submit}
      aria-labelledby="access-code-title"
      aria-describedby="sign-in-help"
    >
      {props.onPersonSignIn ? (
        <h2 id="access-code-title">Hoặc xem bằng mã truy cập</h2>
      ) : (
        <h1 id="access-code-title">Đăng nhập</h1>
      )}
      <p id="sign-in-help">
        Nhập mã truy cập do đơn vị quản lý cấp để xem số liệu của xã, phường hoặc tỉnh
        {props.onPersonSignIn ? " (chỉ xem, không soạn hay ký báo cáo)." : "."}
      </p>
      <label for="access-code">Mã truy cập</label>
      <input
        id="access-code"
        name="access-code"
        type="password"
        autocomplete="current-password"
        value={code}
        onInput={(e) => setCode(e.currentTarget.value)}
        aria-invalid={message ? "true" : undefined}
        aria-describedby={message ? "sign-in-message" : undefined}
      />
      <button type="submit" class={props.onPersonSignIn ? "secondary" : undefined} disabled={busy}>
        {busy ? "Đang kiểm tra…" : props.onPersonSignIn ? "Xem bằng mã" : "Đăng nhập"}
      </button>
      {message && (
        <p id="sign-in-message" class="error" role="alert">
          {message}
        </p>
      )}
    </form>
  );
  if (!props.onPersonSignIn) return codeForm;
  return (
    <>
      <PersonSignIn notice={props.notice} signIn={props.onPersonSignIn} />
      {codeForm}
    </>
  );
}

/** The primary way in: one button that leaves for the province's sign-in page. */
function PersonSignIn(props: { notice: string | null; signIn: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const start = async () => {
    setBusy(true);
    setMessage(null);
    try {
      await props.signIn();
    } catch (error) {
      setBusy(false);
      setMessage(`Không mở được trang đăng nhập: ${(error as Error).message}`);
    }
  };
  return (
    <section class="sign-in person" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Đăng nhập</h1>
      <p>Cán bộ đăng nhập bằng tài khoản của mình để xem số liệu, soạn và ký báo cáo theo quyền được cấp.</p>
      <button type="button" id="person-sign-in" onClick={start} disabled={busy}>
        {busy ? "Đang chuyển đến trang đăng nhập…" : "Đăng nhập"}
      </button>
      {(message ?? props.notice) && (
        <p class="error" role="alert">
          {message ?? props.notice}
        </p>
      )}
    </section>
  );
}
