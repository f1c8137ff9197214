import { describe, expect, it } from "vitest";
import {
  carriedContent,
  contentProblem,
  driftOf,
  type EditionContent,
  editionPutSchema,
  mergeContent,
  missingForIssue,
  periodKey,
  sumNumbers,
} from "../../shared/editions/edition";
import { MAX_SECTION_CHARS, SECTION_IDS } from "../../shared/editions/sections";

const base: EditionContent = {
  texts: { "I.1": "một", "II.1": "hai" },
  numbers: { procedures: { total: 137 }, publications: 53 },
  document: { number: "140/BC-UBND", recipients: ["UBND huyện Nam Sách"] },
};

describe("the PUT merge", () => {
  it("replaces each key given, clears each null, keeps each absent, and names what changed", () => {
    const { content, sections } = mergeContent(base, {
      texts: { "I.1": "một, sửa", "II.1": null, III: "ba" },
      numbers: { publications: null, reviewed: { procedures: 37, fields: 8 } },
      document: { date: "2023-12-14" },
    });
    expect(content.texts).toEqual({ "I.1": "một, sửa", III: "ba" });
    expect(content.numbers).toEqual({ procedures: { total: 137 }, reviewed: { procedures: 37, fields: 8 } });
    expect(content.document).toEqual({
      number: "140/BC-UBND",
      recipients: ["UBND huyện Nam Sách"],
      date: "2023-12-14",
    });
    expect(sections.sort()).toEqual(
      ["I.1", "II.1", "III", "document.date", "numbers.publications", "numbers.reviewed"].sort(),
    );
  });

  it("names nothing when the values given are the ones held", () => {
    expect(mergeContent(base, { texts: { "I.1": "một" }, numbers: { publications: 53 } }).sections).toEqual(
      [],
    );
  });

  it("keeps texts in the seed's order of sections", () => {
    const { content } = mergeContent(base, { texts: { opening: "căn cứ", "IV.4": "khác" } });
    expect(Object.keys(content.texts)).toEqual(["opening", "I.1", "II.1", "IV.4"]);
  });
});

describe("the PUT schema", () => {
  const refused = (body: unknown) => !editionPutSchema.safeParse(body).success;

  it("takes every section id of the seed and refuses any other", () => {
    expect(SECTION_IDS).toHaveLength(1 + 14 + 2 + 1 + 4);
    expect(refused({ texts: Object.fromEntries(SECTION_IDS.map((id) => [id, "x"])) })).toBe(false);
    expect(refused({ texts: { "I.15": "x" } })).toBe(true);
    expect(refused({ texts: { V: "x" } })).toBe(true);
    expect(refused({ other: {} })).toBe(true);
  });

  it("refuses texts over 20,000 characters and control characters (line feeds allowed)", () => {
    expect(refused({ texts: { "I.1": "a".repeat(MAX_SECTION_CHARS) } })).toBe(false);
    expect(refused({ texts: { "I.1": "a".repeat(MAX_SECTION_CHARS + 1) } })).toBe(true);
    expect(refused({ texts: { "I.1": "đoạn một\n\n- mục" } })).toBe(false);
    expect(refused({ texts: { "I.1": "tab\there" } })).toBe(true);
    expect(refused({ texts: { "I.1": "bell\u0007" } })).toBe(true);
    expect(refused({ document: { number: "140\n/BC-UBND" } })).toBe(true);
  });

  it("refuses negative, fractional and unknown numbers", () => {
    expect(refused({ numbers: { procedures: { total: 137, central: 137 } } })).toBe(false);
    expect(refused({ numbers: { procedures: { total: -1 } } })).toBe(true);
    expect(refused({ numbers: { publications: 1.5 } })).toBe(true);
    expect(refused({ numbers: { publications: "53" } })).toBe(true);
    expect(refused({ numbers: { procedures: { all: 1 } } })).toBe(true);
    expect(refused({ numbers: { proposals: { new: ["Thủ tục A"] } } })).toBe(false);
  });

  it("refuses a malformed date and an empty list of recipients", () => {
    expect(refused({ document: { date: "14/12/2023" } })).toBe(true);
    expect(refused({ document: { recipients: [] } })).toBe(true);
  });
});

describe("the checks that need the period", () => {
  it("accepts a date in the period's year or the next, refuses any other", () => {
    const withDate = (date: string): EditionContent => ({ ...base, document: { date } });
    expect(contentProblem(withDate("2023-12-14"), 2023)).toBeUndefined();
    expect(contentProblem(withDate("2024-01-10"), 2023)).toBeUndefined();
    expect(contentProblem(withDate("2022-12-31"), 2023)).toMatchObject({ kind: "date_outside" });
    expect(contentProblem(withDate("2025-01-01"), 2023)).toMatchObject({ kind: "date_outside" });
  });

  it("refuses an edition over 200 KB", () => {
    const texts = Object.fromEntries(SECTION_IDS.slice(0, 11).map((id) => [id, "ạ".repeat(10_000)]));
    expect(contentProblem({ ...base, texts }, 2023)).toMatchObject({ kind: "too_large" });
    expect(contentProblem(base, 2023)).toBeUndefined();
  });
});

describe("issue, carry-over, drift, province sums", () => {
  it("lists what an issue lacks", () => {
    expect(missingForIssue(base)).toEqual([
      "document.place",
      "document.date",
      "document.signerTitle",
      "document.signerName",
    ]);
    expect(missingForIssue({ ...base, document: {} })).toContain("document.recipients");
  });

  it("carries texts, numbers and the document block but its number and date", () => {
    const carried = carriedContent({
      ...base,
      document: { ...base.document, date: "2022-12-14", signerName: "A" },
    });
    expect(carried.texts).toEqual(base.texts);
    expect(carried.numbers).toEqual(base.numbers);
    expect(carried.document).toEqual({ recipients: ["UBND huyện Nam Sách"], signerName: "A" });
  });

  it("computes drift as live minus issued", () => {
    expect(
      driftOf({ received: 10, resolved: 7, pending: 3 }, { received: 8, resolved: 7, pending: 1 }),
    ).toEqual({
      received: 2,
      resolved: 0,
      pending: 2,
    });
  });

  it("sums each count the communes stated and joins proposal lists", () => {
    expect(
      sumNumbers([
        { procedures: { total: 137, central: 137 }, publications: 53, proposals: { new: ["A"] } },
        { procedures: { total: 120 }, initiatives: 1, proposals: { new: ["A", "B"], abolish: [] } },
      ]),
    ).toEqual({
      procedures: { total: 257, central: 137 },
      publications: 53,
      initiatives: 1,
      proposals: { new: ["A", "B"], abolish: [] },
    });
  });

  it("names periods in keys", () => {
    expect(periodKey({ kind: "year", year: 2023 })).toBe("2023");
    expect(periodKey({ kind: "quarter", year: 2023, quarter: 2 })).toBe("2023-q2");
    expect(periodKey({ kind: "month", year: 2023, month: 3 })).toBe("2023-m03");
  });
});
