import path from "node:path";

/**
 * The input folder as Eleventy must be given it: relative to the working
 * directory. Eleventy 3.1 skips directory data files (posts/posts.11tydata.js)
 * when the input is an absolute path.
 */
export function eleventyInput(folder: string): string {
  return path.relative(process.cwd(), folder) || ".";
}
