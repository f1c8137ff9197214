/**
 * Saving as one types (docs/editions.md, "Trong cổng"): every edit is kept in the tab's drafts at
 * once, then sent after a pause in typing (or every few seconds of continuous typing) with `If-Match` =
 * the last ETag. Nothing typed is dropped until the server has it:
 * - a lost network or a 5xx: kept, retried with a growing delay (and at once when the browser says
 *   it is online again);
 * - 412 `edition_conflict`: the saved `current` is compared field by field with what the typing
 *   started from: fields only one side changed merge by themselves; fields both changed are
 *   "clashes" the person decides (theirs, mine, or a merged text), then the save goes on with the
 *   new ETag;
 * - a reload: the drafts meet the edition as loaded and merge the same way.
 * No DOM: timers and the network are passed in, so test/unit/web-editions.test.ts drives it.
 */
import { ApiError } from "../api";
import type { DraftField, DraftStore } from "./drafts";
import {
  changesBody,
  type FieldKey,
  type FieldValue,
  fieldKeys,
  fieldValueIn,
  sameValue,
  withFields,
} from "./fields";
import type { Edition, EditionChanges, Tagged } from "./model";

export type SaveStatus =
  | { kind: "saved" }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "offline"; attempt: number }
  | { kind: "conflict" }
  | { kind: "refused"; code: string; message: string; path?: string }
  | { kind: "unauthorized" }
  | { kind: "issued" };

/** A field both the person here and someone else changed since the typing started. */
export interface Clash {
  key: FieldKey;
  mine: FieldValue;
  theirs: FieldValue;
}

/** How a clash is settled: the saved value, or a value of one's own (mine, or a merged text). */
export type Resolution = { keep: "theirs" } | { keep: "value"; value: FieldValue };

export interface AutosaveOptions {
  initial: Tagged;
  drafts: DraftStore;
  send(changes: EditionChanges, ifMatch: string): Promise<Tagged>;
  /** Reads the current edition when a 412 does not carry it. */
  load(): Promise<Tagged>;
  onChange(): void;
  debounceMs?: number;
  maxWaitMs?: number;
  retryDelaysMs?: readonly number[];
  now?(): number;
  timers?: {
    set(fn: () => void, ms: number): unknown;
    clear(handle: unknown): void;
  };
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 20_000, 30_000] as const;

export class Autosave {
  private saved: Tagged;
  private readonly pending = new Map<FieldKey, DraftField>();
  private state: SaveStatus = { kind: "saved" };
  private conflicting: Clash[] = [];
  private mergedByThemselves: FieldKey[] = [];
  private inFlight: Promise<void> | null = null;
  private again = false;
  private timer: unknown = null;
  private firstUnsentAt: number | null = null;
  private attempts = 0;
  private draftsKept = true;
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly retryDelaysMs: readonly number[];
  private readonly timers: NonNullable<AutosaveOptions["timers"]>;

  constructor(private readonly options: AutosaveOptions) {
    this.saved = options.initial;
    this.debounceMs = options.debounceMs ?? 800;
    this.maxWaitMs = options.maxWaitMs ?? 5_000;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.timers = options.timers ?? {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    // Drafts left by a reload meet the edition as loaded, like a conflict would.
    for (const [key, field] of options.drafts.read()) this.pending.set(key, field);
    this.rebase(options.initial);
    if (this.state.kind === "pending") this.schedule(0);
  }

  // --- what the page reads ------------------------------------------------------------------------

  get status(): SaveStatus {
    return this.state;
  }
  /** The last edition the server answered and its ETag. */
  get server(): Tagged {
    return this.saved;
  }
  /** The edition as the page shows it: saved, with the unsaved fields over it. */
  get edition(): Edition {
    return withFields(
      this.saved.edition,
      [...this.pending].map(([key, field]) => [key, field.value]),
    );
  }
  get unsaved(): number {
    return this.pending.size;
  }
  get clashes(): readonly Clash[] {
    return this.conflicting;
  }
  /** Fields someone else changed that the last conflict took in by themselves (for a notice). */
  get merged(): readonly FieldKey[] {
    return this.mergedByThemselves;
  }
  /** False when the browser refused to keep a draft (storage full or off): a reload would lose it. */
  get draftsAreKept(): boolean {
    return this.draftsKept;
  }

  // --- what the page does ---------------------------------------------------------------------------

  /** A field typed in: kept in the drafts now, sent after a pause. */
  edit(key: FieldKey, value: FieldValue): void {
    if (this.state.kind === "issued") return;
    const saved = fieldValueIn(this.saved.edition, key);
    const before = this.pending.get(key);
    if (sameValue(value, saved)) {
      this.pending.delete(key);
      this.options.drafts.remove(key);
    } else {
      const field = { value, from: before ? before.from : saved };
      this.pending.set(key, field);
      this.draftsKept = this.options.drafts.write(key, field) && this.draftsKept;
    }
    const kind = this.state.kind;
    if (kind === "saved" || kind === "pending" || kind === "refused") {
      this.setStatus(this.pending.size > 0 ? { kind: "pending" } : { kind: "saved" });
    }
    // Offline and signed-out saves wait for their retry; a conflict for the person's choice.
    if (kind !== "conflict" && kind !== "offline" && kind !== "unauthorized" && this.pending.size > 0) {
      const now = this.now();
      this.firstUnsentAt ??= now;
      this.schedule(Math.max(0, Math.min(this.debounceMs, this.maxWaitMs - (now - this.firstUnsentAt))));
    }
    this.options.onChange();
  }

  /** Saves now whatever is unsaved (before a preview or an issue); true when nothing is left unsaved. */
  async flush(): Promise<boolean> {
    this.cancelTimer();
    if (this.inFlight) await this.inFlight;
    for (let round = 0; round < 3 && this.pending.size > 0 && this.canSend(); round++) {
      await this.saveOnce();
      if (this.state.kind !== "pending") break;
    }
    return this.pending.size === 0;
  }

  /** The network is back (or the person asked): try again now. */
  retryNow(): void {
    if (this.state.kind === "offline" || this.state.kind === "unauthorized") {
      this.setStatus({ kind: "pending" });
      this.schedule(0);
    }
  }

  /** Settles every clash, then saves on top of the newer revision. */
  resolve(resolutions: ReadonlyMap<FieldKey, Resolution>): void {
    for (const clash of this.conflicting) {
      const resolution = resolutions.get(clash.key) ?? { keep: "theirs" };
      if (resolution.keep === "theirs" || sameValue(resolution.value, clash.theirs)) {
        this.pending.delete(clash.key);
        this.options.drafts.remove(clash.key);
      } else {
        const field = { value: resolution.value, from: clash.theirs };
        this.pending.set(clash.key, field);
        this.options.drafts.write(clash.key, field);
      }
    }
    this.conflicting = [];
    this.setStatus(this.pending.size > 0 ? { kind: "pending" } : { kind: "saved" });
    if (this.pending.size > 0) this.schedule(0);
    this.options.onChange();
  }

  /** The edition changed outside the editor (issued, corrected): start from it, drafts kept. */
  replace(next: Tagged): void {
    this.saved = next;
    this.rebase(next);
    if (this.state.kind === "pending") this.schedule(0);
    this.options.onChange();
  }

  dispose(): void {
    this.cancelTimer();
  }

  // --- inside -------------------------------------------------------------------------------------

  private canSend(): boolean {
    return !["conflict", "issued", "refused", "unauthorized"].includes(this.state.kind);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.saveOnce();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private setStatus(status: SaveStatus): void {
    this.state = status;
  }

  private saveOnce(): Promise<void> {
    if (this.inFlight) {
      // Asked again while a save is on its way: go again once it is answered.
      this.again = true;
      return this.inFlight;
    }
    if (this.pending.size === 0 || !this.canSend()) return Promise.resolve();
    const sent = new Map([...this.pending].map(([key, field]) => [key, field.value]));
    this.firstUnsentAt = null;
    this.setStatus({ kind: "saving" });
    this.options.onChange();
    this.inFlight = this.options
      .send(changesBody(sent), this.saved.etag)
      .then(
        (answer) => this.acknowledged(answer, sent),
        (error: unknown) => this.failed(error),
      )
      .finally(() => {
        this.inFlight = null;
        if (this.again && this.state.kind === "pending" && this.timer === null) this.schedule(0);
        this.again = false;
        this.options.onChange();
      });
    return this.inFlight;
  }

  private acknowledged(answer: Tagged, sent: Map<FieldKey, FieldValue>): void {
    this.saved = answer;
    this.attempts = 0;
    for (const [key, value] of sent) {
      const field = this.pending.get(key);
      if (field && sameValue(field.value, value)) {
        this.pending.delete(key);
        this.options.drafts.remove(key);
      }
    }
    // Fields typed while the save was on its way now start from the new revision.
    for (const [key, field] of this.pending) {
      const next = { value: field.value, from: fieldValueIn(answer.edition, key) };
      this.pending.set(key, next);
      this.options.drafts.write(key, next);
    }
    if (this.pending.size > 0) {
      this.setStatus({ kind: "pending" });
      this.schedule(this.debounceMs);
    } else {
      this.setStatus({ kind: "saved" });
    }
  }

  private async failed(error: unknown): Promise<void> {
    if (!(error instanceof ApiError) || error.status >= 500 || error.status === 429) {
      // The network or the server failed: nothing was committed, the same save may succeed later.
      const delay = this.retryDelaysMs[Math.min(this.attempts, this.retryDelaysMs.length - 1)] ?? 30_000;
      this.attempts++;
      this.setStatus({ kind: "offline", attempt: this.attempts });
      this.schedule(delay);
      return;
    }
    if (error.status === 412 && error.code === "edition_conflict") {
      const current = error.details.current as Edition | undefined;
      const next = current ? { edition: current, etag: `"${current.revision}"` } : await this.loadCurrent();
      if (!next) return;
      const previous = this.saved.edition;
      this.saved = next;
      this.rebase(next);
      this.mergedByThemselves = fieldKeys(previous)
        .concat(fieldKeys(next.edition))
        .filter((key, i, all) => all.indexOf(key) === i)
        .filter((key) => !sameValue(fieldValueIn(previous, key), fieldValueIn(next.edition, key)))
        .filter((key) => !this.conflicting.some((clash) => clash.key === key));
      if (this.state.kind !== "conflict" && this.pending.size > 0) this.schedule(0);
      return;
    }
    if (error.status === 409 && error.code === "edition_issued") {
      this.setStatus({ kind: "issued" });
      return;
    }
    if (error.status === 401) {
      this.setStatus({ kind: "unauthorized" });
      return;
    }
    const path = typeof error.details.path === "string" ? error.details.path : undefined;
    this.setStatus({ kind: "refused", code: error.code, message: error.message, ...(path ? { path } : {}) });
  }

  private async loadCurrent(): Promise<Tagged | null> {
    try {
      return await this.options.load();
    } catch {
      this.setStatus({ kind: "offline", attempt: ++this.attempts });
      this.schedule(this.retryDelaysMs[0] ?? 1_000);
      return null;
    }
  }

  /**
   * Meets a newer saved edition: a field it already holds as typed here is done; a field only this
   * tab changed stays unsaved on top of it; a field both changed is a clash.
   */
  private rebase(next: Tagged): void {
    const clashes: Clash[] = [];
    for (const [key, field] of [...this.pending]) {
      const theirs = fieldValueIn(next.edition, key);
      if (sameValue(theirs, field.value)) {
        this.pending.delete(key);
        this.options.drafts.remove(key);
      } else if (!sameValue(theirs, field.from)) {
        clashes.push({ key, mine: field.value, theirs });
      }
    }
    this.mergedByThemselves = [];
    this.conflicting = clashes;
    if (next.edition.status !== "draft") this.setStatus({ kind: "issued" });
    else if (clashes.length > 0) this.setStatus({ kind: "conflict" });
    else this.setStatus(this.pending.size > 0 ? { kind: "pending" } : { kind: "saved" });
  }
}
