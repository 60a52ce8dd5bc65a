import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { UserConfig } from "@11ty/eleventy";

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

/** The worker's whole program (plain CommonJS: it needs Sass and nothing of this project). */
const SASS_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const sass = require(workerData.sass);
parentPort.postMessage(sass.compile(workerData.file, { style: "compressed", charset: false }).css);
`;

/**
 * Compiles the Sass entry point, minified, on a worker thread: loading and
 * running Sass costs about a quarter of a second of CPU, which then overlaps
 * the content model's load on the other core instead of coming before it.
 * Sass errors name the file and line themselves.
 */
export function compileStylesheet(inputDir: string): Promise<string> {
  const workerData = { sass: createRequire(import.meta.url).resolve("sass"), file: path.join(inputDir, STYLESHEET) };
  return new Promise((resolve, reject) => {
    const worker = new Worker(SASS_WORKER, { eval: true, workerData });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

export class Assets {
  readonly #built = new Map<string, HashedAsset>();

  set(name: string, extension: string, body: string): void {
    this.#built.set(name, { sitePath: `/assets/${name}.${contentHash(body)}.${extension}`, body });
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
    assets.set("site", "css", await compileStylesheet(directories.input));
    for (const script of SCRIPTS) {
      assets.set(path.basename(script, ".js"), "js", await readFile(path.join(directories.input, script), "utf8"));
    }
    assetsChanged = false;
  });

  for (const name of ["site", ...SCRIPTS.map((script) => path.basename(script, ".js"))]) {
    eleventyConfig.addTemplate(`assets/${name}.11ty.js`, { render: () => assets.get(name).body }, {
      permalink: () => assets.get(name).sitePath,
      eleventyExcludeFromCollections: true,
    });
  }
}
