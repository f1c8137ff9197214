import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildUnits, DEFAULT_OUT_FILE, DEFAULT_SOURCE_DIR, parseCsv } from "../../scripts/build-admin-units";
import {
  communeExists,
  communesOfProvince,
  findCommune,
  findProvince,
  listProvinces,
  NEW_UNITS_VALID_FROM,
  OLD_UNITS_VALID_TO,
  predecessorsOf,
  provinceOf,
  unitsVersionOn,
} from "../../shared/units/registry";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const OLD_DAY = "2023-12-14";
const LAST_OLD_DAY = "2025-06-30";
const FIRST_NEW_DAY = "2025-07-01";

describe("unit registry", () => {
  it("knows xã Quốc Tuấn (10621), huyện Nam Sách, tỉnh Hải Dương before the reorganization", () => {
    expect(findCommune("10621", OLD_DAY)).toEqual({
      code: "10621",
      name: "Xã Quốc Tuấn",
      provinceCode: "30",
      provinceName: "Tỉnh Hải Dương",
      districtCode: "291",
      districtName: "Huyện Nam Sách",
      validTo: "2025-06-30",
      successors: ["10633"],
    });
    expect(communeExists("10621", OLD_DAY)).toBe(true);
    expect(provinceOf("10621", OLD_DAY)).toBe("30");
    expect(findProvince("30", OLD_DAY)).toEqual({ code: "30", name: "Tỉnh Hải Dương" });
  });

  it("has no 10621 from 2025-07-01", () => {
    expect(findCommune("10621", FIRST_NEW_DAY)).toBeUndefined();
    expect(communeExists("10621", FIRST_NEW_DAY)).toBe(false);
    expect(provinceOf("10621", FIRST_NEW_DAY)).toBeUndefined();
  });

  it("knows xã Trần Phú (10633), thành phố Hải Phòng, and what it was made from", () => {
    expect(findCommune("10633", FIRST_NEW_DAY)).toEqual({
      code: "10633",
      name: "Xã Trần Phú",
      provinceCode: "31",
      provinceName: "Thành phố Hải Phòng",
      validFrom: "2025-07-01",
      predecessors: [
        { code: "10618", kind: "full" },
        { code: "10621", kind: "full" },
        { code: "10633", kind: "full" },
      ],
    });
    // the same code named the smaller old xã Trần Phú in Hải Dương
    expect(findCommune("10633", OLD_DAY)).toMatchObject({
      name: "Xã Trần Phú",
      provinceCode: "30",
      districtCode: "291",
      successors: ["10633"],
    });
  });

  it("switches lists between 2025-06-30 and 2025-07-01", () => {
    expect(OLD_UNITS_VALID_TO).toBe(LAST_OLD_DAY);
    expect(NEW_UNITS_VALID_FROM).toBe(FIRST_NEW_DAY);
    expect(unitsVersionOn(LAST_OLD_DAY)).toBe("old");
    expect(unitsVersionOn(FIRST_NEW_DAY)).toBe("new");
    expect(communeExists("10621", LAST_OLD_DAY)).toBe(true);
    expect(communeExists("10621", FIRST_NEW_DAY)).toBe(false);
    expect(provinceOf("10633", LAST_OLD_DAY)).toBe("30");
    expect(provinceOf("10633", FIRST_NEW_DAY)).toBe("31");
    expect(findProvince("30", LAST_OLD_DAY)?.name).toBe("Tỉnh Hải Dương");
    expect(findProvince("30", FIRST_NEW_DAY)).toBeUndefined();
    // province codes were reused: 15 was Yên Bái, is now the merged Lào Cai
    expect(findProvince("15", LAST_OLD_DAY)?.name).toBe("Tỉnh Yên Bái");
    expect(findProvince("15", FIRST_NEW_DAY)?.name).toBe("Tỉnh Lào Cai");
  });

  it("does not know codes that never existed, on any date", () => {
    for (const date of ["1990-01-01", OLD_DAY, LAST_OLD_DAY, FIRST_NEW_DAY, "2100-12-31"]) {
      for (const code of ["99999", "00000", "1062", "010621", "", "291"]) {
        expect(findCommune(code, date)).toBeUndefined();
        expect(communeExists(code, date)).toBe(false);
        expect(provinceOf(code, date)).toBeUndefined();
      }
      expect(findProvince("99", date)).toBeUndefined();
      expect(communesOfProvince("99", date)).toEqual([]);
    }
  });

  it("rejects malformed dates", () => {
    for (const date of [
      "2025-7-1",
      "2025-13-01",
      "2025-06-32",
      "20250701",
      "",
      "2025-07-01T00:00:00+07:00",
    ]) {
      expect(() => findCommune("10633", date)).toThrow(RangeError);
    }
  });

  it("has 10,047 old communes in 63 provinces and 3,321 new communes in 34 provinces", () => {
    for (const [date, provinces, communes] of [
      [LAST_OLD_DAY, 63, 10_047],
      [FIRST_NEW_DAY, 34, 3_321],
    ] as const) {
      const list = listProvinces(date);
      expect(list).toHaveLength(provinces);
      const all = list.flatMap((p) => communesOfProvince(p.code, date));
      expect(all).toHaveLength(communes);
      expect(new Set(all.map((c) => c.code)).size).toBe(communes);
      expect(all.every((c) => /^\d{5}$/.test(c.code) && findCommune(c.code, date) === c)).toBe(true);
    }
  });

  it("links old and new units both ways", () => {
    const oldUnits = listProvinces(LAST_OLD_DAY).flatMap((p) => communesOfProvince(p.code, LAST_OLD_DAY));
    const broken = oldUnits.filter(
      (unit) =>
        !unit.successors?.length ||
        unit.successors.some(
          (s) => !findCommune(s, FIRST_NEW_DAY)?.predecessors?.some((p) => p.code === unit.code),
        ),
    );
    expect(broken).toEqual([]);
    // island districts without communes became special zones: their predecessor is the old district
    expect(findCommune("26732", FIRST_NEW_DAY)).toMatchObject({
      name: "Đặc khu Côn Đảo",
      provinceCode: "79",
      predecessors: [{ code: "755", kind: "full", level: "district" }],
    });
    expect(findCommune("26732", LAST_OLD_DAY)).toBeUndefined();
  });

  it("names a new commune's predecessors as the old list does: communes, or a special zone's old district", () => {
    expect(predecessorsOf("10633", FIRST_NEW_DAY)).toEqual([
      { code: "10618", name: "Xã Hiệp Cát", kind: "full", level: "commune" },
      { code: "10621", name: "Xã Quốc Tuấn", kind: "full", level: "commune" },
      { code: "10633", name: "Xã Trần Phú", kind: "full", level: "commune" },
    ]);
    expect(predecessorsOf("26732", FIRST_NEW_DAY)).toEqual([
      { code: "755", name: "Huyện Côn Đảo", kind: "full", level: "district" },
    ]);
    expect(predecessorsOf("00070", FIRST_NEW_DAY).filter((p) => p.kind === "partial").length).toBeGreaterThan(
      0,
    );
    expect(predecessorsOf("10621", LAST_OLD_DAY)).toEqual([]);
  });

  it("lists a province's communes in code order, as a fresh array of frozen units", () => {
    const list = communesOfProvince("31", FIRST_NEW_DAY);
    expect(list.map((c) => c.code)).toEqual(list.map((c) => c.code).sort());
    expect(list.every((c) => c.provinceCode === "31")).toBe(true);
    list.length = 0;
    expect(communesOfProvince("31", FIRST_NEW_DAY).length).toBeGreaterThan(0);
    expect(Object.isFrozen(findCommune("10633", FIRST_NEW_DAY))).toBe(true);
  });

  it("carries the source repairs (swapped names in huyện Kiên Hải, spelling)", () => {
    expect(findCommune("31108", OLD_DAY)).toMatchObject({
      name: "Xã Hòn Tre",
      districtCode: "912",
      districtName: "Huyện Kiên Hải",
    });
    const names = listProvinces(OLD_DAY)
      .flatMap((p) => communesOfProvince(p.code, OLD_DAY))
      .flatMap((c) => [c.name, c.districtName ?? ""]);
    expect(names.filter((n) => /\s{2}|^(Thị Xã|Thị Trấn|Thành Phố) /.test(n))).toEqual([]);
  });
});

describe("parseCsv", () => {
  it("handles quoted fields, escaped quotes, line breaks, CRLF and a BOM", () => {
    const text = '\ufeffa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\n3,,""\n';
    expect(parseCsv(text)).toEqual([
      ["a", "b", "c"],
      ["1", "x, y", 'say "hi"'],
      ["2", "two\nlines", ""],
      ["3", "", ""],
    ]);
    expect(parseCsv("a,b")).toEqual([["a", "b"]]);
    expect(() => parseCsv('a,"b')).toThrow(/unterminated/);
  });
});

describe.skipIf(!existsSync(DEFAULT_SOURCE_DIR))("build-admin-units", () => {
  it("is deterministic and the committed units.json is up to date", () => {
    const first = buildUnits(DEFAULT_SOURCE_DIR);
    const second = buildUnits(DEFAULT_SOURCE_DIR);
    expect(second.json).toBe(first.json);
    expect(readFileSync(DEFAULT_OUT_FILE, "utf8")).toBe(first.json);
    expect(first.counts).toEqual({
      oldCommunes: 10_047,
      oldProvinces: 63,
      districts: 691,
      newCommunes: 3_321,
      newProvinces: 34,
    });
    expect(Buffer.byteLength(first.json)).toBeLessThan(1_000_000);
  });

  it("writes the same bytes from the command line", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "units-"));
    try {
      const out = path.join(dir, "units.json");
      execFileSync(
        process.execPath,
        ["--import", "tsx", "scripts/build-admin-units.ts", DEFAULT_SOURCE_DIR, "--out", out],
        { cwd: ROOT, stdio: "pipe" },
      );
      expect(readFileSync(out).equals(readFileSync(DEFAULT_OUT_FILE))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
