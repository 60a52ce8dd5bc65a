import { readdir } from "node:fs/promises";
import path from "node:path";
import { ImageStore } from "./images.ts";

/** Where the content model reads its input, relative to the site folder. */
export const POSTS_DIR = "posts";
export const SITE_FILE = "_data/site.json";
export const SERIES_FILE = "_data/series.json";

export interface PostFiles {
  /** Project-relative markdown files under posts/, e.g. `posts/hello.md`, in name order. */
  posts: string[];
  /** Anything else found there (dot files aside), which is not a post. */
  others: string[];
}

/** The one walk over posts/: the build, the scaffold and the importer all list posts through it. */
export async function listPostFiles(inputDir: string): Promise<PostFiles> {
  const found: PostFiles = { posts: [], others: [] };
  const walk = async (relative: string) => {
    const entries = await readdir(path.join(inputDir, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const file = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(file);
      else if (entry.name.endsWith(".md")) found.posts.push(file);
      // An image beside its post, shown by a path relative to it.
      else if (ImageStore.isImage(entry.name)) continue;
      // Editor droppings (dot files) are not content.
      else if (!entry.name.startsWith(".")) found.others.push(file);
    }
  };
  await walk(POSTS_DIR);
  return found;
}
