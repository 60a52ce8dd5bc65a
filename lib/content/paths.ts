/*
 * Where the site publishes what the model holds: each URL scheme written once.
 * Paths are site paths (`/tags/x/`), before any deployment prefix; SiteUrls
 * turns them into links.
 */

/** A post's page: `posts/<slug>.md` at `/<slug>/`, unless its front matter sets a permalink. */
export function postPath(slug: string, permalink: string | undefined): string {
  return permalink ?? `/${slug}/`;
}

/**
 * Jekyll's `Document#id`: the URL's directory joined with the slug, which
 * jekyll-feed published as each entry's <id>. For `/:title/` permalinks that is
 * `/slug` without the trailing slash. Keeping the rule keeps every old id.
 */
export function jekyllPostId(sitePath: string, slug: string): string {
  const trimmed = sitePath.replace(/\/+$/, "");
  const directory = trimmed.slice(0, trimmed.lastIndexOf("/"));
  return `${directory}/${slug}`;
}

export function tagSlug(tag: string): string {
  return tag.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "tag";
}

/** A tag's page, from the tag as the author wrote it. */
export function tagPath(tag: string): string {
  return `/tags/${tagSlug(tag)}/`;
}

/** A series' own pages and feed. */
export function seriesPaths(slug: string): { sitePath: string; allPath: string; feedPath: string } {
  return { sitePath: `/series/${slug}/`, allPath: `/series/${slug}/all/`, feedPath: `/series/${slug}/rss.xml` };
}

/** The site-wide feeds. */
export const FEED_PATHS = { atom: "/feed.xml", rss: "/rss.xml", json: "/feed.json" } as const;

/** Site paths the generator's own pages and files take; a post's permalink may not. */
export const RESERVED_PATHS = ["/archive/", "/about/", "/series/", "/tags/", "/notes/", "/feeds/", "/assets/"];
