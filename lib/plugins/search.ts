import type { UserConfig } from "@11ty/eleventy";
import { SEARCH_BUNDLE_PATH, writeSearchIndex } from "../search/search-index.ts";

/**
 * Pagefind indexing the whole dev site took a core for a second or more at 300
 * posts: run while the author is still saving, it slowed the next save's page.
 * It waits until no rebuild has finished for this long.
 */
const QUIET_MS = 1000;

/**
 * Re-indexes the dev server's site after each rebuild, in the background: the
 * browser reloads as soon as the pages are written, and the search catches up
 * once the author pauses (QUIET_MS). Rebuilds that land while it runs are
 * folded into one more run.
 */
class BackgroundIndexer {
  #running = false;
  #again = false;
  #waiting: NodeJS.Timeout | undefined;

  request(siteDir: string): void {
    clearTimeout(this.#waiting);
    this.#waiting = setTimeout(() => this.#start(siteDir), QUIET_MS);
    // Not a reason to keep the process alive on its own.
    this.#waiting.unref();
  }

  #start(siteDir: string): void {
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
