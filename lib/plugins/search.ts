import type { UserConfig } from "@11ty/eleventy";
import { SEARCH_BUNDLE_PATH, writeSearchIndex } from "../search/search-index.ts";

/**
 * Re-indexes the dev server's site after each rebuild, in the background: the
 * browser reloads as soon as the pages are written, and the search catches up
 * a moment later. Rebuilds that land while it runs are folded into one more run.
 */
class BackgroundIndexer {
  #running = false;
  #again = false;

  request(siteDir: string): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    void this.#run(siteDir);
  }

  async #run(siteDir: string): Promise<void> {
    do {
      this.#again = false;
      const started = performance.now();
      try {
        await writeSearchIndex(siteDir);
        console.log(`[search] Index rebuilt in ${Math.round(performance.now() - started)} ms.`);
      } catch (error) {
        console.error(`[search] ${error instanceof Error ? error.message : String(error)}`);
      }
    } while (this.#again);
    this.#running = false;
  }
}

export default function searchPlugin(eleventyConfig: UserConfig): void {
  // Where the index lives, for pages/search.njk's script (the page's own path is `paths.search`).
  eleventyConfig.addGlobalData("search", { bundlePath: SEARCH_BUNDLE_PATH });
  const indexer = new BackgroundIndexer();
  eleventyConfig.on("eleventy.after", ({ directories, runMode }) => {
    // A production build indexes its release itself, once every check has passed (lib/cli/build.ts).
    if (runMode !== "build") indexer.request(directories.output);
  });
}
