/**
 * The portal's built files (web/ → web/dist, by `npm run web:build`): built when missing or older
 * than their sources, so `npm start` and `npm run synth` serve and deploy the page the sources say.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WEB = path.join(PROJECT_ROOT, "web");

/** What `npm run web:build` writes, and what the local stack and CloudFront serve. */
export const WEB_DIST = path.join(WEB, "dist");

/** What the bundle is made of: the page's sources and the shared modules it imports. */
const SOURCES = [
  path.join(WEB, "src"),
  path.join(WEB, "index.html"),
  path.join(WEB, "vite.config.ts"),
  path.join(PROJECT_ROOT, "shared", "reports"),
];

function newestMtime(file: string): number {
  const info = statSync(file);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(file).reduce(
    (newest, name) => Math.max(newest, newestMtime(path.join(file, name))),
    info.mtimeMs,
  );
}

export function webBuildIsStale(dist = WEB_DIST): boolean {
  const index = path.join(dist, "index.html");
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((source) => existsSync(source) && newestMtime(source) > built);
}

/**
 * Runs `npm run web:build` when the build is missing or stale; its output goes to stderr (the CDK
 * CLI reads the app's stdout). Returns whether it built; throws when the build fails.
 */
export function ensureWebBuilt(log: (line: string) => void = (line) => console.error(line)): boolean {
  if (!webBuildIsStale()) return false;
  log("building the portal (npm run web:build) …");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["run", "--silent", "web:build"], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", 2, 2],
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`npm run web:build failed (exit ${result.status})`);
  return true;
}
