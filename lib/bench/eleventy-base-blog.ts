import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { REPOSITORY as REPO } from "../tools/repository.ts";
import type { Corpus } from "./corpus.ts";
import { measureCommand, type CommandSample } from "./timing.ts";

/**
 * The official Eleventy starter, eleventy-base-blog v9, given the same corpus:
 * the generator a new Eleventy user would start from. Its copy in
 * lib/bench/eleventy-base-blog/ pins its dependencies, which are installed in a
 * cache folder of their own, never among the project's.
 */
const TEMPLATE = path.join(REPO, "lib/bench/eleventy-base-blog");
const INSTALL_DIR = path.join(REPO, "node_modules/.cache/eleventy-base-blog");
/** The lock file the installed packages came from: a changed lock installs again. */
const INSTALLED_LOCK = path.join(INSTALL_DIR, "installed-from.json");
const ELEVENTY_CLI = path.join(INSTALL_DIR, "node_modules/@11ty/eleventy/cmd.cjs");

let problem: string | undefined = "not prepared";

/** Why eleventy-base-blog cannot be paired, or undefined when it can. */
export function eleventyBaseBlogProblem(): string | undefined {
  return problem;
}

/** Installs the starter's pinned packages (`npm ci` from the npm registry) unless the same lock is installed already. */
export async function prepareEleventyBaseBlog(): Promise<void> {
  const lock = await readFile(path.join(TEMPLATE, "package-lock.json"), "utf8");
  if ((await readFile(INSTALLED_LOCK, "utf8").catch(() => "")) === lock) {
    problem = undefined;
    return;
  }
  await rm(INSTALL_DIR, { recursive: true, force: true });
  await mkdir(INSTALL_DIR, { recursive: true });
  for (const file of ["package.json", "package-lock.json"]) await cp(path.join(TEMPLATE, file), path.join(INSTALL_DIR, file));
  console.log(`Installing eleventy-base-blog's packages into ${path.relative(process.cwd(), INSTALL_DIR)} (npm ci)...`);
  try {
    await promisify(execFile)("npm", ["ci", "--no-audit", "--no-fund"], { cwd: INSTALL_DIR });
    await writeFile(INSTALLED_LOCK, lock);
    problem = undefined;
  } catch (error) {
    const output = (error as { stderr?: string }).stderr ?? String(error);
    problem = `npm ci of its pinned packages failed: ${output.trim().split("\n").slice(-3).join(" ")}`;
  }
}

/** A post as the starter reads it: its layout and `posts` tag come from content/blog/blog.11tydata.js, and its URL is /blog/<slug>/. */
export function toEleventyBaseBlogPost(text: string): string {
  // Links between generated posts, at the starter's URLs.
  return text.replace(/\]\(\/(generated-post-\d+)\/\)/g, "](/blog/$1/)");
}

/** Writes the corpus into a copy of the starter (posts in content/blog/, images in content/images/) and returns its folder. */
export async function writeEleventyBaseBlogSite(corpus: Corpus, imagesFrom?: string, parentDir = tmpdir()): Promise<string> {
  const dir = await mkdtemp(path.join(parentDir, "blog-eleventy-base-blog-"));
  await cp(TEMPLATE, dir, { recursive: true, filter: (source) => !/package-lock\.json$|README\.md$/.test(source) });
  await symlink(path.join(INSTALL_DIR, "node_modules"), path.join(dir, "node_modules"), "dir");
  await Promise.all([...corpus.files].map(([file, text]) => writeFile(path.join(dir, "content/blog", file), toEleventyBaseBlogPost(text))));
  if (corpus.images > 0 && imagesFrom) await cp(path.join(imagesFrom, "images"), path.join(dir, "content/images"), { recursive: true });
  return dir;
}

/** One cold build (`npx @11ty/eleventy`, without npx's start-up), into a folder of its own (`_site-<run>`), with no cache from an earlier run. */
export async function measureEleventyBaseBlogBuild(siteDir: string, run: number): Promise<CommandSample> {
  await rm(path.join(siteDir, ".cache"), { recursive: true, force: true });
  return measureCommand("eleventy-base-blog's build", process.execPath, [ELEVENTY_CLI, "--quiet", `--output=_site-${run}`], siteDir, {});
}
