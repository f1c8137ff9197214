import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Every relative link of README.md and docs/**.md points at a file or folder of the repository, and
 * every `#anchor` at a heading of its target (GitHub's slugs). Links with a scheme (https:, mailto:)
 * are not checked: no network in tests.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function markdownFiles(): string[] {
  const files = ["README.md"];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const relative = path.join(dir, name);
      if (statSync(path.join(ROOT, relative)).isDirectory()) walk(relative);
      else if (name.endsWith(".md")) files.push(relative);
    }
  };
  if (existsSync(path.join(ROOT, "docs"))) walk("docs");
  return files;
}

/** The sources (TypeScript, and the portal's TSX, HTML and CSS), whose comments cite docs by path. */
function codeFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const relative = path.join(dir, name);
      // The portal's build output and installed packages are not ours.
      if (name === "node_modules" || relative === path.join("web", "dist")) continue;
      if (statSync(path.join(ROOT, relative)).isDirectory()) walk(relative);
      else if (/\.(ts|tsx|html|css)$/.test(name)) files.push(relative);
    }
  };
  for (const dir of ["bench", "functions", "infra", "local", "scripts", "shared", "test", "web"]) walk(dir);
  // This file names a missing page on purpose, to prove a broken link is told.
  const self = path.relative(ROOT, fileURLToPath(import.meta.url));
  return files.filter((file) => file !== self);
}

/** The text outside fenced code blocks and inline code, where links are links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]*>/g, "")
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const match of withoutCode.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    // Inline code and links keep their text in the slug.
    const text = match[1]!.replace(/`([^`]*)`/g, "$1").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const slug = githubSlug(text);
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

interface Link {
  file: string;
  target: string;
}

function linksOf(file: string): Link[] {
  const text = prose(readFileSync(path.join(ROOT, file), "utf8"));
  const targets = [
    ...[...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
    ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]!),
  ];
  return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target)).map((target) => ({ file, target }));
}

/** Why a link does not resolve, or undefined when it does. */
function brokenReason({ file, target }: Link): string | undefined {
  const [rawPath, anchor] = target.split("#", 2) as [string, string | undefined];
  const targetFile = rawPath === "" ? file : path.join(path.dirname(file), decodeURIComponent(rawPath));
  const absolute = path.join(ROOT, targetFile);
  if (path.relative(ROOT, absolute).startsWith("..")) return "points outside the repository";
  if (!existsSync(absolute)) return `${targetFile} does not exist`;
  if (anchor === undefined || anchor === "") return undefined;
  if (!targetFile.endsWith(".md")) return `an anchor into ${targetFile}, which is not Markdown`;
  const anchors = anchorsOf(readFileSync(absolute, "utf8"));
  return anchors.has(decodeURIComponent(anchor).toLowerCase())
    ? undefined
    : `${targetFile} has no heading #${anchor}`;
}

describe("documentation links", () => {
  it("slugs headings as GitHub does", () => {
    expect(githubSlug("Exactly-once aggregates")).toBe("exactly-once-aggregates");
    expect(githubSlug("Intake: POST /v1/sources/{sourceId}/events")).toBe(
      "intake-post-v1sourcessourceidevents",
    );
    expect(githubSlug("Figure rules (where each lives)")).toBe("figure-rules-where-each-lives");
    expect(githubSlug("Hải Dương, 2023")).toBe("hải-dương-2023");
  });

  it("finds links and anchors, and tells a broken one", () => {
    expect(anchorsOf("# A\n## A\n```\n# not a heading\n```\n### `code` B\n")).toEqual(
      new Set(["a", "a-1", "code-b"]),
    );
    expect(brokenReason({ file: "README.md", target: "docs/no-such-file.md" })).toMatch(/does not exist/);
    expect(brokenReason({ file: "README.md", target: "#no-such-heading" })).toMatch(/no heading/);
    expect(brokenReason({ file: "README.md", target: "package.json" })).toBeUndefined();
  });

  it("cited in code comments (docs/….md#anchor) resolve to files and headings that exist", () => {
    const citations = codeFiles().flatMap((file) =>
      [
        ...readFileSync(path.join(ROOT, file), "utf8").matchAll(
          /\bdocs\/[A-Za-z0-9_-]+\.md(?:#[A-Za-z0-9_-]+)?/g,
        ),
      ].map((match) => ({ file, target: match[0] })),
    );
    expect(citations.length).toBeGreaterThan(0);
    const broken = citations.flatMap((citation) => {
      const reason = brokenReason({ file: "README.md", target: citation.target });
      return reason ? [`${citation.file}: ${citation.target} ${reason}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it("are the only citations in code comments: none of a contract's section or an issue outside the repository", () => {
    expect(codeFiles()).toContain(path.join("web", "vite.config.ts"));
    const outside = /contract §|§\s?\d|\bissue #?\d/i;
    const citing = codeFiles().flatMap((file) =>
      readFileSync(path.join(ROOT, file), "utf8")
        .split("\n")
        .flatMap((line, i) => (outside.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(citing).toEqual([]);
  });

  it("resolve, in README.md and every docs/ page, to files and headings that exist", () => {
    const files = markdownFiles();
    expect(files).toContain("README.md");
    const links = files.flatMap(linksOf);
    expect(links.length).toBeGreaterThan(0);
    const broken = links.flatMap((link) => {
      const reason = brokenReason(link);
      return reason ? [`${link.file}: (${link.target}) ${reason}`] : [];
    });
    expect(broken).toEqual([]);
  });
});
