import { useEffect, useState } from "preact/hooks";
import { api, type Credential } from "../api";
import type { ReportLink } from "../model";
import { type ViewState, viewStateQuery } from "../view-state";

export const FORMAT_LABELS: Record<ReportLink["format"], string> = {
  docx: "Báo cáo (Word)",
  xlsx: "Phụ lục số liệu (Excel)",
  json: "Dữ liệu (JSON)",
};
const ORDER: ReportLink["format"][] = ["docx", "xlsx", "json"];

/**
 * The built report's files as plain links to their presigned URLs; when nothing was built for this
 * unit and period yet, a button builds it now (POST /v1/reports) and then offers the links.
 */
export function Downloads(props: { token: Credential; view: ViewState & { unit: string }; what: string }) {
  const [links, setLinks] = useState<ReportLink[] | null | undefined>(undefined);
  const [message, setMessage] = useState<string | null>(null);
  const [building, setBuilding] = useState(false);

  const query = viewStateQuery(props.view);
  useEffect(() => {
    let live = true;
    api.reportLinks(props.token, props.view).then(
      (found) => live && setLinks(found),
      (error: unknown) => live && setMessage(`Không tải được liên kết: ${(error as Error).message}`),
    );
    return () => {
      live = false;
    };
  }, [props.token, query]);

  const build = async () => {
    setBuilding(true);
    setMessage(null);
    try {
      setLinks(await api.buildReport(props.token, props.view));
    } catch (error) {
      setMessage(`Không lập được báo cáo: ${(error as Error).message}`);
    } finally {
      setBuilding(false);
    }
  };

  return (
    <section class="panel no-print" aria-labelledby="downloads-title">
      <h2 id="downloads-title">Tải về {props.what}</h2>
      {links === undefined && !message && <p class="muted">Đang tìm báo cáo đã lập…</p>}
      {links && (
        <ul class="downloads">
          {ORDER.flatMap((format) => links.filter((l) => l.format === format)).map((link) => (
            <li key={link.format}>
              <a href={link.url} data-format={link.format} download>
                {FORMAT_LABELS[link.format]}
              </a>
            </li>
          ))}
        </ul>
      )}
      {links === null && (
        <>
          <p>Chưa lập báo cáo cho kỳ này.</p>
          <button type="button" onClick={build} disabled={building}>
            {building ? "Đang lập báo cáo…" : "Lập báo cáo ngay"}
          </button>
        </>
      )}
      {links && (
        <button type="button" class="secondary" onClick={build} disabled={building}>
          {building ? "Đang lập lại…" : "Lập lại với số liệu mới nhất"}
        </button>
      )}
      {message && (
        <p class="error" role="alert">
          {message}
        </p>
      )}
    </section>
  );
}
