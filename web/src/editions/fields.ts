/**
 * The page's unit of editing: one field of an edition, named like the PUT body's keys (a section of
 * `texts`, a name of `numbers`, a field of `document`), so a save sends exactly the fields typed in.
 * Pure: unit-tested in test/unit/web-editions.test.ts.
 */
import type { DocumentField, Edition, EditionChanges, NumberName } from "./model";
import type { SectionId } from "./sections";

export type FieldKey = `texts:${SectionId}` | `numbers:${NumberName}` | `document:${DocumentField}`;

/** A field's value as JSON; `null` when absent or empty (what PUT's `null` clears). */
export type FieldValue = unknown;

export const textKey = (id: SectionId): FieldKey => `texts:${id}`;
export const numberKey = (name: NumberName): FieldKey => `numbers:${name}`;
export const documentKey = (field: DocumentField): FieldKey => `document:${field}`;

type Group = "texts" | "numbers" | "document";

function split(key: FieldKey): [Group, string] {
  const at = key.indexOf(":");
  return [key.slice(0, at) as Group, key.slice(at + 1)];
}

/** Empty strings, empty objects and absent values are the same thing: nothing written. */
export function normalize(value: unknown): FieldValue {
  if (value === undefined || value === null || value === "") return null;
  if (Array.isArray(value)) return value;
  if (typeof value === "object") {
    const kept = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined && v !== null,
    );
    return kept.length === 0 ? null : Object.fromEntries(kept);
  }
  return value;
}

/** The value of a field in an edition, normalized. */
export function fieldValueIn(
  edition: Pick<Edition, "texts" | "numbers" | "document">,
  key: FieldKey,
): FieldValue {
  const [group, name] = split(key);
  return normalize((edition[group] as Record<string, unknown>)[name]);
}

/** JSON equality with object keys in any order. */
export function sameValue(a: FieldValue, b: FieldValue): boolean {
  return canonical(normalize(a)) === canonical(normalize(b));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The PUT body that writes these fields (null clears one). */
export function changesBody(fields: Iterable<[FieldKey, FieldValue]>): EditionChanges {
  const body: Record<Group, Record<string, unknown>> = { texts: {}, numbers: {}, document: {} };
  for (const [key, value] of fields) {
    const [group, name] = split(key);
    body[group][name] = normalize(value);
  }
  const changes: EditionChanges = {};
  for (const group of ["texts", "numbers", "document"] as const) {
    if (Object.keys(body[group]).length > 0) (changes as Record<Group, unknown>)[group] = body[group];
  }
  return changes;
}

/** The edition as the page shows it: the saved one with the unsaved fields laid over it. */
export function withFields(edition: Edition, fields: Iterable<[FieldKey, FieldValue]>): Edition {
  const next: Edition = {
    ...edition,
    texts: { ...edition.texts },
    numbers: { ...edition.numbers },
    document: { ...edition.document },
  };
  for (const [key, value] of fields) {
    const [group, name] = split(key);
    const target = next[group] as Record<string, unknown>;
    const normalized = normalize(value);
    if (normalized === null) delete target[name];
    else target[name] = normalized;
  }
  return next;
}

/** Where a field lives in the page and in words, for the conflict and issue dialogs. */
export function fieldGroup(key: FieldKey): Group {
  return split(key)[0];
}
export function fieldName(key: FieldKey): string {
  return split(key)[1];
}

/** Every field key of a PUT-shaped body or an edition (what a conflict compares). */
export function fieldKeys(edition: Pick<Edition, "texts" | "numbers" | "document">): FieldKey[] {
  const keys: FieldKey[] = [];
  for (const group of ["texts", "numbers", "document"] as const) {
    for (const name of Object.keys(edition[group] ?? {})) keys.push(`${group}:${name}` as FieldKey);
  }
  return keys;
}
