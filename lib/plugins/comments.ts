import type { UserConfig } from "@11ty/eleventy";
import { sanitizeCommentHtml } from "../content/sanitize.ts";

/**
 * The old blog's readers' comments, shown under their post as a read-only
 * archive (_includes/partials/comments-archive.njk). Their text was written by
 * strangers, so it is sanitized every time it is shown.
 */
export default function commentsPlugin(eleventyConfig: UserConfig): void {
  eleventyConfig.addFilter("commentHtml", (html: string) => sanitizeCommentHtml(html));
}
