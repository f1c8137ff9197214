/**
 * Builds a function's bundle as the CDK construct does (the settings are FUNCTION_BUNDLING of
 * infra/constructs/node-function.ts): `index.mjs` with esbuild, then next to it the data files it
 * names and the chunks it imports on first use. The construct lets NodejsFunction build `index.mjs`,
 * then runs this module on the output folder (`tsx infra/bundle-build.ts <folder>`); the budget test
 * and `npm run bench:cold` build all of it with `bundleFunction`.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { FUNCTION_BUNDLING, PROJECT_ROOT } from "./constructs/node-function";

export interface FunctionBundle {
  /** The entry from the project root, e.g. `functions/intake/handler.ts`. */
  entry: string;
  /** The folder holding `index.mjs` (and the data files, the chunks), as in the Lambda zip. */
  dir: string;
  /** Size of `index.mjs`, in bytes: what Node parses at every cold start. */
  bytes: number;
  /** Size of the data files copied next to it (read only when a request needs them). */
  fileBytes: number;
  /** Size of the chunks (parsed only by the invocation that imports them). */
  chunkBytes: number;
  metafile: Metafile;
}

/** esbuild's options for one output file, as NodejsFunction passes them. */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [path.join(PROJECT_ROOT, entry)],
    outfile,
    bundle: true,
    platform: "node",
    tsconfig: path.join(PROJECT_ROOT, "tsconfig.json"),
    target: FUNCTION_BUNDLING.target,
    format: FUNCTION_BUNDLING.format,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    minify: FUNCTION_BUNDLING.minify,
    keepNames: FUNCTION_BUNDLING.keepNames,
    sourcemap: FUNCTION_BUNDLING.sourcemap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    charset: FUNCTION_BUNDLING.charset,
    external: [...FUNCTION_BUNDLING.external, ...FUNCTION_BUNDLING.chunks.map((c) => c.specifier)],
    logLevel: "warning",
    metafile: true,
  };
}

/** The data files `dir/index.mjs` names, copied next to it. Returns their bytes. */
export function copyDataFiles(dir: string): number {
  const code = readFileSync(path.join(dir, "index.mjs"), "utf8");
  let bytes = 0;
  for (const { from, to } of FUNCTION_BUNDLING.files) {
    if (!code.includes(JSON.stringify(to))) continue;
    const target = path.join(dir, to);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(PROJECT_ROOT, from), target);
    bytes += statSync(target).size;
  }
  return bytes;
}

/**
 * The chunks `dir/index.mjs` imports, each bundled into `dir`, and a package.json mapping their
 * specifiers to the files (how Node resolves `import("#renderers")` in the bundle). Returns their bytes.
 */
export async function bundleChunks(dir: string): Promise<number> {
  const code = readFileSync(path.join(dir, "index.mjs"), "utf8");
  const used = FUNCTION_BUNDLING.chunks.filter((chunk) => code.includes(JSON.stringify(chunk.specifier)));
  if (used.length === 0) return 0;
  let bytes = 0;
  for (const chunk of used) {
    const outfile = path.join(dir, chunk.out);
    await build(esbuildOptions(chunk.entry, outfile));
    bytes += statSync(outfile).size;
  }
  const imports = Object.fromEntries(used.map((chunk) => [chunk.specifier, `./${chunk.out}`]));
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ type: "module", imports }, null, 2)}\n`);
  return bytes;
}

/** Bundles `entry` into `outDir` (created), as the construct does: index.mjs, data files, chunks. */
export async function bundleFunction(entry: string, outDir: string): Promise<FunctionBundle> {
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, "index.mjs");
  const result = await build(esbuildOptions(entry, outfile));
  const fileBytes = copyDataFiles(outDir);
  const chunkBytes = await bundleChunks(outDir);
  return {
    entry,
    dir: outDir,
    bytes: statSync(outfile).size,
    fileBytes,
    chunkBytes,
    metafile: result.metafile as Metafile,
  };
}

// `tsx infra/bundle-build.ts <folder>`: the construct's afterBundling step.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: tsx infra/bundle-build.ts <bundle folder>");
  copyDataFiles(dir);
  await bundleChunks(dir);
}
