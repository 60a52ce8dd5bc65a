import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { UserConfig } from "@11ty/eleventy";
import { writeWhole } from "../tools/write-whole.ts";
import { ASSETS_PATH } from "../content/paths.ts";

/** An asset served under a content-hashed name, so a page never meets a stale or newer file. */
interface HashedAsset {
  sitePath: string;
  body: string;
}

export const STYLESHEET = "assets/scss/site.scss";
export const SCRIPTS = ["assets/js/footnotes.js", "assets/js/search.js"];

export function contentHash(body: string): string {
  return createHash("sha256").update(body).digest("hex").slice(0, 10);
}

/** Compiled stylesheets, named by a hash of what they were compiled from (stylesheetKey). */
export const STYLESHEET_CACHE_DIR = ".cache/css";
const SASS_OPTIONS = { style: "compressed", charset: false };

/** The worker's whole program (plain CommonJS: it needs Sass and nothing of this project). */
const SASS_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const sass = require(workerData.sass);
const result = sass.compile(workerData.file, workerData.options);
parentPort.postMessage({ css: result.css, read: result.loadedUrls.map((url) => url.href) });
`;

/**
 * Compiles the Sass entry point, minified, on a worker thread: loading and
 * running Sass costs about half a second of CPU, which then overlaps the
 * content model's load on the other core instead of coming before it. Sass
 * errors name the file and line themselves. Also returns the files it read.
 */
function compileStylesheet(inputDir: string, sass: string): Promise<{ css: string; read: string[] }> {
  const workerData = { sass, file: path.join(inputDir, STYLESHEET), options: SASS_OPTIONS };
  return new Promise((resolve, reject) => {
    const worker = new Worker(SASS_WORKER, { eval: true, workerData });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

/** Hash of everything the CSS is made from: Sass itself, its options, and every file of the stylesheet's folder. */
async function stylesheetKey(inputDir: string, sass: string): Promise<string> {
  const hash = createHash("sha256").update(JSON.stringify({ sass: await readFile(path.join(path.dirname(sass), "package.json"), "utf8"), SASS_OPTIONS }));
  const folder = path.join(inputDir, path.dirname(STYLESHEET));
  const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  for (const file of files.map((entry) => path.join(entry.parentPath, entry.name)).sort()) {
    hash
      .update(`${path.relative(folder, file)}\0`)
      .update(await readFile(file))
      .update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * The site's CSS, compiled only when a file of its folder changed: a build
 * otherwise finds it in the cache and never loads Sass. The key is taken
 * before compiling, so an edit saved meanwhile is compiled by the next build;
 * CSS that read a file outside the folder is not cached, as its key would
 * not see that file change.
 */
export async function buildStylesheet(inputDir: string): Promise<string> {
  const sass = createRequire(import.meta.url).resolve("sass");
  const key = await stylesheetKey(inputDir, sass);
  const cacheDir = path.join(inputDir, STYLESHEET_CACHE_DIR);
  const cached = await readFile(path.join(cacheDir, `${key}.css`), "utf8").catch(() => undefined);
  if (cached !== undefined) return cached;
  const { css, read } = await compileStylesheet(inputDir, sass);
  const folder = path.join(inputDir, path.dirname(STYLESHEET));
  const inFolder = (url: string) => url.startsWith("file:") && !path.relative(folder, fileURLToPath(url)).startsWith("..");
  if (read.every(inFolder)) await replaceCache(cacheDir, key, css);
  return css;
}

/** Stylesheets started before their build, by input folder: each is taken by the next build of that folder. */
const startedEarly = new Map<string, Promise<string>>();

/**
 * Starts the stylesheet for the next build of `inputDir` now: `npm run build`
 * starts it before it loads Eleventy, so Sass's worker runs meanwhile instead
 * of the build waiting for it (a cold build's main thread idled for it).
 */
export function startStylesheet(inputDir: string): void {
  const key = path.resolve(inputDir);
  if (startedEarly.has(key)) return;
  const css = buildStylesheet(inputDir);
  // Its error is the build's, reported when the build takes it.
  css.catch(() => undefined);
  startedEarly.set(key, css);
}

/** The stylesheet started early for this folder, or a new one. */
function takeStylesheet(inputDir: string): Promise<string> {
  const key = path.resolve(inputDir);
  const started = startedEarly.get(key);
  startedEarly.delete(key);
  return started ?? buildStylesheet(inputDir);
}

/** Writes the CSS under its key, whole or not at all, and drops the entries of earlier sources. */
async function replaceCache(cacheDir: string, key: string, css: string): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  await writeWhole(path.join(cacheDir, `${key}.css`), css);
  for (const name of await readdir(cacheDir)) {
    if (name !== `${key}.css` && name.endsWith(".css")) await rm(path.join(cacheDir, name), { force: true });
  }
}

export class Assets {
  readonly #built = new Map<string, HashedAsset>();

  set(name: string, extension: string, body: string): void {
    this.#built.set(name, { sitePath: `${ASSETS_PATH}${name}.${contentHash(body)}.${extension}`, body });
  }

  get(name: string): HashedAsset {
    const asset = this.#built.get(name);
    if (!asset) throw new Error(`asset "${name}" was not built; known: ${[...this.#built.keys()].join(", ")}`);
    return asset;
  }

  /** Site path of the stylesheet, e.g. /assets/site.3f2a9c0d1e.css */
  get css(): string {
    return this.get("site").sitePath;
  }

  get footnotes(): string {
    return this.get("footnotes").sitePath;
  }

  /** Loaded by the search page alone. */
  get search(): string {
    return this.get("search").sitePath;
  }
}

export default function assetsPlugin(eleventyConfig: UserConfig): void {
  const assets = new Assets();
  eleventyConfig.addGlobalData("assets", () => assets);
  eleventyConfig.addWatchTarget("./assets/");

  // A dev-server rebuild recompiles the stylesheet only when a file under assets/
  // changed: after a post edit Sass would give the same CSS, at a cost on every save.
  let assetsChanged = true;
  let inputDir = ".";
  eleventyConfig.on("eleventy.beforeWatch", (changedFiles: string[]) => {
    assetsChanged ||= changedFiles.some((file) => !path.relative(path.join(inputDir, "assets"), file).startsWith(".."));
  });
  eleventyConfig.on("eleventy.before", async ({ directories }) => {
    inputDir = directories.input;
    if (!assetsChanged) return;
    assets.set("site", "css", await takeStylesheet(directories.input));
    for (const script of SCRIPTS) {
      assets.set(path.basename(script, ".js"), "js", await readFile(path.join(directories.input, script), "utf8"));
    }
    assetsChanged = false;
  });

  for (const name of ["site", ...SCRIPTS.map((script) => path.basename(script, ".js"))]) {
    eleventyConfig.addTemplate(
      `assets/${name}.11ty.js`,
      { render: () => assets.get(name).body },
      {
        permalink: () => assets.get(name).sitePath,
        eleventyExcludeFromCollections: true,
      },
    );
  }
}
