import { rm, rmdir } from "node:fs/promises";
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";

/**
 * The dev server's output holds only what its latest build made: a page whose
 * permalink changed, or a post deleted, stops being served instead of serving
 * stale text. Only files an earlier build of this process wrote are removed.
 */
export default function devOutputPlugin(eleventyConfig: UserConfig): void {
  let previous = new Set<string>();
  eleventyConfig.on("eleventy.after", async ({ results, runMode }) => {
    if (runMode === "build") return; // A production build writes a fresh release folder.
    const current = new Set(results.flatMap((result) => (typeof result.outputPath === "string" ? [path.resolve(result.outputPath)] : [])));
    for (const file of previous) if (!current.has(file)) await removeWithEmptyFolders(file);
    previous = current;
  });
}

async function removeWithEmptyFolders(file: string): Promise<void> {
  await rm(file, { force: true });
  // The folder of `/old-permalink/index.html` goes too, once empty (rmdir refuses otherwise).
  await rmdir(path.dirname(file)).catch(() => undefined);
}
