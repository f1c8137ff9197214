/**
 * The province's view of its communes' reports (`GET /v1/editions?provinceCode=…`): every commune
 * the registry places in it with the status of its report, those not issued first, `n/N` issued,
 * the list as an Excel workbook and every issued report in one ZIP (links to presigned URLs).
 */
import { useEffect, useState } from "preact/hooks";
import { ApiError, type Credential } from "../../api";
import { editionsApi } from "../../editions/api";
import type { ProvinceEditions } from "../../editions/model";
import { STATUS_LABELS } from "../../editions/status";
import { formatChange, formatCount, formatDate } from "../../format";
import { inPageClick, type ViewState, viewStateQuery } from "../../view-state";

const when = (iso: string) => new Date(iso).toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" });

type Link = { busy: boolean; url?: string; error?: string };

export function ProvinceEditionsPanel(props: {
  token: Credential;
  view: ViewState & { unit: string };
  onNavigate: (next: ViewState) => void;
}) {
  const [load, setLoad] = useState<ProvinceEditions | { error: string } | null>(null);
  const [workbook, setWorkbook] = useState<Link>({ busy: false });
  const [bundle, setBundle] = useState<Link>({ busy: false });
  const query = viewStateQuery(props.view);
  useEffect(() => {
    let live = true;
    editionsApi.province(props.token, props.view).then(
      (found) => live && setLoad(found),
      (error: unknown) =>
        live &&
        setLoad({
          error:
            error instanceof ApiError && error.status === 403
              ? "Bạn không có quyền xem tình hình báo cáo của tỉnh này."
              : `Không tải được tình hình báo cáo: ${(error as Error).message}`,
        }),
    );
    return () => {
      live = false;
    };
  }, [props.token, query]);

  const fetchLink = async (set: (link: Link) => void, get: () => Promise<{ url: string }>) => {
    set({ busy: true });
    try {
      set({ busy: false, url: (await get()).url });
    } catch (error) {
      set({ busy: false, error: `Không lập được tệp: ${(error as Error).message}` });
    }
  };

  return (
    <section class="panel" aria-labelledby="editions-title" data-panel="province-editions">
      <h2 id="editions-title">Tình hình ban hành báo cáo của các xã, phường</h2>
      {load === null && <p aria-live="polite">Đang tải tình hình báo cáo…</p>}
      {load && "error" in load && (
        <p class="error" role="alert">
          {load.error}
        </p>
      )}
      {load && "communes" in load && (
        <>
          <p class="big-line" data-issued-count={`${load.issued}/${load.total}`}>
            <strong>
              {formatCount(load.issued)}/{formatCount(load.total)}
            </strong>{" "}
            xã, phường đã ban hành báo cáo
          </p>
          <div class="toolbar-actions no-print">
            <button
              type="button"
              class="secondary"
              disabled={workbook.busy}
              onClick={() =>
                fetchLink(setWorkbook, () => editionsApi.provinceWorkbook(props.token, props.view))
              }
            >
              {workbook.busy ? "Đang lập tệp Excel…" : "Xuất danh sách ra Excel"}
            </button>
            <button
              type="button"
              class="secondary"
              disabled={bundle.busy || load.issued === 0}
              onClick={() => fetchLink(setBundle, () => editionsApi.bundle(props.token, props.view))}
            >
              {bundle.busy ? "Đang đóng gói…" : "Tải tất cả báo cáo đã ban hành (ZIP)"}
            </button>
          </div>
          {[
            { link: workbook, label: "Tải danh sách (Excel)", name: "xlsx" },
            { link: bundle, label: "Tải gói báo cáo đã ban hành (ZIP)", name: "zip" },
          ].map(({ link, label, name }) => (
            <div key={name} aria-live="polite">
              {link.url && (
                <p>
                  <a href={link.url} data-export={name} download>
                    {label}
                  </a>
                </p>
              )}
              {link.error && (
                <p class="error" role="alert">
                  {link.error}
                </p>
              )}
            </div>
          ))}
          <div class="table-scroll">
            <table class="list-table" data-table="editions">
              <caption>Báo cáo năm của từng xã, phường: chưa ban hành xếp trước</caption>
              <thead>
                <tr>
                  <th scope="col">Mã</th>
                  <th scope="col">Xã, phường</th>
                  <th scope="col">Tình trạng</th>
                  <th scope="col">Số văn bản</th>
                  <th scope="col">Ngày</th>
                  <th scope="col">Người ban hành</th>
                  <th scope="col">Lưu lần cuối</th>
                  <th scope="col">Số liệu thay đổi sau ban hành</th>
                </tr>
              </thead>
              <tbody>
                {load.communes.map((row) => {
                  const next: ViewState = { ...props.view, unit: row.communeCode, tab: "edition" };
                  return (
                    <tr key={row.communeCode} data-commune={row.communeCode} data-status={row.status}>
                      <td>{row.communeCode}</td>
                      <th scope="row">
                        <a
                          href={`/?${viewStateQuery(next)}`}
                          onClick={inPageClick(() => props.onNavigate(next))}
                        >
                          {row.communeName}
                        </a>
                      </th>
                      <td>
                        <span class={`badge ${row.status}`}>{STATUS_LABELS[row.status]}</span>
                        {row.edition && row.edition > 1 ? ` (bản ${row.edition})` : ""}
                      </td>
                      <td>{row.number ?? ""}</td>
                      <td>{row.date ? formatDate(row.date) : ""}</td>
                      <td>{row.issuedBy ?? ""}</td>
                      <td>{row.savedAt ? when(row.savedAt) : ""}</td>
                      <td class="num">
                        {row.drift
                          ? `${formatChange(row.drift.received)} / ${formatChange(row.drift.resolved)} / ${formatChange(row.drift.pending)}`
                          : ""}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p class="muted hint-small">
            Số liệu thay đổi sau ban hành: tiếp nhận / đã giải quyết / đang giải quyết, số liệu hiện tại trừ
            số liệu lúc ban hành.
          </p>
        </>
      )}
    </section>
  );
}
