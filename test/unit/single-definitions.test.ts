import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, EVENT_ERROR_CODES } from "../../shared/api/http";
import { COMMUNE_CODE_PATTERN, PROVINCE_CODE_PATTERN } from "../../shared/domain/unit-codes";
import { REJECTION_CODES } from "../../shared/intake/intake";

/** One definition of each rule: the patterns of unit codes and the per-event error codes. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SOURCE_DIRS = ["shared", "functions", "local", "scripts", "infra", "bench"];

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

describe("single definitions", () => {
  it("write the commune and province code patterns in one module only", async () => {
    const patterns = [String.raw`/^\d{5}$/`, String.raw`/^\d{2}$/`];
    const files = (await Promise.all(SOURCE_DIRS.map(sourceFiles))).flat();
    const writers: string[] = [];
    for (const file of files) {
      const source = await readFile(path.join(ROOT, file), "utf8");
      if (patterns.some((pattern) => source.includes(pattern))) writers.push(file);
    }
    expect(writers).toEqual([path.join("shared", "domain", "unit-codes.ts")]);
    expect(COMMUNE_CODE_PATTERN.test("10621")).toBe(true);
    expect(COMMUNE_CODE_PATTERN.test("1062")).toBe(false);
    expect(PROVINCE_CODE_PATTERN.test("30")).toBe(true);
    expect(PROVINCE_CODE_PATTERN.test("300")).toBe(false);
  });

  it("take the HTTP edge's per-event error codes from the intake core", () => {
    expect(EVENT_ERROR_CODES).toEqual(Object.keys(REJECTION_CODES));
    for (const [code, meaning] of Object.entries(REJECTION_CODES)) {
      expect(ERROR_CODES[code as keyof typeof ERROR_CODES]).toBe(meaning);
    }
  });
});
