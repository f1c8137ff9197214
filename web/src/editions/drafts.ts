/**
 * Unsaved fields kept in the tab's sessionStorage until the server has them, so a reload
 * mid-typing loses nothing (docs/editions.md, "Trong cổng"). One entry per field (typing writes
 * only the section being typed in), keyed by unit, year and period. sessionStorage rather than localStorage: a draft
 * stays with the tab that typed it and is gone with it, never left on a shared office computer.
 * Each entry also keeps the saved value the typing started from, so a draft that meets a newer
 * revision after a reload is merged like a conflict (autosave.ts), never written over it blindly.
 */
import type { FieldKey, FieldValue } from "./fields";

export interface DraftField {
  value: FieldValue;
  /** The saved value when the typing started. */
  from: FieldValue;
}

type DraftStorage = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

export class DraftStore {
  private readonly prefix: string;

  constructor(
    private readonly storage: DraftStorage | null,
    scope: string,
  ) {
    this.prefix = `editions.draft/${scope}/`;
  }

  /** Whether the entry was kept (false when storage is full or unavailable). */
  write(key: FieldKey, field: DraftField): boolean {
    try {
      this.storage?.setItem(this.prefix + key, JSON.stringify(field));
      return this.storage !== null;
    } catch {
      return false;
    }
  }

  remove(key: FieldKey): void {
    try {
      this.storage?.removeItem(this.prefix + key);
    } catch {
      // storage unavailable: nothing was kept either
    }
  }

  read(): Map<FieldKey, DraftField> {
    const fields = new Map<FieldKey, DraftField>();
    if (!this.storage) return fields;
    try {
      for (let i = 0; i < this.storage.length; i++) {
        const name = this.storage.key(i);
        if (!name?.startsWith(this.prefix)) continue;
        const parsed = JSON.parse(this.storage.getItem(name) ?? "null") as DraftField | null;
        if (parsed && "value" in parsed) fields.set(name.slice(this.prefix.length) as FieldKey, parsed);
      }
    } catch {
      // a corrupt entry is skipped with the rest: the server's text stays
    }
    return fields;
  }
}

/** The tab's sessionStorage, or null where the browser refuses it. */
export function sessionDrafts(scope: string): DraftStore {
  let storage: DraftStorage | null = null;
  try {
    storage = globalThis.sessionStorage;
  } catch {
    storage = null;
  }
  return new DraftStore(storage, scope);
}
