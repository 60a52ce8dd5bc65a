import { realpathSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { ImageStore } from "./images.ts";

/*
 * Where the content model reads its input, and how a post file is found and
 * read, refusing what is not a post: a FIFO would hang the build, a symlink to
 * /dev/zero would fill memory, and bytes that are not UTF-8 would be published
 * as U+FFFD without a word.
 */
export const POSTS_DIR = "posts";
export const SITE_FILE = "_data/site.json";
export const SERIES_FILE = "_data/series.json";
/** Markdown posts, and HTML posts (front matter and an HTML body, as the WordPress era wrote them). */
export const POST_FORMATS = ["md", "html"] as const;
export const POST_EXTENSION = new RegExp(`\\.(?:${POST_FORMATS.join("|")})$`);

/** The largest post file read. The longest real posts are tens of kilobytes. */
export const MAX_POST_BYTES = 10 * 1024 * 1024;

export interface PostFiles {
  /** Project-relative post files under posts/, e.g. `posts/hello.md` or `posts/old.html`, in name order. */
  posts: string[];
  /** Anything else found there (dot files aside), which is not a post. */
  others: string[];
  /** Markdown files that must not be read (special files, links out of the project, huge files), and why. */
  refused: Array<{ file: string; found: string; expected: string }>;
}

/** The one walk over posts/: the build, the scaffold and the importer all list posts through it. */
export async function listPostFiles(inputDir: string): Promise<PostFiles> {
  const found: PostFiles = { posts: [], others: [], refused: [] };
  const project = realpathSync(inputDir);
  const walk = async (relative: string) => {
    const entries = await readdir(path.join(inputDir, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const file = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(file);
      else if (POST_EXTENSION.test(entry.name)) {
        const problem = unreadable(project, path.join(inputDir, file), entry.isSymbolicLink());
        if (problem) found.refused.push({ file, ...problem });
        else found.posts.push(file);
      }
      // An image beside its post, shown by a path relative to it.
      else if (ImageStore.isImage(entry.name)) continue;
      // Editor droppings (dot files) are not content.
      else if (!entry.name.startsWith(".")) found.others.push(file);
    }
  };
  await walk(POSTS_DIR);
  return found;
}

/** Why a post file must not be read, or undefined when it may. Stat only: nothing is opened. */
function unreadable(project: string, absolute: string, isLink: boolean): { found: string; expected: string } | undefined {
  let target = absolute;
  if (isLink) {
    try {
      target = realpathSync(absolute);
    } catch {
      return { found: "a symbolic link to nothing", expected: "expected a markdown file; remove the link or restore what it points to" };
    }
    if (!target.startsWith(project + path.sep))
      return {
        found: `a symbolic link out of the project (to ${target})`,
        expected: "expected a file inside the project; copy the post in instead of linking to it",
      };
  }
  const stats = statSync(target);
  if (!stats.isFile()) return { found: `a ${isLink ? "link to a " : ""}special file (a device, FIFO or socket)`, expected: "expected a regular markdown file" };
  if (stats.size > MAX_POST_BYTES) {
    return {
      found: `${(stats.size / 1024 / 1024).toFixed(1)} MB`,
      expected: `expected a post of at most ${MAX_POST_BYTES / 1024 / 1024} MB; split it, or move large files to images/`,
    };
  }
  return undefined;
}

export class EncodingError extends Error {
  constructor(
    readonly offset: number,
    readonly line: number,
    readonly byte: number,
  ) {
    super(`byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} at offset ${offset} is not UTF-8`);
    this.name = "EncodingError";
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** A post file's bytes as text, which must be UTF-8; throws an EncodingError naming the first bad byte. */
export function decodePostText(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    const offset = firstInvalidByte(bytes);
    let line = 1;
    for (let index = 0; index < offset; index++) if (bytes[index] === 0x0a) line++;
    throw new EncodingError(offset, line, bytes[offset] ?? 0);
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return index;
    // Decoding the sequence alone tells overlong forms and surrogates apart from good ones.
    try {
      UTF8.decode(bytes.subarray(index, index + length));
    } catch {
      return index;
    }
    index += length;
  }
  return bytes.length;
}
