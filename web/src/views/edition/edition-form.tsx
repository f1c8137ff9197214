/**
 * The edition's form: the document block, then each section of the seed report with its text, the
 * live figures it speaks of and, where the seed states them, the counts officials type.
 */

import { documentKey, type FieldKey, type FieldValue, numberKey, textKey } from "../../editions/fields";
import {
  DOCUMENT_LABELS,
  NUMBER_LABELS,
  NUMBER_PARTS,
  NUMBERS_BY_SECTION,
  valueInWords,
} from "../../editions/labels";
import type { Edition, EditionNumbers, NumberName } from "../../editions/model";
import { sectionFigures } from "../../editions/section-figures";
import { MAX_SECTION_CHARS, SECTIONS, type SectionId } from "../../editions/sections";
import { formatCount } from "../../format";
import type { CommuneFigures, ProvinceFigures } from "../../model";
import { CountInput, LineInput, LinesInput } from "./inputs";

type Edit = (key: FieldKey, value: FieldValue) => void;

/** The seed's parts, each with its heading, and the sections under it. */
export const PARTS: { heading: string | null; ids: SectionId[] }[] = [
  { heading: null, ids: ["opening"] },
  { heading: "I. Tình hình, kết quả kiểm soát thủ tục hành chính", ids: sectionsOf("I.") },
  { heading: "II. Đánh giá chung", ids: sectionsOf("II.") },
  { heading: null, ids: ["III"] },
  { heading: "IV. Kiến nghị, đề xuất", ids: sectionsOf("IV.") },
];

function sectionsOf(prefix: string): SectionId[] {
  return SECTIONS.map((s) => s.id).filter((id) => id.startsWith(prefix)) as SectionId[];
}

export const sectionAnchor = (id: SectionId) => `muc-${id.replace(/\./g, "-")}`;

export function EditionForm(props: {
  edition: Edition;
  figures: CommuneFigures | ProvinceFigures | null;
  readOnly: boolean;
  onEdit: Edit;
}) {
  return (
    <div class="edition-form">
      <DocumentBlock {...props} />
      <p id="text-hint" class="muted">
        Văn bản thuần: các đoạn cách nhau một dòng trống; dòng bắt đầu bằng "- " là một ý liệt kê. Mục để
        trống giữ chỗ […] trong văn bản Word.
      </p>
      {PARTS.map((part) => (
        <div key={part.ids[0]} class="edition-part">
          {part.heading && <h2 class="part-heading">{part.heading}</h2>}
          {part.ids.map((id) => (
            <SectionEditor key={id} id={id} {...props} />
          ))}
        </div>
      ))}
    </div>
  );
}

function SectionEditor(props: {
  id: SectionId;
  edition: Edition;
  figures: CommuneFigures | ProvinceFigures | null;
  readOnly: boolean;
  onEdit: Edit;
}) {
  const { id } = props;
  const section = SECTIONS.find((s) => s.id === id)!;
  const text = props.edition.texts[id] ?? "";
  const anchor = sectionAnchor(id);
  const lines = props.figures ? sectionFigures(id, props.figures) : [];
  const numbers = NUMBERS_BY_SECTION[id] ?? [];
  return (
    <section class="panel edition-section" id={anchor} aria-labelledby={`${anchor}-title`} data-section={id}>
      <h3 id={`${anchor}-title`}>{section.title}</h3>
      <div class="edition-columns">
        <div class="edition-text">
          <textarea
            id={`${anchor}-text`}
            data-field={`texts:${id}`}
            aria-labelledby={`${anchor}-title`}
            aria-describedby={`text-hint ${anchor}-count`}
            rows={Math.min(24, Math.max(5, Math.ceil(text.length / 90) + text.split("\n").length))}
            maxLength={MAX_SECTION_CHARS}
            value={text}
            readOnly={props.readOnly}
            onInput={(e) => props.onEdit(textKey(id), e.currentTarget.value)}
          />
          <span id={`${anchor}-count`} class="muted hint-small">
            {text ? `${formatCount(text.length)}/${formatCount(MAX_SECTION_CHARS)} ký tự` : "Chưa viết"}
          </span>
          {numbers.map((name) => (
            <NumberFields key={name} name={name} {...props} />
          ))}
        </div>
        {lines.length > 0 && (
          <aside class="live-figures" aria-label={`Số liệu trực tiếp cho mục ${id}`}>
            <h4>Số liệu trực tiếp</h4>
            <dl>
              {lines.map((line, i) => (
                <div key={i} class={line.part ? "part" : undefined}>
                  <dt>{line.label}</dt>
                  <dd>{line.value}</dd>
                </div>
              ))}
            </dl>
          </aside>
        )}
      </div>
    </section>
  );
}

function NumberFields(props: { name: NumberName; edition: Edition; readOnly: boolean; onEdit: Edit }) {
  const { name } = props;
  const value = props.edition.numbers[name];
  const parts = NUMBER_PARTS[name];
  const id = `so-${name}`;
  const from = props.edition.fromCommunes;
  // A province's edition: beside each number, what its communes' issued reports sum to.
  const sums = from && (
    <p class="muted hint-small" data-from-communes={name}>
      Cộng từ {formatCount(from.issued)}/{formatCount(from.total)} xã đã ban hành:{" "}
      {valueInWords(numberKey(name), from.numbers[name] ?? null)}
    </p>
  );
  if (!parts) {
    return (
      <>
        <CountInput
          id={id}
          label={NUMBER_LABELS[name]}
          value={value as number | undefined}
          readOnly={props.readOnly}
          onChange={(next) => props.onEdit(numberKey(name), next ?? null)}
        />
        {sums}
      </>
    );
  }
  const group = (value ?? {}) as Record<string, number | string[] | undefined>;
  const setPart = (part: string, next: number | string[] | undefined) => {
    const updated: Record<string, unknown> = { ...group, [part]: next };
    if (next === undefined) delete updated[part];
    props.onEdit(numberKey(name), updated as EditionNumbers[NumberName]);
  };
  return (
    <fieldset class="number-group">
      <legend>{NUMBER_LABELS[name]}</legend>
      {parts.map((part) =>
        name === "proposals" ? (
          <LinesInput
            key={part.name}
            id={`${id}-${part.name}`}
            label={part.label}
            hint='Mỗi dòng một thủ tục; để trống nghĩa là "không có".'
            value={group[part.name] as string[] | undefined}
            readOnly={props.readOnly}
            onChange={(next) => setPart(part.name, next)}
          />
        ) : (
          <CountInput
            key={part.name}
            id={`${id}-${part.name}`}
            label={part.label}
            value={group[part.name] as number | undefined}
            readOnly={props.readOnly}
            onChange={(next) => setPart(part.name, next)}
          />
        ),
      )}
      {sums}
    </fieldset>
  );
}

function DocumentBlock(props: { edition: Edition; readOnly: boolean; onEdit: Edit }) {
  const doc = props.edition.document;
  const line = (
    field: "number" | "place" | "authority" | "signerTitle" | "signerName" | "preparerName",
    hint?: string,
  ) => (
    <LineInput
      id={`vb-${field}`}
      label={DOCUMENT_LABELS[field]}
      value={doc[field]}
      readOnly={props.readOnly}
      hint={hint}
      onChange={(next) => props.onEdit(documentKey(field), next)}
    />
  );
  return (
    <section class="panel edition-document" id="thong-tin-van-ban" aria-labelledby="document-title">
      <h2 id="document-title">Thông tin văn bản</h2>
      <div class="document-grid">
        {line("number", "Ví dụ: 140/BC-UBND")}
        {line("place", "Ví dụ: Quốc Tuấn")}
        <LineInput
          id="vb-date"
          type="date"
          label={DOCUMENT_LABELS.date}
          value={doc.date}
          readOnly={props.readOnly}
          onChange={(next) => props.onEdit(documentKey("date"), next)}
        />
        {line("authority", "Ví dụ: TM.")}
        {line("signerTitle", "Ví dụ: Chủ tịch")}
        {line("signerName")}
        {line("preparerName")}
        <LinesInput
          id="vb-recipients"
          label={DOCUMENT_LABELS.recipients}
          hint="Mỗi dòng một nơi nhận."
          value={doc.recipients}
          readOnly={props.readOnly}
          onChange={(next) => props.onEdit(documentKey("recipients"), next.length > 0 ? next : null)}
        />
      </div>
    </section>
  );
}
