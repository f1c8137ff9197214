/**
 * Builds `shared/units/data/units.json`, the compact unit registry loaded by
 * `shared/units/registry.ts`, from the two CSV tables in `../shared/data/admin-units`.
 *
 *   npm run units:build [-- [sourceDir] [--out file] [--check] [--verbose]]
 *
 * - `sourceDir`  defaults to `<project root>/../shared/data/admin-units`
 * - `--out`      defaults to `<project root>/shared/units/data/units.json`
 * - `--check`    writes nothing; exits 1 when the output file differs from a fresh build
 * - `--verbose`  lists the repairs made to the source
 *
 * The output is deterministic (everything sorted by code, no timestamps): building twice gives the
 * same bytes. The build validates the tables and fails on anything it cannot make sense of; the few
 * known defects of the source are repaired (swapped names, double spaces, unit-type casing) and
 * counted on stderr.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { UnitsFile } from "../shared/units/registry";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_SOURCE_DIR = path.resolve(ROOT, "../shared/data/admin-units");
export const DEFAULT_OUT_FILE = path.resolve(ROOT, "shared/units/data/units.json");

const OLD_COLUMNS = [
  "province_code",
  "province_name",
  "district_code",
  "district_name",
  "commune_code",
  "commune_name",
  "new_commune_codes",
] as const;
const NEW_COLUMNS = [
  "province_code",
  "province_name",
  "commune_code",
  "commune_name",
  "predecessors",
] as const;

const PROVINCE_PREFIX = /^(Tỉnh|Thành phố) /;
const OLD_DISTRICT_PREFIX = /^(Huyện|Quận|Thị xã|Thành phố) /;
const OLD_COMMUNE_PREFIX = /^(Xã|Phường|Thị trấn) /;
const NEW_COMMUNE_PREFIX = /^(Xã|Phường|Đặc khu) /;

export interface BuildResult {
  json: string;
  /** Repairs applied to the source, one line each. */
  notes: string[];
  counts: {
    oldCommunes: number;
    oldProvinces: number;
    districts: number;
    newCommunes: number;
    newProvinces: number;
  };
}

/** RFC 4180 CSV: quoted fields (with `""` escapes and line breaks inside), CRLF or LF, optional BOM. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = () => {
    row.push(field);
    field = "";
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== "") throw new Error(`CSV: stray quote in an unquoted field on row ${rows.length + 1}`);
      quoted = true;
    } else if (c === ",") {
      endField();
    } else if (c === "\r" && text[i + 1] === "\n") {
      endRow();
      i++;
    } else if (c === "\n" || c === "\r") {
      endRow();
    } else {
      field += c;
    }
    i++;
  }
  if (quoted) throw new Error("CSV: unterminated quoted field");
  if (field !== "" || row.length > 0) endRow();
  return rows;
}

function readTable<C extends string>(file: string, columns: readonly C[]): Record<C, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(file, "utf8"));
  const name = path.basename(file);
  if (!header || header.join(",") !== columns.join(",")) {
    throw new Error(`${name}: expected header ${columns.join(",")}, got ${header?.join(",")}`);
  }
  return rows.map((cells, n) => {
    if (cells.length !== columns.length) {
      throw new Error(`${name} line ${n + 2}: expected ${columns.length} fields, got ${cells.length}`);
    }
    return Object.fromEntries(columns.map((col, k) => [col, cells[k]!.trim()])) as Record<C, string>;
  });
}

/** NFC, single spaces, and the unit-type word in sentence case ("Thị Trấn X" → "Thị trấn X"). */
function normalizeName(raw: string): string {
  const name = raw.normalize("NFC").replace(/\s+/g, " ").trim();
  return name.replace(/^(Thị Xã|Thị Trấn|Thành Phố|Đặc Khu) /, (m) => m[0] + m.slice(1).toLowerCase());
}

function code(value: string, digits: number, where: string): string {
  if (!new RegExp(`^\\d{${digits}}$`).test(value)) {
    throw new Error(`${where}: expected a ${digits}-digit code, got ${JSON.stringify(value)}`);
  }
  return value;
}

function expectPrefix(name: string, re: RegExp, where: string): string {
  if (!re.test(name)) throw new Error(`${where}: unexpected unit name ${JSON.stringify(name)}`);
  return name;
}

/** code → name, failing when one code carries two names. */
function remember(map: Map<string, string>, key: string, value: string, what: string): void {
  const seen = map.get(key);
  if (seen !== undefined && seen !== value) {
    throw new Error(`${what} ${key} has two names: ${JSON.stringify(seen)} and ${JSON.stringify(value)}`);
  }
  map.set(key, value);
}

const byCode = <T extends readonly string[]>(a: T, b: T) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0);

export function buildUnits(sourceDir: string = DEFAULT_SOURCE_DIR): BuildResult {
  const notes: string[] = [];
  const renamed = new Map<string, string>();
  const cleanName = (raw: string) => {
    const name = normalizeName(raw);
    if (name !== raw) renamed.set(raw, name);
    return name;
  };
  const oldRows = readTable(path.join(sourceDir, "old-communes.csv"), OLD_COLUMNS);
  const newRows = readTable(path.join(sourceDir, "new-communes.csv"), NEW_COLUMNS);

  // --- old units (until 2025-06-30)
  const oldProvinces = new Map<string, string>();
  const districtNames = new Map<string, string>();
  const districtProvince = new Map<string, string>();
  const oldCommunes = new Map<string, [string, string, string]>();
  const oldSuccessors = new Map<string, string>();
  oldRows.forEach((raw, n) => {
    const where = `old-communes.csv line ${n + 2}`;
    let districtName = cleanName(raw.district_name);
    let communeName = cleanName(raw.commune_name);
    // Known defect: the four communes of huyện Kiên Hải (912) have district and commune names swapped.
    if (OLD_COMMUNE_PREFIX.test(districtName) && OLD_DISTRICT_PREFIX.test(communeName)) {
      notes.push(`${where}: swapped district/commune names of ${raw.commune_code} (${districtName})`);
      [districtName, communeName] = [communeName, districtName];
    }
    const provinceCode = code(raw.province_code, 2, where);
    const districtCode = code(raw.district_code, 3, where);
    const communeCode = code(raw.commune_code, 5, where);
    remember(
      oldProvinces,
      provinceCode,
      expectPrefix(cleanName(raw.province_name), PROVINCE_PREFIX, where),
      "province",
    );
    remember(districtNames, districtCode, expectPrefix(districtName, OLD_DISTRICT_PREFIX, where), "district");
    remember(districtProvince, districtCode, provinceCode, "district");
    if (oldCommunes.has(communeCode)) throw new Error(`${where}: duplicate commune ${communeCode}`);
    oldCommunes.set(communeCode, [
      communeCode,
      expectPrefix(communeName, OLD_COMMUNE_PREFIX, where),
      districtCode,
    ]);
    const successors = raw.new_commune_codes.split(";").map((s) => code(s.trim(), 5, where));
    oldSuccessors.set(communeCode, [...new Set(successors)].sort().join(";"));
  });

  // --- new units (from 2025-07-01)
  const newProvinces = new Map<string, string>();
  const newCommunes = new Map<string, [string, string, string, string]>();
  const derivedSuccessors = new Map<string, string[]>();
  const newCodes = new Set(newRows.map((r) => r.commune_code));
  for (const [n, raw] of newRows.entries()) {
    const where = `new-communes.csv line ${n + 2}`;
    const provinceCode = code(raw.province_code, 2, where);
    const communeCode = code(raw.commune_code, 5, where);
    remember(
      newProvinces,
      provinceCode,
      expectPrefix(cleanName(raw.province_name), PROVINCE_PREFIX, where),
      "province",
    );
    if (newCommunes.has(communeCode)) throw new Error(`${where}: duplicate commune ${communeCode}`);
    const predecessors = new Map<string, "full" | "partial">();
    for (const entry of raw.predecessors.split(";")) {
      const [oldCode = "", kind = "", ...rest] = entry.trim().split(":");
      if (rest.length > 0 || (kind !== "full" && kind !== "partial")) {
        throw new Error(`${where}: bad predecessor ${JSON.stringify(entry)}`);
      }
      if (predecessors.has(oldCode)) throw new Error(`${where}: predecessor ${oldCode} listed twice`);
      if (oldCode.length === 3) {
        // An island district without communes that became a special zone (đặc khu).
        code(oldCode, 3, where);
        if (districtNames.has(oldCode))
          throw new Error(`${where}: district predecessor ${oldCode} has communes`);
      } else {
        code(oldCode, 5, where);
        if (!oldCommunes.has(oldCode)) throw new Error(`${where}: unknown old commune ${oldCode}`);
        const list = derivedSuccessors.get(oldCode) ?? [];
        list.push(communeCode);
        derivedSuccessors.set(oldCode, list);
      }
      predecessors.set(oldCode, kind);
    }
    const encoded = [...predecessors]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([c, kind]) => (kind === "partial" ? `${c}:p` : c))
      .join(";");
    newCommunes.set(communeCode, [
      communeCode,
      expectPrefix(cleanName(raw.commune_name), NEW_COMMUNE_PREFIX, where),
      provinceCode,
      encoded,
    ]);
  }

  for (const [raw, name] of [...renamed].sort(byCode))
    notes.push(`name ${JSON.stringify(raw)} → ${JSON.stringify(name)}`);

  // The runtime derives old → new from the predecessors; make sure that equals the old table's column.
  for (const [oldCode, listed] of oldSuccessors) {
    for (const s of listed.split(";")) {
      if (!newCodes.has(s)) throw new Error(`old commune ${oldCode}: unknown successor ${s}`);
    }
    const derived = (derivedSuccessors.get(oldCode) ?? []).sort().join(";");
    if (derived !== listed) {
      throw new Error(
        `old commune ${oldCode}: successors ${listed} but new communes name it in ${derived || "none"}`,
      );
    }
  }

  const file: UnitsFile = {
    format: 1,
    source:
      "dvhcvn/20250701 (MIT) via ../shared/data/admin-units; generated by scripts/build-admin-units.ts, do not edit",
    old: {
      validTo: "2025-06-30",
      provinces: [...oldProvinces].sort(byCode),
      districts: [...districtNames]
        .map(([c, name]): [string, string, string] => [c, name, districtProvince.get(c)!])
        .sort(byCode),
      communes: [...oldCommunes.values()].sort(byCode),
    },
    new: {
      validFrom: "2025-07-01",
      provinces: [...newProvinces].sort(byCode),
      communes: [...newCommunes.values()].sort(byCode),
    },
  };
  return {
    json: serialize(file),
    notes,
    counts: {
      oldCommunes: oldCommunes.size,
      oldProvinces: oldProvinces.size,
      districts: districtNames.size,
      newCommunes: newCommunes.size,
      newProvinces: newProvinces.size,
    },
  };
}

/** JSON with one table row per line: compact, yet readable in a diff. */
function serialize(file: UnitsFile): string {
  const rows = (list: readonly unknown[]) => `[\n${list.map((r) => JSON.stringify(r)).join(",\n")}\n]`;
  const s = JSON.stringify;
  return `${[
    "{",
    `"format": ${s(file.format)},`,
    `"source": ${s(file.source)},`,
    `"old": {`,
    `"validTo": ${s(file.old.validTo)},`,
    `"provinces": ${rows(file.old.provinces)},`,
    `"districts": ${rows(file.old.districts)},`,
    `"communes": ${rows(file.old.communes)}`,
    "},",
    `"new": {`,
    `"validFrom": ${s(file.new.validFrom)},`,
    `"provinces": ${rows(file.new.provinces)},`,
    `"communes": ${rows(file.new.communes)}`,
    "}",
    "}",
  ].join("\n")}\n`;
}

function main(argv: string[]): number {
  let sourceDir = DEFAULT_SOURCE_DIR;
  let out = DEFAULT_OUT_FILE;
  let check = false;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--check") check = true;
    else if (arg === "--verbose") verbose = true;
    else if (arg === "--out") {
      const value = argv[++i];
      if (!value) throw new Error("--out needs a file");
      out = path.resolve(value);
    } else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
    else sourceDir = path.resolve(arg);
  }
  const { json, notes, counts } = buildUnits(sourceDir);
  if (verbose) for (const note of notes) console.error(`repaired: ${note}`);
  else if (notes.length > 0) console.error(`repaired ${notes.length} source defects (--verbose lists them)`);
  if (check) {
    let current: string | undefined;
    try {
      current = readFileSync(out, "utf8");
    } catch {}
    if (current !== json) {
      console.error(`${path.relative(process.cwd(), out)} is out of date: run npm run units:build`);
      return 1;
    }
    console.log(`${path.relative(process.cwd(), out)} is up to date`);
    return 0;
  }
  writeFileSync(out, json);
  console.log(
    `wrote ${path.relative(process.cwd(), out)} (${Buffer.byteLength(json)} bytes): ` +
      `${counts.oldCommunes} old communes in ${counts.districts} districts / ${counts.oldProvinces} provinces, ` +
      `${counts.newCommunes} new communes / ${counts.newProvinces} provinces`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
