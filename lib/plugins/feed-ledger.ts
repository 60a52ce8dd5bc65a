import type { UserConfig } from "@11ty/eleventy";
import { recordLedger } from "../content/feed-ledger.ts";
import type { Blog } from "./content-model.ts";

/**
 * After a production build has passed every check, records the feed ids of
 * newly published posts, so a later rename that would change one fails the
 * build. It waits for the link check: a failed build records nothing.
 */
export default function feedLedgerPlugin(eleventyConfig: UserConfig, options: { blog: Blog }): void {
  eleventyConfig.on("eleventy.after", async ({ directories, runMode }) => {
    if (runMode !== "build") return; // The dev server publishes nothing.
    // A failed check rejects here too, and is reported by the link check's own handler.
    if (
      !(await options.blog.siteChecks.then(
        () => true,
        () => false,
      ))
    )
      return;
    const { model } = options.blog;
    const added = await recordLedger(directories.input, model.feedLedger, model.posts);
    if (added.length > 0) console.log(`Recorded the feed ids of ${added.length} newly published post(s) in _data/feed-ids.json; commit it with the posts.`);
  });
}
