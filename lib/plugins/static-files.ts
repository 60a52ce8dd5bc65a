import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import { readStaticFolders } from "../content/static-files.ts";

/**
 * Publishes the author's static folders (see static-files.ts) as they are,
 * through Eleventy's passthrough copy: a build copies them, and the dev server
 * serves them straight from the folder and reloads the page when one changes.
 */
export default function staticFilesPlugin(eleventyConfig: UserConfig): void {
  const inputDir = eleventyConfig.directories.input;
  for (const folder of readStaticFolders(inputDir)) {
    eleventyConfig.addPassthroughCopy({ [path.join(inputDir, folder)]: folder }, { dot: false });
    eleventyConfig.addWatchTarget(path.join(inputDir, folder));
  }
  // The dev server serves the folders from where they are instead of copying them
  // on each rebuild: a copy still running when the next rebuild starts trips
  // Eleventy 3.1's passthrough timer ("Benchmark after() without a before()").
  eleventyConfig.setServerPassthroughCopyBehavior("passthrough");
  // A folder added to site.json is published from the next rebuild on.
  eleventyConfig.addWatchTarget(path.join(inputDir, "_data/site.json"), { resetConfig: true });
}
