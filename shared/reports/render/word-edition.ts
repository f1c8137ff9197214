/**
 * What a report edition (docs/editions.md#rendering) puts in the Word document: each section's
 * text in place of its highlighted "[…]" (paragraphs on blank lines, "- " list items), the counts
 * officials state in the seed's sentences, and the signature block of the annexes (preparer and
 * signer). Without an edition, or for a section left empty, the placeholders stay.
 */
import { AlignmentType, Paragraph, type Table, TableRow } from "docx";
import type { EditionContent, EditionNumbers } from "../../editions/edition";
import type { SectionId } from "../../editions/sections";
import type { CommuneReport } from "../model";
import { formatCount as n, periodLabel, upperVi } from "./vietnamese-format";
import {
  body,
  borderlessTable,
  centred,
  dash,
  LANDSCAPE_TEXT_WIDTH,
  mm,
  placeholder,
  placeholderRuns,
  plainCell,
  pt,
  t,
} from "./word-primitives";

export type NarrativeEdition = EditionContent | undefined;

/** A section's plain text as paragraphs: blocks on blank lines, lines starting with "- " as items. */
export function textParagraphs(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  for (const block of text.split(/\n[ \t]*\n/)) {
    let prose: string[] = [];
    const flush = () => {
      if (prose.length > 0) out.push(body(prose.join(" ")));
      prose = [];
    };
    for (const raw of block.split("\n")) {
      const line = raw.trim();
      if (line === "") continue;
      if (line.startsWith("- ")) {
        flush();
        out.push(dash(line.slice(2).trim()));
      } else {
        prose.push(line);
      }
    }
    flush();
  }
  return out;
}

const written = (edition: NarrativeEdition, id: SectionId): string | undefined => {
  const text = edition?.texts[id];
  return text !== undefined && text.trim() !== "" ? text : undefined;
};

/** The section's text, or its highlighted placeholder with `hint`. */
export function sectionText(edition: NarrativeEdition, id: SectionId, hint: string): Paragraph[] {
  const text = written(edition, id);
  return text === undefined ? [placeholder(hint)] : textParagraphs(text);
}

/** A further placeholder of a section: gone once the section is written. */
export function unlessWritten(edition: NarrativeEdition, id: SectionId, hint: string): Paragraph[] {
  return written(edition, id) === undefined ? [placeholder(hint)] : [];
}

/** The opening: the officials' text, or the placeholder of the basis before the standard sentence. */
export function openingParagraphs(edition: NarrativeEdition, standard: string): Paragraph[] {
  const text = written(edition, "opening");
  if (text !== undefined) return textParagraphs(text);
  return [body([...placeholderRuns("Căn cứ văn bản yêu cầu báo cáo của cấp trên"), t(standard)])];
}

const has = (value: number | undefined): value is number => value !== undefined;

/** I.1: the procedures in the commune's authority, by origin and by vertical sector; what changed. */
export function procedureSentences(report: CommuneReport, numbers: EditionNumbers | undefined): Paragraph[] {
  const out: Paragraph[] = [];
  const p = numbers?.procedures;
  if (p && has(p.total)) {
    const parts = [
      has(p.central) ? `thủ tục do trung ương quy định là ${n(p.central)} thủ tục` : undefined,
      has(p.provincial) ? `thủ tục do địa phương quy định là ${n(p.provincial)} thủ tục` : undefined,
    ].filter(Boolean);
    out.push(
      body(
        `Tổng số thủ tục hành chính thuộc thẩm quyền giải quyết của UBND xã là ${n(p.total)} thủ tục` +
          (parts.length > 0 ? `, trong đó: ${parts.join("; ")}.` : "."),
      ),
    );
  }
  const v = numbers?.vertical;
  if (v && has(v.total)) {
    const parts = [
      has(v.police) ? `công an ${n(v.police)} thủ tục` : undefined,
      has(v.military) ? `quân sự ${n(v.military)} thủ tục` : undefined,
    ].filter(Boolean);
    out.push(
      body(
        `Thủ tục hành chính theo ngành dọc là ${n(v.total)} thủ tục${parts.length > 0 ? `, ${parts.join(", ")}` : ""}.`,
      ),
    );
  }
  const c = numbers?.proceduresChanged;
  if (c && (has(c.issued) || has(c.abolished) || has(c.amended))) {
    const parts = [
      has(c.issued) ? `${n(c.issued)} thủ tục cấp xã mới ban hành` : undefined,
      has(c.abolished) ? `${n(c.abolished)} thủ tục bị bãi bỏ` : undefined,
      has(c.amended) ? `${n(c.amended)} thủ tục sửa đổi, bổ sung` : undefined,
    ].filter(Boolean);
    out.push(body(`Trong ${periodLabel(report.period)} đã có ${parts.join(", ")}.`));
  }
  if (has(numbers?.publications)) {
    out.push(body(`Ban hành ${n(numbers.publications)} văn bản công bố, công khai thủ tục hành chính.`));
  }
  return out;
}

const listOrNone = (names: readonly string[] | undefined) =>
  names === undefined || names.length === 0 ? "không có" : names.join("; ");

/** I.2: how many procedures were reviewed in how many fields, and the lists of proposals. */
export function reviewSentences(numbers: EditionNumbers | undefined): Paragraph[] {
  const out: Paragraph[] = [];
  const r = numbers?.reviewed;
  if (r && has(r.procedures)) {
    out.push(
      body(
        `Thực hiện rà soát được ${n(r.procedures)} thủ tục hành chính` +
          (has(r.fields) ? ` ở ${n(r.fields)} lĩnh vực.` : "."),
      ),
    );
  }
  const proposals = numbers?.proposals;
  if (proposals) {
    out.push(dash(`Danh sách thủ tục hành chính kiến nghị ban hành mới: ${listOrNone(proposals.new)}`));
    out.push(dash(`Danh sách thủ tục hành chính kiến nghị bãi bỏ: ${listOrNone(proposals.abolish)}`));
    out.push(dash(`Danh sách thủ tục hành chính kiến nghị đơn giản hóa: ${listOrNone(proposals.simplify)}`));
  }
  return out;
}

/** I.8 and I.9: initiatives and inspections. */
export function initiativeSentences(report: CommuneReport, numbers: EditionNumbers | undefined): Paragraph[] {
  return has(numbers?.initiatives)
    ? [
        body(
          `Trong ${periodLabel(report.period)} có ${n(numbers.initiatives)} sáng kiến, giải pháp cải cách thủ tục hành chính.`,
        ),
      ]
    : [];
}

export function inspectionSentences(report: CommuneReport, numbers: EditionNumbers | undefined): Paragraph[] {
  return has(numbers?.inspections)
    ? [
        body(
          `Trong ${periodLabel(report.period)} đã tổ chức ${n(numbers.inspections)} cuộc kiểm tra việc thực hiện kiểm soát thủ tục hành chính.`,
        ),
      ]
    : [];
}

/** "TM. ỦY BAN NHÂN DÂN" and "CHỦ TỊCH": the authority line and the signer's title, upper case. */
export function signerLines(edition: NarrativeEdition): [string, string] {
  const authority = edition?.document.authority?.trim() || "TM.";
  const title = edition?.document.signerTitle?.trim() || "Chủ tịch";
  return [`${upperVi(authority)} ỦY BAN NHÂN DÂN`, upperVi(title)];
}

/** The name under a signature: the edition's, or a highlighted placeholder. */
export function nameLine(name: string | undefined, hint: string): Paragraph {
  return name
    ? centred(name, { bold: true, size: pt(14) })
    : new Paragraph({ children: placeholderRuns(hint), alignment: AlignmentType.CENTER });
}

/** Under the annexes: the preparer (left) and the signer (right), as in the seed's annex pages. */
export function annexSignatures(edition: NarrativeEdition): Table {
  const half = Math.floor(LANDSCAPE_TEXT_WIDTH / 2);
  const [authority, title] = signerLines(edition);
  const gap = () => centred("", { size: pt(14), before: mm(20) });
  return borderlessTable(
    [
      new TableRow({
        cantSplit: true,
        children: [
          plainCell(
            [
              centred("NGƯỜI LẬP BIỂU", { bold: true, size: pt(13), before: 240 }),
              gap(),
              nameLine(edition?.document.preparerName, "Họ và tên người lập biểu"),
            ],
            half,
          ),
          plainCell(
            [
              centred(authority, { bold: true, size: pt(13), before: 240 }),
              centred(title, { bold: true, size: pt(13) }),
              gap(),
              nameLine(edition?.document.signerName, "Họ và tên người ký"),
            ],
            LANDSCAPE_TEXT_WIDTH - half,
          ),
        ],
      }),
    ],
    [half, LANDSCAPE_TEXT_WIDTH - half],
  );
}
