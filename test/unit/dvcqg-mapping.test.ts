import { describe, expect, it } from "vitest";
import { closureOf, contributionOf, dueInForce, pendingStatusAt } from "../../shared/domain/contribution";
import { COUNTER, sumContributions } from "../../shared/domain/counters";
import { type Event, eventSchema } from "../../shared/domain/events";
import { foldSubject } from "../../shared/domain/fold";
import { type DossierState, effectiveDetails } from "../../shared/domain/subject-state";
import { progressFacts, snapshotFacts } from "../../shared/dvcqg/facts";
import { dossierSnapshotSchema, parseDvcqgDate, progressEntrySchema } from "../../shared/dvcqg/payload";
import { communeOfDossier, lookupRow } from "../../shared/dvcqg/sync";
import type { DvcqgConfig } from "../../shared/intake/sources";

/** The mapping of docs/dvcqg.md, rule by rule, through the real fold and contribution. */

const CODE = "000.21.33.H23-230302-0001";
const base = {
  MaHoSo: CODE,
  MaTTHC: "1.001193",
  TenTTHC: "Thủ tục đăng ký khai sinh",
  MaLinhVuc: "HT",
  TenLinhVuc: "Hộ tịch",
  KenhThucHien: "2",
  NgayTiepNhan: "20230302081500",
  NgayHenTra: "20230303170000",
  TrangThaiHoSo: "2",
};
type Raw = Record<string, unknown>;

function factsOf(...items: ({ snapshot: Raw } | { entry: Raw })[]): Event[] {
  return items.flatMap((item) => {
    const facts =
      "snapshot" in item
        ? snapshotFacts(dossierSnapshotSchema.parse({ ...base, ...item.snapshot }), "10621").facts
        : progressFacts(progressEntrySchema.parse({ MaHoSo: CODE, ...item.entry }));
    return facts.map((fact) => eventSchema.parse(fact));
  });
}
const distinct = (events: Event[]) => [...new Map(events.map((e) => [e.id, e])).values()];
const fold = (events: Event[]) => foldSubject("dossier", distinct(events)) as DossierState;
const counters = (events: Event[]) => sumContributions([contributionOf(fold(events))]);
/** One counter summed over every month and field. */
const total = (events: Event[], name: string) =>
  [...counters(events).values()].reduce((sum, c) => sum + (c[name] ?? 0), 0);
const t = (dvcqg: string) => parseDvcqgDate(dvcqg)!;

describe("DVCQG dates", () => {
  it("read yyyyMMddHHmmss as local time and refuse impossible dates", () => {
    expect(new Date(t("20230302081500")).toISOString()).toBe("2023-03-02T01:15:00.000Z");
    expect(parseDvcqgDate("20230230080000")).toBeUndefined();
    expect(parseDvcqgDate("20231301080000")).toBeUndefined();
    expect(parseDvcqgDate("20230302250000")).toBeUndefined();
    expect(parseDvcqgDate("2023-03-02")).toBeUndefined();
  });
});

describe("TrangThaiHoSo, status by status", () => {
  it("1 (registered online, not received) gives no fact at all", () => {
    expect(factsOf({ snapshot: { TrangThaiHoSo: "1", NgayTiepNhan: "" } })).toEqual([]);
  });

  it.each(["2", "4", 4])("%s counts the dossier received, online, in its month", (status) => {
    const events = factsOf({ snapshot: { TrangThaiHoSo: status } });
    expect(counters(events).get("10621#2023-03#HT")).toMatchObject({ rcv: 1, rcvOnline: 1, pO: 1 });
  });

  it("3 (not received) counts nowhere, like dossier.rejected", () => {
    const events = factsOf({ snapshot: { TrangThaiHoSo: "3", NgayTuChoi: "20230302090000" } });
    expect(counters(events).size).toBe(0);
    expect(fold(events).rejected).toBe(true);
  });

  it("5 with a supplement round holds the clock from NgayBoSung: pending within deadline though overdue", () => {
    const events = factsOf({
      snapshot: {
        TrangThaiHoSo: "5",
        DanhSachHoSoBoSung: [{ NgayBoSung: "20230303090000", NgayHenTraTruoc: "20230303170000" }],
      },
    });
    expect(pendingStatusAt(fold(events), "2023-04")).toBe("within");
    expect(pendingStatusAt(fold(factsOf({ snapshot: {} })), "2023-04")).toBe("overdue");
  });

  it.each([
    ["6", "financial-obligation"],
    ["8", "stopped"],
  ])("%s is a pause dated by its progress entry (%s): within deadline while paused", (status, reason) => {
    const events = factsOf(
      { snapshot: { TrangThaiHoSo: status } },
      { entry: { TrangThai: status, ThoiDiemXuLy: "20230303100000" } },
    );
    expect(events.find((e) => e.type === "dossier.paused")).toMatchObject({ reason });
    const state = fold(events);
    expect(state.holds).toEqual([{ kind: "paused", from: t("20230303100000"), to: null }]);
    expect(pendingStatusAt(state, "2023-04")).toBe("within");
  });

  it("4 after a pause, as a progress entry, resumes the clock", () => {
    const events = factsOf(
      { snapshot: { TrangThaiHoSo: "4" } },
      { entry: { TrangThai: "8", ThoiDiemXuLy: "20230303100000" } },
      { entry: { TrangThai: "4", ThoiDiemXuLy: "20230310100000" } },
    );
    expect(fold(events).holds).toEqual([
      { kind: "paused", from: t("20230303100000"), to: t("20230310100000") },
    ]);
    expect(pendingStatusAt(fold(events), "2023-04")).toBe("overdue");
  });

  it("7 (withdrawn) is resolved on time at NgayKetThucXuLy", () => {
    const events = factsOf({ snapshot: { TrangThaiHoSo: "7", NgayKetThucXuLy: "20230320090000" } });
    expect(counters(events).get("10621#2023-04#HT")).toMatchObject({ res: 1, onTime: 1, wd: 1 });
  });

  it("9 is resolved at NgayKetThucXuLy, classified against NgayHenTra by calendar date", () => {
    const early = factsOf({ snapshot: { TrangThaiHoSo: "9", NgayKetThucXuLy: "20230302150000" } });
    const late = factsOf({ snapshot: { TrangThaiHoSo: "9", NgayKetThucXuLy: "20230306080000" } });
    expect(counters(early).get("10621#2023-03#HT")).toMatchObject({ res: 1, early: 1 });
    expect(total(late, COUNTER.late)).toBe(1);
  });

  it("9 without NgayKetThucXuLy is refused with the field named", () => {
    expect(() => factsOf({ snapshot: { TrangThaiHoSo: "9" } })).toThrow(/finish date/);
  });

  it("10 is resolved at NgayKetThucXuLy and returned at NgayTra; HinhThuc 1 counts a return by post", () => {
    const events = factsOf({
      snapshot: {
        TrangThaiHoSo: "10",
        NgayKetThucXuLy: "20230303090000",
        NgayTra: "20230304100000",
        HinhThuc: "1",
      },
    });
    const state = fold(events);
    expect(state.resolvedAt).toBe(t("20230303090000"));
    expect(state.returnedAt).toBe(t("20230304100000"));
    expect(total(events, COUNTER.returnedByPost)).toBe(1);
    expect(total(events, COUNTER.onTime)).toBe(1);
  });

  it("10 with HinhThuc 0 is a direct return; without NgayKetThucXuLy it is resolved at NgayTra", () => {
    const events = factsOf({ snapshot: { TrangThaiHoSo: "10", NgayTra: "20230304100000", HinhThuc: 0 } });
    expect(fold(events).resolvedAt).toBe(t("20230304100000"));
    expect(total(events, COUNTER.returnedByPost)).toBe(0);
    expect(total(events, COUNTER.late)).toBe(1);
  });

  it("an unknown status is refused by the schema, with its path", () => {
    const parsed = dossierSnapshotSchema.safeParse({ ...base, TrangThaiHoSo: "11" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["TrangThaiHoSo"]);
  });
});

describe("channels, fees, payment, digitization, results", () => {
  it.each([
    [undefined, "direct"],
    ["", "direct"],
    ["1", "direct"],
    [2, "online"],
    ["3", "postal"],
  ])("KenhThucHien %s → %s", (code, channel) => {
    const snapshot: Raw = { ...base };
    if (code === undefined) delete snapshot.KenhThucHien;
    else snapshot.KenhThucHien = code;
    const events = snapshotFacts(dossierSnapshotSchema.parse(snapshot), "10621").facts.map((f) =>
      eventSchema.parse(f),
    );
    expect(effectiveDetails(fold(events))?.channel).toBe(channel);
  });

  it("fees, online payment (DuocThanhToanTrucTuyen 1 or 2), digitized components and results map to their sections", () => {
    const events = factsOf({
      snapshot: {
        TrangThaiHoSo: "9",
        NgayKetThucXuLy: "20230302150000",
        DanhSachLePhi: [{ Gia: "8000", TenPhiLePhi: "Lệ phí" }],
        DuocThanhToanTrucTuyen: "2",
        TaiLieuNop: [{ DuocSoHoa: "1" }, { DuocSoHoa: "0" }, { DuocSoHoa: "0", IsDeleted: "True" }],
        DanhSachGiayToKetQua: [{ DuongDanTepTinKetQua: "https://x/kq.pdf" }],
      },
    });
    expect(counters(events).get("10621#2023-03#HT")).toMatchObject({
      fee: 1,
      feePaidOn: 1,
      dgPart: 1,
      resDg: 1,
    });
  });

  it("a result digitized in a later snapshot is not lost to the earlier one at the same instant", () => {
    const finished = { TrangThaiHoSo: "9", NgayKetThucXuLy: "20230302150000" };
    const events = factsOf(
      { snapshot: finished },
      { snapshot: { ...finished, DanhSachGiayToKetQua: [{ DuongDanTepTinKetQua: "https://x/kq.pdf" }] } },
    );
    expect(fold(events).resultDigitized).toBe(true);
  });
});

describe("due dates, supplements and corrections", () => {
  it("a supplement round with NgayHenTraMoi moves the due date from NgayTiepNhanBoSung on", () => {
    const round = {
      NgayBoSung: "20230303090000",
      NgayTiepNhanBoSung: "20230306090000",
      NgayHenTraTruoc: "20230303170000",
      NgayHenTraMoi: "20230308170000",
    };
    const events = factsOf({
      snapshot: {
        TrangThaiHoSo: "9",
        NgayHenTra: "20230308170000",
        NgayKetThucXuLy: "20230308100000",
        DanhSachHoSoBoSung: [round],
      },
    });
    const state = fold(events);
    expect(dueInForce(state, t("20230303000000"))).toBe(t("20230303170000"));
    expect(dueInForce(state, t("20230307000000"))).toBe(t("20230308170000"));
    expect(state.holds).toEqual([
      { kind: "supplement", from: t(round.NgayBoSung), to: t(round.NgayTiepNhanBoSung) },
    ]);
    expect(total(events, COUNTER.onTime)).toBe(1);
    expect(events.some((e) => e.type === "dossier.deadline_extended")).toBe(false);
  });

  it("a NgayHenTra beyond the rounds' is an extension at the snapshot's latest date", () => {
    const events = factsOf({
      snapshot: {
        TrangThaiHoSo: "9",
        NgayHenTra: "20230320170000",
        NgayKetThucXuLy: "20230315100000",
        DanhSachHoSoBoSung: [
          {
            NgayBoSung: "20230303090000",
            NgayTiepNhanBoSung: "20230306090000",
            NgayHenTraMoi: "20230308170000",
          },
        ],
      },
    });
    expect(dueInForce(fold(events), t("20230315100000"))).toBe(t("20230320170000"));
    expect(total(events, COUNTER.early)).toBe(1);
  });

  it("a resent snapshot gives exactly the same facts (unchanged)", () => {
    expect(factsOf({ snapshot: {} }).map((e) => e.id)).toEqual(factsOf({ snapshot: {} }).map((e) => e.id));
  });

  it("a correcting snapshot corrects field, procedure, channel and due date, whatever the arrival order", () => {
    const first = { TrangThaiHoSo: "4" };
    const corrected = {
      TrangThaiHoSo: "9",
      NgayKetThucXuLy: "20230305090000",
      MaLinhVuc: "CT",
      TenLinhVuc: "Chứng thực",
      MaTTHC: "2.000815",
      KenhThucHien: "1",
      NgayHenTra: "20230306170000",
    };
    for (const order of [
      [first, corrected],
      [corrected, first],
    ]) {
      const events = factsOf(...order.map((snapshot) => ({ snapshot })));
      expect(effectiveDetails(fold(events))).toMatchObject({
        fieldCode: "CT",
        procedureCode: "2.000815",
        channel: "direct",
        dueAt: t("20230306170000"),
      });
      expect(counters(events).get("10621#2023-03#CT")).toMatchObject({
        rcv: 1,
        rcvDirect: 1,
        res: 1,
        early: 1,
      });
      expect(counters(events).has("10621#2023-03#HT")).toBe(false);
    }
  });

  it("a snapshot dated by its reception alone stores its reception only; a later-dated one adds its correction", () => {
    expect(factsOf({ snapshot: { TrangThaiHoSo: "4" } }).map((e) => e.type)).toEqual(["dossier.received"]);
    const later = factsOf({ snapshot: { TrangThaiHoSo: "9", NgayKetThucXuLy: "20230303090000" } });
    expect(later.map((e) => e.type)).toEqual(["dossier.received", "dossier.updated", "dossier.resolved"]);
    expect(later[1]!.occurredAt).toBe("2023-03-03T09:00:00+07:00");
  });

  it("a correction that restates the reception's fields leaves none of them in the stored state", () => {
    const state = fold(factsOf({ snapshot: { TrangThaiHoSo: "9", NgayKetThucXuLy: "20230303090000" } }));
    expect(state.patch).toEqual({});
    const corrected = fold(
      factsOf(
        { snapshot: {} },
        { snapshot: { TrangThaiHoSo: "9", NgayKetThucXuLy: "20230303090000", KenhThucHien: "1" } },
      ),
    );
    // Whichever reception fact stands (the first by id at one instant), only what differs stays.
    expect(Object.keys(corrected.patch).length).toBeLessThanOrEqual(1);
    for (const [name, value] of Object.entries(corrected.patch))
      expect(value).not.toEqual(corrected.base?.[name as keyof typeof corrected.base]);
    expect(effectiveDetails(corrected)).toMatchObject({ fieldCode: "HT", channel: "direct" });
  });

  it("an older snapshot arriving after a newer one never takes back its resolution", () => {
    const newer = factsOf({ snapshot: { TrangThaiHoSo: "9", NgayKetThucXuLy: "20230302150000" } });
    const older = factsOf({ snapshot: { TrangThaiHoSo: "4" } });
    expect(closureOf(fold([...newer, ...older]))).toEqual({ at: t("20230302150000"), by: "resolved" });
  });

  it("progress entries before their snapshot leave the dossier incomplete, then count once it arrives", () => {
    const entries = factsOf({ entry: { TrangThai: "6", ThoiDiemXuLy: "20230303100000" } });
    expect(fold(entries).receivedAt).toBeUndefined();
    expect(contributionOf(fold(entries)).size).toBe(0);
    const state = fold([...entries, ...factsOf({ snapshot: { TrangThaiHoSo: "6" } })]);
    expect(state.holds).toHaveLength(1);
    expect(pendingStatusAt(state, "2023-04")).toBe("within");
  });
});

describe("the reporting calendar through DVCQG dates", () => {
  it("a dossier received at 00:05 on 15 December counts in the next year; at 23:59 on the 14th, in this one", () => {
    const next = factsOf({ snapshot: { NgayTiepNhan: "20231215000500", NgayHenTra: "20231220170000" } });
    const same = factsOf({ snapshot: { NgayTiepNhan: "20231214235900", NgayHenTra: "20231220170000" } });
    expect(counters(next).get("10621#2024-01#HT")).toMatchObject({ rcv: 1 });
    expect(counters(same).get("10621#2023-12#HT")).toMatchObject({ rcv: 1 });
  });

  it("a dossier paused at a period's end is pending within deadline although its due date has passed", () => {
    const events = factsOf(
      { snapshot: { TrangThaiHoSo: "6", NgayTiepNhan: "20231201080000", NgayHenTra: "20231205170000" } },
      { entry: { TrangThai: "6", ThoiDiemXuLy: "20231204100000" } },
    );
    expect(pendingStatusAt(fold(events), "2023-12")).toBe("within");
    const notPaused = factsOf({
      snapshot: { TrangThaiHoSo: "4", NgayTiepNhan: "20231201080000", NgayHenTra: "20231205170000" },
    });
    expect(pendingStatusAt(fold(notPaused), "2023-12")).toBe("overdue");
  });
});

describe("what a snapshot keeps", () => {
  it("drops every personal field at parse time, and reads numbers and strings alike", () => {
    const parsed = dossierSnapshotSchema.parse({
      ...base,
      TrangThaiHoSo: 2,
      KenhThucHien: 2,
      ChuHoSo: "Nguyễn Văn A",
      SoDienThoai: "0900000000",
      Email: "a@example.vn",
      DinhDanhCHS: [{ LoaiDinhDanh: "1", SoDinhDanh: "000000000000" }],
      TrichYeuHoSo: "…",
      TaiLieuNop: [{ TenTepDinhKem: "Don.pdf", DuongDanTaiTepTin: "https://x/don.pdf", DuocSoHoa: "1" }],
      DanhSachGiayToKetQua: [{ TenGiayTo: "KQ.pdf", DuongDanTepTinKetQua: "https://x/kq.pdf" }],
    });
    const text = JSON.stringify(parsed);
    for (const secret of [
      "Nguyễn Văn A",
      "0900000000",
      "a@example.vn",
      "000000000000",
      "https://x",
      "Don.pdf",
      "KQ.pdf",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(parsed.TrangThaiHoSo).toBe(2);
  });

  it.each([
    [{ NgayTiepNhan: "20230230080000" }, "NgayTiepNhan"],
    [{ NgayTiepNhan: 2023 }, "NgayTiepNhan"],
    [{ MaLinhVuc: "" }, "MaLinhVuc"],
    [{ MaTTHC: { code: 1 } }, "MaTTHC"],
    [{ TaiLieuNop: "none" }, "TaiLieuNop"],
  ])("refuses %j naming %s", (patch, path) => {
    const parsed = dossierSnapshotSchema.safeParse({ ...base, ...patch });
    expect(parsed.error?.issues[0]?.path[0]).toBe(path);
  });
});

describe("agency codes", () => {
  const config: DvcqgConfig = {
    username: "u",
    password: "p".repeat(16),
    agencies: { "000.21.33.H23": "10621", H2: "10618" },
  };
  it("come from the MaHoSo prefix first, then madonvi, through the source's map", () => {
    expect(communeOfDossier(config, "000.21.33.H23-230302-0001", "H2")).toBe("10621");
    expect(communeOfDossier(config, "X-1", "H2")).toBe("10618");
    expect(communeOfDossier(config, "NOPREFIX", "H2")).toBe("10618");
    expect(communeOfDossier(config, "X-1", "unknown")).toBeUndefined();
    expect(communeOfDossier(config, "10621-1", undefined)).toBeUndefined();
  });
  it("are 5-digit commune codes standing for themselves only where the source allows it (demo)", () => {
    expect(communeOfDossier({ ...config, communeCodesAsAgencies: true }, "10621-1", undefined)).toBe("10621");
    expect(communeOfDossier({ ...config, communeCodesAsAgencies: true }, "D1", "1062")).toBeUndefined();
  });
});

describe("TraCuuHoSo", () => {
  it("answers what the fold knows, in the portal's terms", () => {
    expect(lookupRow(CODE, undefined)).toEqual([]);
    const state = fold(
      factsOf({
        snapshot: { TrangThaiHoSo: "10", NgayKetThucXuLy: "20230303090000", NgayTra: "20230304100000" },
      }),
    );
    expect(lookupRow(CODE, state)).toEqual([
      {
        MaHoSo: CODE,
        TrangThaiHoSo: "10",
        NgayTiepNhan: "20230302081500",
        NgayHenTra: "20230303170000",
        NgayKetThucXuLy: "20230303090000",
      },
    ]);
  });
});
