import { useState } from "preact/hooks";
import { ApiError, api } from "../api";
import type { UnitsInScope } from "../model";

/** One password input for the access code, submitted with Enter; the code is checked against the API. */
export function SignIn(props: {
  year: number;
  notice: string | null;
  onSignedIn: (code: string, units: UnitsInScope) => void;
}) {
  const [code, setCode] = useState("");
  const [message, setMessage] = useState<string | null>(props.notice);
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

  return (
    <form class="sign-in" onSubmit={submit} aria-describedby="sign-in-help">
      <h1>Đăng nhập</h1>
      <p id="sign-in-help">Nhập mã truy cập do đơn vị quản lý cấp để xem số liệu của xã, phường hoặc tỉnh.</p>
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
      <button type="submit" disabled={busy}>
        {busy ? "Đang kiểm tra…" : "Đăng nhập"}
      </button>
      {message && (
        <p id="sign-in-message" class="error" role="alert">
          {message}
        </p>
      )}
    </form>
  );
}
