/**
 * The edition as a document, for printing from the page (hidden on screen; the print stylesheet
 * shows it and hides the form): the document block and each written section in the seed's order,
 * paragraphs on blank lines, "- " lines as list items. The issued files remain the official copy.
 */

import type { Edition } from "../../editions/model";
import { SECTIONS } from "../../editions/sections";
import { formatDate } from "../../format";
import { PARTS } from "./edition-form";

function Paragraphs(props: { text: string }) {
  const blocks = props.text.split(/\n\s*\n/).filter((b) => b.trim());
  return (
    <>
      {blocks.map((block, i) => {
        const lines = block.split("\n");
        return lines.every((l) => l.startsWith("- ")) ? (
          <ul key={i}>
            {lines.map((l, j) => (
              <li key={j}>{l.slice(2)}</li>
            ))}
          </ul>
        ) : (
          <p key={i}>{block}</p>
        );
      })}
    </>
  );
}

export function EditionPrint(props: { edition: Edition; unitName: string }) {
  const { edition } = props;
  const doc = edition.document;
  const date = doc.date ? formatDate(doc.date).split("/") : null;
  // "TM. ỦY BAN NHÂN DÂN XÃ": the kind of unit, from its name ("Xã Quốc Tuấn", "Tỉnh Hải Dương").
  const kind = /^(xã|phường|thị trấn|tỉnh|thành phố)\s/i.exec(props.unitName)?.[1]?.toUpperCase();
  return (
    <div class="edition-print" aria-hidden="true">
      <div class="print-head">
        <p>
          <strong>ỦY BAN NHÂN DÂN</strong>
          <br />
          <strong>{props.unitName.toUpperCase()}</strong>
          <br />
          Số: {doc.number ?? "…"}
        </p>
        <p>
          <strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong>
          <br />
          Độc lập - Tự do - Hạnh phúc
          <br />
          <em>
            {doc.place ?? "…"},{" "}
            {date ? `ngày ${date[0]} tháng ${date[1]} năm ${date[2]}` : "ngày … tháng … năm …"}
          </em>
        </p>
      </div>
      <h1 class="print-title">BÁO CÁO</h1>
      {PARTS.map((part) => {
        const written = SECTIONS.filter((s) => part.ids.includes(s.id) && edition.texts[s.id]?.trim());
        if (written.length === 0) return null;
        return (
          <div key={part.ids[0]}>
            {part.heading && <h2 class="print-part">{part.heading.toUpperCase()}</h2>}
            {written.map((s) => (
              <section key={s.id}>
                {s.id !== "opening" && <h3>{s.title}</h3>}
                <Paragraphs text={edition.texts[s.id] ?? ""} />
              </section>
            ))}
          </div>
        );
      })}
      <div class="print-foot">
        <div>
          <p>
            <strong>Nơi nhận:</strong>
          </p>
          <ul>
            {(doc.recipients ?? []).map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
        <p class="signer">
          <strong>
            {doc.authority ? `${doc.authority} ỦY BAN NHÂN DÂN${kind ? ` ${kind}` : ""}` : ""}
            <br />
            {(doc.signerTitle ?? "").toUpperCase()}
          </strong>
          <br />
          <br />
          <br />
          {doc.signerName ?? ""}
        </p>
      </div>
    </div>
  );
}
