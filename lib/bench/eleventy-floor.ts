import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPOSITORY as REPO } from "../tools/repository.ts";
import type { Corpus } from "./corpus.ts";
import { measureCommand, type CommandSample } from "./timing.ts";

/**
 * Bare Eleventy given the same corpus: no plugins, no data files, one trivial
 * Nunjucks layout, built by the project's own Eleventy as `npx @11ty/eleventy`
 * runs it. The floor under any Eleventy site, so the bench shows how much of
 * our time against Hugo's is Eleventy's own.
 */
const ELEVENTY_CLI = path.join(REPO, "node_modules/@11ty/eleventy/cmd.cjs");
export const FLOOR_LAYOUT = "post.njk";

const FILES: Record<string, string> = {
  // The config is an ES module, like ours.
  "package.json": `${JSON.stringify({ private: true, type: "module" }, null, 2)}\n`,
  "eleventy.config.js": [
    "export default function (eleventyConfig) {",
    `  eleventyConfig.addGlobalData("layout", ${JSON.stringify(FLOOR_LAYOUT)});`,
    "}",
    "",
    "// Posts are markdown only, as ours are: no template language runs over them first.",
    "export const config = { markdownTemplateEngine: false };",
    "",
  ].join("\n"),
  [`_includes/${FLOOR_LAYOUT}`]: '<!doctype html>\n<html lang="en">\n<title>{{ title }}</title>\n<main>{{ content | safe }}</main>\n</html>\n',
};

/** Writes the corpus' posts (in posts/) into a bare Eleventy site in a new folder and returns it. */
export async function writeEleventyFloorSite(corpus: Corpus, parentDir = tmpdir()): Promise<string> {
  const dir = await mkdtemp(path.join(parentDir, "blog-eleventy-floor-"));
  await mkdir(path.join(dir, "_includes"));
  await mkdir(path.join(dir, "posts"));
  for (const [file, text] of Object.entries(FILES)) await writeFile(path.join(dir, file), text);
  await Promise.all([...corpus.files].map(([file, text]) => writeFile(path.join(dir, "posts", file), text)));
  return dir;
}

/** One build in a fresh process (Eleventy's own command line), into a folder of its own (`_site-<run>`). */
export async function measureEleventyFloorBuild(siteDir: string, run: number): Promise<CommandSample> {
  return measureCommand("bare Eleventy's build", process.execPath, [ELEVENTY_CLI, "--quiet", `--output=_site-${run}`], siteDir, {});
}
