import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPOSITORY } from "../tools/repository.ts";
import type { Corpus } from "./corpus.ts";
import { measureCommand, type CommandSample } from "./timing.ts";

/**
 * Hugo, given the same generated corpus: the benchmark's yardstick. The site's
 * templates (lib/bench/hugo-site/) make the same kinds of page and feed the blog
 * does, so both generators do comparable work.
 */
const HUGO_SITE = path.join(REPOSITORY, "lib/bench/hugo-site");

/** Hugo's version line, or undefined when `hugo` is not on PATH. */
export function hugoVersion(): string | undefined {
  try {
    return execFileSync("hugo", ["version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** A post's front matter as Hugo reads it: `series` is a taxonomy, so a list. */
export function toHugoPost(text: string): string {
  return text.replace(/^series: (.+)$/m, "series: [$1]");
}

/**
 * Writes the corpus as a Hugo site in a new folder and returns it: posts under
 * content/posts/, each series' title and description as its taxonomy term page,
 * an archive page, and the corpus' images (copied from `imagesFrom`, the
 * generated site that holds them) as static files.
 */
export async function writeHugoSite(corpus: Corpus, imagesFrom?: string, parentDir = tmpdir()): Promise<string> {
  const dir = await mkdtemp(path.join(parentDir, "blog-hugo-"));
  await cp(HUGO_SITE, dir, { recursive: true });
  await mkdir(path.join(dir, "content/posts"), { recursive: true });
  await writeFile(path.join(dir, "content/archive.md"), `---\ntitle: Archive\nlayout: archive\nurl: /archive/\n---\n`);
  await Promise.all([...corpus.files].map(([file, text]) => writeFile(path.join(dir, "content/posts", file), toHugoPost(text))));
  for (const series of corpus.series) {
    const termDir = path.join(dir, "content/series", series.slug);
    await mkdir(termDir, { recursive: true });
    await writeFile(path.join(termDir, "_index.md"), `---\ntitle: ${JSON.stringify(series.title)}\ndescription: ${JSON.stringify(series.description)}\n---\n`);
  }
  if (corpus.images > 0 && imagesFrom) await cp(path.join(imagesFrom, "images"), path.join(dir, "static/images"), { recursive: true });
  return dir;
}

/**
 * One cold Hugo build in a fresh process, into a folder of its own (`public-<run>`):
 * like our builds' releases, earlier output is deleted only when the benchmark
 * ends. Hugo's cache folder is inside the site and new for every run, so nothing
 * is reused.
 */
export async function measureHugoBuild(siteDir: string, run: number): Promise<CommandSample> {
  const destination = path.join(siteDir, `public-${run}`);
  const cacheDir = path.join(siteDir, `hugo-cache-${run}`);
  return measureCommand("Hugo's build", "hugo", ["--quiet", "--source", siteDir, "--destination", destination, "--cacheDir", cacheDir], siteDir, {});
}
