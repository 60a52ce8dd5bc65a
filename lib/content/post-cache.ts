import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deserialize, serialize } from "node:v8";
import { pruneUnused } from "../tools/kept-files.ts";
import { writeWhole } from "../tools/write-whole.ts";
import type { RenderedPost, RenderSettings } from "./post-file.ts";

/*
 * Each post's rendered result, kept between builds in .cache/posts/ and named
 * by what it was made from: the post's bytes and name, the renderer's version
 * (the packages it uses and the code of this folder's modules) and the settings
 * rendering reads. A warm build renders only the posts whose name changed.
 *
 * An entry is trusted only whole: it carries its own name, the renderer's
 * version and a digest of its contents, and anything else (another version, a
 * truncated or altered file) is ignored and written again. Entries are written
 * to a temporary name and renamed, so a build stopped halfway leaves none half
 * written; results with content errors are never kept.
 */
export const POST_CACHE_DIR = ".cache/posts";

/** Set to 0 to build without reading or writing the cache. */
export const CACHE_SWITCH = "BLOG_CACHE";

/** The packages whose output is part of a post's HTML or facts. */
const RENDER_PACKAGES = ["markdown-it", "markdown-it-footnote", "prismjs", "yaml", "zod", "luxon", "@11ty/eleventy-img"];

const FORMAT = "post-cache 1";
const DIGEST_BYTES = 32;

interface Entry {
  format: string;
  version: string;
  key: string;
  post: RenderedPost;
}

export function cacheEnabled(): boolean {
  return process.env[CACHE_SWITCH] !== "0";
}

let rendererVersion: string | undefined;

/** The renderer's version: the render packages' versions, Node's, and a digest of the content model's own code. */
export function renderVersion(): string {
  if (rendererVersion !== undefined) return rendererVersion;
  const hash = createHash("sha256").update(FORMAT).update(process.version);
  const require = createRequire(import.meta.url);
  for (const name of RENDER_PACKAGES) hash.update(`${name}@${packageVersion(require, name)}`);
  const folder = path.dirname(fileURLToPath(import.meta.url));
  const extension = path.extname(fileURLToPath(import.meta.url));
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith(extension))
    .sort()) {
    hash.update(file).update(readFileSync(path.join(folder, file)));
  }
  rendererVersion = hash.digest("hex");
  return rendererVersion;
}

function packageVersion(require: NodeRequire, name: string): string {
  let folder = path.dirname(require.resolve(name));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as { name?: string; version?: string };
      if (manifest.name === name) return manifest.version ?? "unknown";
    } catch {
      // No package.json at this level: keep walking up.
    }
    const parent = path.dirname(folder);
    if (parent === folder) return "unknown";
    folder = parent;
  }
}

/** What rendering reads besides a post's own file, as text: a change to any of it renames every entry. */
export function settingsKey(settings: RenderSettings): string {
  // Whether a path like /files/x resolves depends on which static folders hold files (see media.ts).
  const staticFolders = [...new Set([...settings.staticFiles.values()].map((file) => file.split("/")[0]))].sort();
  return JSON.stringify([settings.deploymentUrl, settings.canonicalUrl, settings.timeZone, staticFolders]);
}

/** A post's cache key: its file name and bytes, the renderer's version and the settings. */
export function postKey(file: string, bytes: Uint8Array, settings: string): string {
  return createHash("sha256").update(renderVersion()).update("\0").update(settings).update("\0").update(file).update("\0").update(bytes).digest("hex");
}

export class PostCache {
  readonly #dir: string;
  /** The keys this build used: what pruning keeps. */
  readonly #used = new Set<string>();
  /** The cache folder, made once per build rather than once per entry written. */
  #folderMade: Promise<unknown> | undefined;

  constructor(inputDir: string) {
    this.#dir = path.join(inputDir, POST_CACHE_DIR);
  }

  /**
   * The result kept under a key, or undefined when there is none or it cannot
   * be trusted. Read synchronously, one at a time: fs/promises costs several
   * times the CPU per small file, and thousands read at once would all be held
   * in memory together.
   */
  read(key: string): RenderedPost | undefined {
    this.#used.add(key);
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.#file(key));
    } catch {
      return undefined;
    }
    return decodeEntry(bytes, key);
  }

  /** Keeps a result, written whole or not at all. Results with content errors are not kept. */
  async write(key: string, post: RenderedPost): Promise<void> {
    if (post.errors.length > 0) return;
    this.#used.add(key);
    const entry: Entry = { format: FORMAT, version: renderVersion(), key, post };
    const payload = serialize(entry);
    const digest = createHash("sha256").update(payload).digest();
    try {
      await (this.#folderMade ??= mkdir(this.#dir, { recursive: true }));
      await writeWhole(this.#file(key), Buffer.concat([digest, payload]));
    } catch {
      // A cache that cannot be written costs the next build time, never this one its result.
    }
  }

  /**
   * Bounds the cache: entries this build did not use (older versions, edited
   * posts) are removed, oldest first, until they are no more than those it
   * used. Left-over temporary files of stopped builds go too.
   */
  prune(): Promise<void> {
    return pruneUnused(this.#dir, this.#used);
  }

  #file(key: string): string {
    return path.join(this.#dir, key);
  }
}

/** An entry's result, when its digest, format, version and key all hold. */
export function decodeEntry(bytes: Buffer, key: string): RenderedPost | undefined {
  if (bytes.length <= DIGEST_BYTES) return undefined;
  const payload = bytes.subarray(DIGEST_BYTES);
  if (!createHash("sha256").update(payload).digest().equals(bytes.subarray(0, DIGEST_BYTES))) return undefined;
  try {
    const entry = deserialize(payload) as Partial<Entry> | null;
    if (entry?.format !== FORMAT || entry.version !== renderVersion() || entry.key !== key || !entry.post) return undefined;
    return entry.post;
  } catch {
    return undefined;
  }
}
