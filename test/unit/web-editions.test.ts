/**
 * The portal's "Soạn báo cáo" core without a browser (web/src/editions/): the fields of a save, the
 * drafts kept in the tab, the autosave (debounce, retry, conflict merge) against a fake server, the
 * figures beside each section, the province list's order, and the roles equal to the backend's.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../web/src/api";
import { Autosave } from "../../web/src/editions/autosave";
import { DraftStore } from "../../web/src/editions/drafts";
import { changesBody, fieldValueIn, sameValue, withFields } from "../../web/src/editions/fields";
import { missingLabel, refusalText, valueInWords } from "../../web/src/editions/labels";
import type { Edition, EditionChanges, Tagged } from "../../web/src/editions/model";
import { editionRights } from "../../web/src/editions/roles";
import { sectionFigures } from "../../web/src/editions/section-figures";
import type { CommuneFigures, ProvinceFigures } from "../../web/src/model";

function edition(
  revision: number,
  content: Partial<Pick<Edition, "texts" | "numbers" | "document">> = {},
): Edition {
  return {
    unit: "10621",
    year: 2023,
    period: "year",
    edition: 1,
    status: "draft",
    revision,
    savedAt: "2023-12-10T03:00:00Z",
    savedBy: { name: "Cán bộ Một cửa xã Quốc Tuấn" },
    texts: {},
    numbers: {},
    document: {},
    ...content,
  };
}
const tagged = (e: Edition): Tagged => ({ edition: e, etag: `"${e.revision}"` });

/** sessionStorage's interface over a Map. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

/** A server keeping one edition, answering PUT with If-Match as the contract says. */
class FakeServer {
  calls: { changes: EditionChanges; ifMatch: string }[] = [];
  offline = false;
  constructor(public current: Edition) {}
  async send(changes: EditionChanges, ifMatch: string): Promise<Tagged> {
    this.calls.push({ changes, ifMatch });
    if (this.offline) throw new TypeError("Failed to fetch");
    if (ifMatch !== `"${this.current.revision}"`) {
      throw new ApiError(412, "edition_conflict", "stale", { current: this.current });
    }
    this.current = this.apply(changes, "Cán bộ Một cửa xã Quốc Tuấn");
    return tagged(this.current);
  }
  /** Another person's save. */
  apply(changes: EditionChanges, name: string): Edition {
    const next = structuredClone(this.current);
    for (const group of ["texts", "numbers", "document"] as const) {
      for (const [k, v] of Object.entries(changes[group] ?? {})) {
        const target = next[group] as Record<string, unknown>;
        if (v === null) delete target[k];
        else target[k] = v;
      }
    }
    return { ...next, revision: next.revision + 1, savedBy: { name } };
  }
}

function autosaveOn(server: FakeServer, storage = new MemoryStorage(), initial = tagged(server.current)) {
  const changes = vi.fn();
  const autosave = new Autosave({
    initial,
    drafts: new DraftStore(storage, "10621/2023/period=year"),
    send: (c, m) => server.send(c, m),
    load: async () => tagged(server.current),
    onChange: changes,
    debounceMs: 800,
    maxWaitMs: 5_000,
    retryDelaysMs: [1_000, 2_000],
  });
  return { autosave, storage, changes };
}

describe("edition fields", () => {
  it("writes a PUT body with only the fields given, null clearing an emptied one", () => {
    expect(
      changesBody([
        ["texts:I.4", "Năm 2023 đã tiếp nhận…"],
        ["texts:II.2", ""],
        ["numbers:procedures", { total: 137, central: 137 }],
        ["document:date", "2023-12-14"],
      ]),
    ).toEqual({
      texts: { "I.4": "Năm 2023 đã tiếp nhận…", "II.2": null },
      numbers: { procedures: { total: 137, central: 137 } },
      document: { date: "2023-12-14" },
    });
    expect(changesBody([])).toEqual({});
  });

  it("compares values whatever the order of object keys, and treats empty as absent", () => {
    expect(sameValue({ total: 1, central: 2 }, { central: 2, total: 1 })).toBe(true);
    expect(sameValue("", null)).toBe(true);
    expect(sameValue(undefined, {})).toBe(true);
    expect(sameValue([], null)).toBe(false); // an empty proposal list means "không có"
    const shown = withFields(edition(3, { texts: { "I.1": "cũ" } }), [
      ["texts:I.1", null],
      ["texts:I.2", "mới"],
    ]);
    expect(shown.texts).toEqual({ "I.2": "mới" });
    expect(fieldValueIn(shown, "texts:I.2")).toBe("mới");
  });

  it("names fields and missing ones in Vietnamese", () => {
    expect(missingLabel("document.signerName")).toBe("Họ và tên người ký");
    expect(missingLabel("I.4")).toContain("Mục I.4");
    expect(valueInWords("numbers:procedures", { total: 1370, central: 137 })).toBe(
      "Tổng số: 1.370; Do trung ương quy định: 137",
    );
    expect(valueInWords("document:date", "2023-12-14")).toBe("14/12/2023");
    expect(valueInWords("texts:I.1", null)).toBe("(trống)");
    expect(refusalText("invalid_body", "document.date")).toBe(
      'Nội dung chưa hợp lệ ở "Ngày ban hành" (mã invalid_body).',
    );
    expect(refusalText("invalid_body", "numbers.reviewed.fields")).toContain(
      "Rà soát thủ tục hành chính: Số lĩnh vực",
    );
    expect(refusalText("invalid_body", "texts.I.4")).toContain("Mục I.4");
    expect(refusalText("edition_too_large")).toContain("200 KB");
    expect(refusalText("something_new")).toBe("Máy chủ từ chối yêu cầu (mã something_new).");
  });
});

describe("drafts in the tab's sessionStorage", () => {
  it("keeps one entry per field under the unit, year and period, and reads back only its own", () => {
    const storage = new MemoryStorage();
    const drafts = new DraftStore(storage, "10621/2023/period=year");
    drafts.write("texts:I.1", { value: "a", from: null });
    new DraftStore(storage, "10618/2023/period=year").write("texts:I.1", { value: "other", from: null });
    expect([...drafts.read()]).toEqual([["texts:I.1", { value: "a", from: null }]]);
    drafts.remove("texts:I.1");
    expect(drafts.read().size).toBe(0);
    expect(storage.length).toBe(1);
  });
});

describe("autosave", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("saves after a pause in typing, with If-Match the last ETag, and forgets the draft once saved", async () => {
    const server = new FakeServer(edition(7));
    const { autosave, storage } = autosaveOn(server);
    autosave.edit("texts:I.1", "Năm");
    autosave.edit("texts:I.1", "Năm 2023");
    expect(autosave.status.kind).toBe("pending");
    expect(storage.length).toBe(1); // kept before any save
    await vi.advanceTimersByTimeAsync(799);
    expect(server.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toEqual([{ changes: { texts: { "I.1": "Năm 2023" } }, ifMatch: '"7"' }]);
    expect(autosave.status.kind).toBe("saved");
    expect(autosave.server.etag).toBe('"8"');
    expect(storage.length).toBe(0);
    autosave.edit("texts:I.2", "x");
    await vi.advanceTimersByTimeAsync(800);
    expect(server.calls[1]?.ifMatch).toBe('"8"');
  });

  it("saves during continuous typing at least every maxWait", async () => {
    const server = new FakeServer(edition(1));
    const { autosave } = autosaveOn(server);
    for (let i = 0; i < 30; i++) {
      autosave.edit("texts:I.1", "x".repeat(i + 1));
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(server.calls.length).toBeGreaterThanOrEqual(1);
  });

  it("keeps what is typed while a save is on its way and sends it next", async () => {
    const server = new FakeServer(edition(1));
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { autosave } = autosaveOn(server);
    const send = server.send.bind(server);
    server.send = async (c, m) => {
      await slow;
      return send(c, m);
    };
    autosave.edit("texts:I.1", "một");
    await vi.advanceTimersByTimeAsync(800);
    autosave.edit("texts:I.1", "một hai");
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(autosave.edition.texts["I.1"]).toBe("một hai");
    await vi.advanceTimersByTimeAsync(800);
    expect(server.current.texts["I.1"]).toBe("một hai");
    expect(autosave.status.kind).toBe("saved");
  });

  it("keeps the text when the network is lost and saves it when it is back", async () => {
    const server = new FakeServer(edition(2));
    const { autosave, storage } = autosaveOn(server);
    server.offline = true;
    autosave.edit("texts:III", "Nhiệm vụ 2024");
    await vi.advanceTimersByTimeAsync(800);
    expect(autosave.status).toEqual({ kind: "offline", attempt: 1 });
    expect(storage.length).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(autosave.status).toEqual({ kind: "offline", attempt: 2 });
    server.offline = false;
    autosave.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(autosave.status.kind).toBe("saved");
    expect(server.current.texts.III).toBe("Nhiệm vụ 2024");
    expect(storage.length).toBe(0);
  });

  it("on 412 takes in someone else's other fields by themselves and saves on the new ETag", async () => {
    const server = new FakeServer(edition(4, { texts: { "I.1": "gốc" } }));
    const { autosave } = autosaveOn(server);
    server.current = server.apply({ texts: { "I.2": "của người khác" } }, "Chủ tịch UBND xã Quốc Tuấn");
    autosave.edit("texts:I.1", "của tôi");
    await vi.advanceTimersByTimeAsync(800);
    await vi.advanceTimersByTimeAsync(1); // the save again, at once on the new ETag
    expect(server.calls[0]?.ifMatch).toBe('"4"');
    expect(server.calls[1]?.ifMatch).toBe('"5"');
    expect(server.current.texts).toEqual({ "I.1": "của tôi", "I.2": "của người khác" });
    expect(autosave.status.kind).toBe("saved");
    expect(autosave.merged).toEqual(["texts:I.2"]);
  });

  it("on 412 over the same field shows both versions and saves the person's choice with the new ETag", async () => {
    const server = new FakeServer(edition(4, { texts: { "I.4": "gốc" } }));
    const { autosave, storage } = autosaveOn(server);
    server.current = server.apply({ texts: { "I.4": "bản của chủ tịch" } }, "Chủ tịch UBND xã Quốc Tuấn");
    autosave.edit("texts:I.4", "bản của cán bộ");
    await vi.advanceTimersByTimeAsync(800);
    expect(autosave.status.kind).toBe("conflict");
    expect(autosave.clashes).toEqual([
      { key: "texts:I.4", mine: "bản của cán bộ", theirs: "bản của chủ tịch" },
    ]);
    expect(storage.length).toBe(1); // nothing lost while the person decides
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.calls).toHaveLength(1); // and nothing sent either

    autosave.resolve(new Map([["texts:I.4", { keep: "value", value: "bản gộp" }]]));
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls[1]).toEqual({ changes: { texts: { "I.4": "bản gộp" } }, ifMatch: '"5"' });
    expect(server.current.texts["I.4"]).toBe("bản gộp");
    expect(autosave.status.kind).toBe("saved");
    expect(storage.length).toBe(0);
  });

  it("choosing the saved version drops one's own and sends nothing", async () => {
    const server = new FakeServer(edition(4));
    const { autosave } = autosaveOn(server);
    server.current = server.apply({ document: { number: "140/BC-UBND" } }, "Chủ tịch");
    autosave.edit("document:number", "141/BC-UBND");
    await vi.advanceTimersByTimeAsync(800);
    autosave.resolve(new Map([["document:number", { keep: "theirs" }]]));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls).toHaveLength(1);
    expect(autosave.edition.document.number).toBe("140/BC-UBND");
    expect(autosave.status.kind).toBe("saved");
  });

  it("after a reload, a draft on the same revision is saved, one behind a clashing revision is a conflict", async () => {
    const storage = new MemoryStorage();
    const server = new FakeServer(edition(9, { texts: { "I.1": "gốc" } }));
    const first = autosaveOn(server, storage).autosave;
    first.edit("texts:I.1", "gõ dở");
    first.dispose(); // the page is reloaded before the pause ends

    const reloaded = autosaveOn(server, storage).autosave;
    expect(reloaded.edition.texts["I.1"]).toBe("gõ dở");
    await vi.advanceTimersByTimeAsync(0);
    expect(server.current.texts["I.1"]).toBe("gõ dở");

    const second = autosaveOn(server, storage).autosave;
    second.edit("texts:I.1", "gõ dở nữa");
    second.dispose();
    server.current = server.apply({ texts: { "I.1": "người khác" } }, "Chủ tịch");
    const again = autosaveOn(server, storage).autosave;
    expect(again.status.kind).toBe("conflict");
    expect(again.clashes[0]).toMatchObject({ mine: "gõ dở nữa", theirs: "người khác" });
  });

  it("stops at an issued edition (409) and at a refused body (400), keeping the text", async () => {
    const server = new FakeServer(edition(3));
    const { autosave, storage } = autosaveOn(server);
    server.send = async () => {
      throw new ApiError(400, "invalid_body", "at most 20000 characters a section");
    };
    autosave.edit("texts:I.1", "x");
    await vi.advanceTimersByTimeAsync(800);
    expect(autosave.status).toEqual({
      kind: "refused",
      code: "invalid_body",
      message: "at most 20000 characters a section",
    });
    expect(storage.length).toBe(1);
    server.send = async () => {
      throw new ApiError(409, "edition_issued", "issued");
    };
    autosave.edit("texts:I.1", "xy");
    await vi.advanceTimersByTimeAsync(800);
    expect(autosave.status.kind).toBe("issued");
    autosave.edit("texts:I.1", "xyz");
    expect(autosave.edition.texts["I.1"]).toBe("xy");
  });
});

describe("beside the sections", () => {
  it("shows the dossier results beside I.4, for a commune and a province alike, and nothing beside III", () => {
    const total = {
      received: { total: 3299, online: 3241, directOrPostal: 37, carriedOver: 21 },
      resolved: { total: 3297, early: 3267, onTime: 29, late: 1 },
      pending: { total: 2, withinDeadline: 2, overdue: 0 },
    };
    const figures = { dossiers: { total, byField: [] } } as unknown as CommuneFigures;
    const lines = sectionFigures("I.4", figures);
    expect(lines.map((l) => [l.label, l.value])).toContainEqual(["Hồ sơ tiếp nhận", "3.299"]);
    expect(lines.map((l) => [l.label, l.value])).toContainEqual(["trước hạn", "3.267"]);
    expect(lines.find((l) => l.label === "quá hạn")?.value).toBe("1");
    expect(sectionFigures("III", figures)).toEqual([]);
    // A province's roll-up: the same lines from its total.
    const rollUp = { province: { provinceCode: "30" }, total: { ...total, onlineReception: {} } };
    expect(sectionFigures("I.4", rollUp as unknown as ProvinceFigures)).toEqual(lines);
  });

  it("lets editors edit and issuers issue, viewers and access codes only read", () => {
    expect(editionRights("viewer")).toEqual({ edit: false, issue: false });
    expect(editionRights("editor")).toEqual({ edit: true, issue: false });
    expect(editionRights("issuer")).toEqual({ edit: true, issue: true });
    expect(editionRights(null)).toEqual({ edit: false, issue: false });
  });
});
