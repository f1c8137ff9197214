import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The evolve functions are exhaustive: a new event type does not compile until each of them
 * handles it. Proved by compiling a copy of shared/domain with one more event type added.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const NEW_TYPE = 'dossierEvent("dossier.archived", {}),';

let workDir: string;

beforeAll(async () => {
  // Inside node_modules so that the copy resolves zod and @types/node like the project does.
  const cache = path.join(ROOT, "node_modules", ".cache");
  await mkdir(cache, { recursive: true });
  workDir = await mkdtemp(path.join(cache, "exhaustive-"));
});
afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

async function compileDomainCopy(name: string, patchEvents: (source: string) => string): Promise<string> {
  const dir = path.join(workDir, name);
  await cp(path.join(ROOT, "shared", "domain"), dir, { recursive: true });
  const eventsFile = path.join(dir, "events.ts");
  await writeFile(eventsFile, patchEvents(await readFile(eventsFile, "utf8")));
  const tsconfig = JSON.parse(await readFile(path.join(ROOT, "tsconfig.json"), "utf8")) as {
    compilerOptions: Record<string, unknown>;
  };
  await writeFile(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: tsconfig.compilerOptions, files: ["subject-state.ts"] }),
  );
  return new Promise((resolve) => {
    execFile(process.execPath, [TSC, "--noEmit", "--pretty", "false", "-p", dir], (_error, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
  });
}

describe("the evolve functions", () => {
  it("compile as they are (the control of the next test)", async () => {
    expect(await compileDomainCopy("as-is", (source) => source)).toBe("");
  }, 120_000);

  it("fail to compile, each of them, when an event type is added that they do not handle", async () => {
    const output = await compileDomainCopy("with-new-type", (source) => {
      const anchor = 'dossierEvent("dossier.rated"';
      expect(source).toContain(anchor);
      return source.replace(anchor, `${NEW_TYPE}\n  ${anchor}`);
    });
    const inEvolve = output.split("\n").filter((line) => line.includes("subject-state.ts("));
    // One error in evolveDossier, one in evolveFeedback: the `never` of each switch.
    expect(inEvolve.length).toBeGreaterThanOrEqual(2);
    expect(inEvolve.join("\n")).toContain("never");
  }, 120_000);
});
