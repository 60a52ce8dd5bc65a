import type { CollectionItem, UserConfig } from "@11ty/eleventy";

interface NavigationEntry {
  key?: string;
  order?: number;
}

/**
 * The site navigation: every page whose front matter asks for a place in it
 * (`eleventyNavigation: { key: Archive, order: 1 }`, as with Eleventy's
 * navigation plugin), in order. Gathered once per build as a collection, not by
 * a filter over every page on every page.
 */
export function navigationPages(pages: readonly CollectionItem[]): CollectionItem[] {
  const entry = (page: CollectionItem) => page.data.eleventyNavigation as NavigationEntry | undefined;
  return pages
    .filter((page) => typeof entry(page)?.key === "string")
    .sort((a, b) => (entry(a)!.order ?? Infinity) - (entry(b)!.order ?? Infinity) || entry(a)!.key!.localeCompare(entry(b)!.key!));
}

export default function navigationPlugin(eleventyConfig: UserConfig): void {
  eleventyConfig.addCollection("navigation", (collections) => navigationPages(collections.getAll()));
}
