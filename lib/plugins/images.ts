import type { UserConfig } from "@11ty/eleventy";
import type { Blog } from "./content-model.ts";

/**
 * Publishes the images posts show: after rendering, each image's variants are
 * encoded where the cache lacks them (see lib/content/images.ts) and copied
 * into the output. A rebuild after a text edit finds them all cached.
 */
export default function imagesPlugin(eleventyConfig: UserConfig, options: { blog: Blog }): void {
  eleventyConfig.on("eleventy.after", async ({ directories }) => {
    await options.blog.model.images.publish(directories.output);
  });
}
