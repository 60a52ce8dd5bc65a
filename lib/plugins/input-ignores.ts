import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";

/**
 * Keeps folders and files of the site folder from being read as templates.
 * `eleventyConfig.ignores` reads a pattern from the working folder, so a build
 * of another folder (`npm run build -- --input <dir>`) would publish its
 * README; these are joined with the input folder, as Eleventy does for _includes/.
 */
export default function inputIgnoresPlugin(eleventyConfig: UserConfig, options: { patterns: readonly string[] }): void {
  eleventyConfig.on("eleventy.ignores", (ignores: string[]) => {
    const input = eleventyConfig.directories.input;
    const base = path.isAbsolute(input) || input.startsWith("./") ? input : `./${input}`;
    for (const pattern of options.patterns) ignores.push(path.posix.join(base, pattern));
  });
}
