/**
 * The newest audit records of a unit (`GET /v1/audit?unit=`), on the admin's page: who changed what,
 * when. Records are kept per unit a write names (a commune's grant under the commune), so the admin
 * picks among their own units and those of the grants listed. Read again whenever `version`
 * changes (after each grant or revocation on the page).
 */
import { useEffect, useState } from "preact/hooks";
import { api, type Credential } from "../api";
import { AUDIT_ACTION_LABELS, type AuditPage, formatTime, refusalMessage } from "../people";

export function AuditList(props: {
  token: Credential;
  units: readonly { code: string; label: string }[];
  version: number;
}) {
  const [unit, setUnit] = useState(props.units[0]?.code ?? "");
  const [page, setPage] = useState<AuditPage | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (!unit) return;
    let live = true;
    setMessage(null);
    setPage(null);
    api.audit(props.token, unit).then(
      (loaded) => live && setPage(loaded),
      (error: unknown) => live && setMessage(refusalMessage(error)),
    );
    return () => {
      live = false;
    };
  }, [props.token, unit, props.version]);
  const unitLabel = props.units.find((u) => u.code === unit)?.label ?? unit;

  return (
    <section class="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">Nhật ký thay đổi</h2>
      <div class="field">
        <label for="audit-unit">Đơn vị</label>
        <select id="audit-unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value)}>
          {props.units.map((u) => (
            <option key={u.code} value={u.code}>
              {u.label}
            </option>
          ))}
        </select>
      </div>
      {message && (
        <p class="error" role="alert">
          {message}
        </p>
      )}
      {!message && !page && <p class="muted">Đang tải nhật ký…</p>}
      {page && page.records.length === 0 && <p class="muted">Chưa có thay đổi nào.</p>}
      {page && page.records.length > 0 && (
        <div class="table-scroll">
          <table class="list-table" data-table="audit">
            <caption>Các thay đổi gần nhất trong {unitLabel} (mới nhất trước)</caption>
            <thead>
              <tr>
                <th scope="col">Lúc</th>
                <th scope="col">Người thực hiện</th>
                <th scope="col">Việc</th>
                <th scope="col">Đối tượng</th>
              </tr>
            </thead>
            <tbody>
              {page.records.map((record) => (
                <tr
                  key={`${record.at}#${record.requestId}#${record.action}`}
                  data-audit-action={record.action}
                >
                  <td>{formatTime(record.at)}</td>
                  <td>{record.by.name}</td>
                  <td>{AUDIT_ACTION_LABELS[record.action] ?? record.action}</td>
                  <td>{record.target}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
