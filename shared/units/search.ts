/**
 * The unit search of the portal, one definition for the page (web/src/format.ts re-exports it) and
 * the server (`GET /v1/units?q=…`, shared/reports/units-in-scope.ts): any case, with or without
 * diacritics, any word order. Pure.
 */

/**
 * Folds Vietnamese text for search: lower case, tone and vowel marks removed, "đ" → "d", spaces
 * collapsed. "Xã Quốc Tuấn" → "xa quoc tuan".
 */
export function foldDiacritics(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** The words of a query, folded: what `matchesFolded` looks for. */
export function searchWords(query: string): string[] {
  return foldDiacritics(query).split(" ").filter(Boolean);
}

/** Whether every word appears in an already folded text (many texts, one query: fold once). */
export function matchesFolded(foldedText: string, words: readonly string[]): boolean {
  return words.every((word) => foldedText.includes(word));
}

/**
 * Whether every word of the query appears in the text, ignoring case and diacritics:
 * "quoc tuan", "Quốc Tuấn" and "tuan quoc" all find "Xã Quốc Tuấn"; an empty query finds everything.
 */
export function matchesSearch(text: string, query: string): boolean {
  return matchesFolded(foldDiacritics(text), searchWords(query));
}
