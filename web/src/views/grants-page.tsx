/**
 * The admin's page (docs/portal.md#granting-roles): the grants within one of the admin's units
 * (`GET /v1/grants?unit=`), a form that grants a role or changes one (`PUT /v1/grants/{email}`),
 * and revoking (`DELETE /v1/grants/{email}`, confirmed in the row). The API decides what an admin
 * may do; its refusals are shown in words, and the list is read again after every change.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api, type Credential } from "../api";
import {
  formatTime,
  type Grant,
  type Me,
  ROLE_DESCRIPTIONS,
  ROLE_LABELS,
  ROLES,
  type Role,
  refusalMessage,
  type UnitNames,
  unitName,
} from "../people";
import { AuditList } from "./audit-list";

type Load = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; grants: Grant[] };

export function GrantsPage(props: { token: Credential; me: Me; names: UnitNames }) {
  const adminUnits = props.me.units;
  const [unit, setUnit] = useState(adminUnits[0] ?? "");
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [reloads, setReloads] = useState(0);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [unitsText, setUnitsText] = useState(adminUnits[0] ?? "");
  const [busy, setBusy] = useState(false);
  const emailInput = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  // The confirmation takes the focus, so a keyboard user confirms or cancels where they are.
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  useEffect(() => {
    if (!unit) return;
    let live = true;
    setLoad({ state: "loading" });
    api.grants(props.token, unit).then(
      (grants) => live && setLoad({ state: "ready", grants }),
      (error: unknown) => live && setLoad({ state: "error", message: refusalMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [props.token, unit, reloads]);

  // The audit is kept per unit a write names: the admin's units, and those of the grants listed.
  const listedUnits = load.state === "ready" ? load.grants.flatMap((grant) => grant.units) : [];
  const auditUnits = [...new Set([...adminUnits, ...listedUnits])].map((code) => ({
    code,
    label: `${unitName(code, props.names)} (${code})`,
  }));

  const edit = (grant: Grant) => {
    setEmail(grant.email);
    setName(grant.name ?? "");
    setRole(grant.role);
    setUnitsText(grant.units.join(", "));
    setStatus(null);
    emailInput.current?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmedEmail = email.trim().toLowerCase();
    const codes = unitsText
      .split(/[\s,;]+/)
      .map((code) => code.trim())
      .filter(Boolean);
    // The API checks the address and the codes (and the admin's scope): its refusal is shown below.
    if (!trimmedEmail || codes.length === 0) {
      setStatus({ ok: false, text: "Vui lòng nhập địa chỉ thư điện tử và ít nhất một mã đơn vị." });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const trimmedName = name.trim();
      await api.putGrant(props.token, trimmedEmail, {
        role,
        units: codes,
        ...(trimmedName ? { name: trimmedName } : {}),
      });
      setStatus({ ok: true, text: `Đã cấp quyền ${ROLE_LABELS[role]} cho ${trimmedEmail}.` });
      setEmail("");
      setName("");
      setReloads((n) => n + 1);
    } catch (error) {
      setStatus({ ok: false, text: refusalMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (grantee: string) => {
    setConfirming(null);
    setStatus(null);
    try {
      await api.revokeGrant(props.token, grantee);
      setStatus({ ok: true, text: `Đã thu hồi quyền của ${grantee}.` });
      setReloads((n) => n + 1);
    } catch (error) {
      setStatus({ ok: false, text: refusalMessage(error) });
    }
  };

  return (
    <>
      <h1>Quản lý quyền</h1>
      <p class="hint">
        Cấp, đổi hoặc thu hồi quyền của cán bộ trong các đơn vị bạn quản trị. Quyền cấp theo địa chỉ thư điện
        tử, có hiệu lực từ lần đăng nhập đầu tiên bằng địa chỉ đó.
      </p>

      <section class="panel no-print" aria-labelledby="grant-form-title">
        <h2 id="grant-form-title">Cấp hoặc đổi quyền</h2>
        <form class="grant-form" onSubmit={submit}>
          <div class="field">
            <label for="grant-email">Thư điện tử</label>
            <input
              id="grant-email"
              ref={emailInput}
              type="email"
              autocomplete="off"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="grant-name">Họ tên, chức vụ (không bắt buộc)</label>
            <input id="grant-name" type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="grant-role">Vai trò</label>
            <select
              id="grant-role"
              value={role}
              aria-describedby="grant-role-help"
              onChange={(e) => setRole(e.currentTarget.value as Role)}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
            <p id="grant-role-help" class="muted">
              {ROLE_LABELS[role]}: {ROLE_DESCRIPTIONS[role]}.
            </p>
          </div>
          <div class="field">
            <label for="grant-units">Đơn vị</label>
            <input
              id="grant-units"
              type="text"
              inputMode="numeric"
              aria-describedby="grant-units-help"
              value={unitsText}
              onInput={(e) => setUnitsText(e.currentTarget.value)}
            />
            <p id="grant-units-help" class="muted">
              Mã xã, phường (5 chữ số) hoặc mã tỉnh (2 chữ số), cách nhau bởi dấu phẩy; trong phạm vi của bạn:{" "}
              {adminUnits.map((code) => `${unitName(code, props.names)} (${code})`).join(", ")}.
            </p>
          </div>
          <button type="submit" disabled={busy}>
            {busy ? "Đang lưu…" : "Cấp quyền"}
          </button>
        </form>
        <div aria-live="polite">
          {status && (
            <p
              class={status.ok ? "success" : "error"}
              role={status.ok ? "status" : "alert"}
              data-grant-status
            >
              {status.text}
            </p>
          )}
        </div>
      </section>

      <section class="panel" aria-labelledby="grants-title">
        <h2 id="grants-title">Quyền đã cấp</h2>
        {adminUnits.length > 1 && (
          <div class="field">
            <label for="grants-unit">Đơn vị</label>
            <select id="grants-unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value)}>
              {adminUnits.map((code) => (
                <option key={code} value={code}>
                  {unitName(code, props.names)} ({code})
                </option>
              ))}
            </select>
          </div>
        )}
        {load.state === "loading" && <p class="muted">Đang tải danh sách quyền…</p>}
        {load.state === "error" && (
          <p class="error" role="alert">
            {load.message}
          </p>
        )}
        {load.state === "ready" && load.grants.length === 0 && (
          <p class="muted">Chưa có quyền nào được cấp.</p>
        )}
        {load.state === "ready" && load.grants.length > 0 && (
          <div class="table-scroll">
            <table class="list-table" data-table="grants">
              <caption>
                Quyền đã cấp trong {unitName(unit, props.names)} ({load.grants.length})
              </caption>
              <thead>
                <tr>
                  <th scope="col">Thư điện tử</th>
                  <th scope="col">Họ tên</th>
                  <th scope="col">Vai trò</th>
                  <th scope="col">Đơn vị</th>
                  <th scope="col">Trạng thái</th>
                  <th scope="col">Cấp bởi, lúc</th>
                  <th scope="col">Thao tác</th>
                </tr>
              </thead>
              <tbody>
                {load.grants.map((grant) => (
                  <tr key={grant.email} data-grant={grant.email}>
                    <th scope="row">{grant.email}</th>
                    <td>{grant.name ?? ""}</td>
                    <td data-grant-role={grant.role}>{ROLE_LABELS[grant.role] ?? grant.role}</td>
                    <td>{grant.units.map((code) => unitName(code, props.names)).join(", ")}</td>
                    <td>{grant.disabled ? "Đã tạm dừng" : "Đang hiệu lực"}</td>
                    <td>{[grant.grantedBy, formatTime(grant.grantedAt)].filter(Boolean).join(", ")}</td>
                    <td class="actions">
                      {confirming === grant.email ? (
                        <>
                          <button
                            type="button"
                            ref={confirmButton}
                            onClick={() => revoke(grant.email)}
                            aria-label={`Xác nhận thu hồi quyền của ${grant.email}`}
                          >
                            Xác nhận thu hồi
                          </button>{" "}
                          <button type="button" class="secondary" onClick={() => setConfirming(null)}>
                            Hủy
                          </button>
                        </>
                      ) : (
                        <>
                          <button
                            type="button"
                            class="secondary"
                            onClick={() => edit(grant)}
                            aria-label={`Sửa quyền của ${grant.email}`}
                          >
                            Sửa
                          </button>{" "}
                          <button
                            type="button"
                            class="secondary"
                            onClick={() => setConfirming(grant.email)}
                            aria-label={`Thu hồi quyền của ${grant.email}`}
                          >
                            Thu hồi
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <AuditList token={props.token} units={auditUnits} version={reloads} />
    </>
  );
}
