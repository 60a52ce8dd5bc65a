import type { UserConfig } from "@11ty/eleventy";
import type { Post } from "../content/model.ts";
import type { Blog } from "./content-model.ts";
import { rfc3339 } from "./dates.ts";

/** JSON for a `<script type="application/ld+json">` block: `<` is escaped so no text can close the element. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** schema.org BlogPosting; a series part is `isPartOf` its CreativeWorkSeries at its `position`. */
export function postStructuredData(post: Post, blog: Blog): Record<string, unknown> {
  const { site } = blog;
  return {
    "@context": "https://schema.org",
    "@type": "BlogPosting",
    headline: post.title,
    description: post.description,
    url: blog.absolute(post.sitePath),
    mainEntityOfPage: blog.absolute(post.sitePath),
    datePublished: rfc3339(post.date),
    dateModified: rfc3339(post.updated ?? post.date),
    wordCount: post.words,
    keywords: post.tags,
    inLanguage: site.language,
    author: { "@type": "Person", name: site.author.name, ...(site.author.url ? { url: site.author.url } : {}) },
    ...(post.seriesPart
      ? {
          isPartOf: { "@type": "CreativeWorkSeries", name: post.seriesPart.series.title, url: blog.absolute(post.seriesPart.series.sitePath) },
          position: post.seriesPart.part,
        }
      : {}),
  };
}

export default function seoPlugin(eleventyConfig: UserConfig): void {
  eleventyConfig.addFilter("postStructuredData", (post: Post, blog: Blog) => scriptSafeJson(postStructuredData(post, blog)));
}
