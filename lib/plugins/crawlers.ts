import type { CollectionItem, UserConfig } from "@11ty/eleventy";
import { XmlElement, xmlDocument } from "../content/xml.ts";
import type { Blog } from "./content-model.ts";
import { isoDate } from "./dates.ts";
import { ASSETS_PATH, CRAWLER_PATHS } from "../content/paths.ts";
import { SEARCH_PAGE_PATH } from "../search/search-index.ts";

/** sitemap.xml, robots.txt and the _headers file hosts read: what machines need to know. */
const policy = (scriptSources: string) =>
  `default-src 'self'; script-src ${scriptSources}; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'`;
/** The policy every page carries in a <meta> tag: nothing inline, nothing from other hosts. */
export const CONTENT_SECURITY_POLICY = policy("'self'");
/** The search page's: Pagefind runs WebAssembly, which a policy allows only with 'wasm-unsafe-eval'. */
export const SEARCH_CONTENT_SECURITY_POLICY = policy("'self' 'wasm-unsafe-eval'");
/** Headers can say more than <meta> can: frame-ancestors is ignored in a meta policy. */
const asHeader = (pagePolicy: string) => `${pagePolicy}; frame-ancestors 'none'`;
export const HEADER_CONTENT_SECURITY_POLICY = asHeader(CONTENT_SECURITY_POLICY);

export function contentSecurityPolicy(sitePath: string): string {
  return sitePath === SEARCH_PAGE_PATH ? SEARCH_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
}

/**
 * Every HTML page a reader may land on: the site's pages (every page template
 * in collections.all, but the 404 page and any page with `sitemap: false`) and
 * the model's published posts.
 */
export function sitemapPaths(blog: Blog, pages: readonly CollectionItem[]): string[] {
  // Sorted: collections.all is in date order, and a page without a date is dated by its file.
  const listed = pages
    .flatMap(({ url, data }) => (typeof url === "string" && url.endsWith("/") && data.sitemap !== false && data.noindex !== true ? [url] : []))
    .sort();
  return [...new Set([...listed, ...blog.posts.filter((post) => !post.draft && !post.scheduled).map((post) => post.sitePath)])];
}

export function sitemap(blog: Blog, pageUrls: readonly string[]): string {
  const urlset = new XmlElement("urlset", { xmlns: "http://www.sitemaps.org/schemas/sitemap/0.9" });
  const postDates = new Map(blog.posts.map((post) => [post.sitePath, post.updated ?? post.date]));
  for (const sitePath of pageUrls) {
    const entry = urlset.element("url");
    entry.element("loc").text(blog.absolute(sitePath));
    const lastmod = postDates.get(sitePath) ?? blog.lastUpdated;
    if (lastmod) entry.element("lastmod").text(isoDate(lastmod));
  }
  return xmlDocument(urlset);
}

export default function crawlersPlugin(eleventyConfig: UserConfig): void {
  eleventyConfig.addFilter("contentSecurityPolicy", contentSecurityPolicy);
  eleventyConfig.addTemplate(
    "crawlers/sitemap.11ty.js",
    {
      render: (data: { blog: Blog; collections: { all: CollectionItem[] } }) => sitemap(data.blog, sitemapPaths(data.blog, data.collections.all)),
    },
    { permalink: CRAWLER_PATHS.sitemap, eleventyExcludeFromCollections: true },
  );

  eleventyConfig.addTemplate(
    "crawlers/robots.11ty.js",
    {
      render: (data: { blog: Blog }) => `User-agent: *\nAllow: /\n\nSitemap: ${data.blog.absolute(CRAWLER_PATHS.sitemap)}\n`,
    },
    { permalink: CRAWLER_PATHS.robots, eleventyExcludeFromCollections: true },
  );

  eleventyConfig.addTemplate(
    "crawlers/headers.11ty.js",
    {
      render: (data: { blog: Blog }) =>
        [
          `${data.blog.href("/*")}`,
          `  Content-Security-Policy: ${HEADER_CONTENT_SECURITY_POLICY}`,
          "  X-Content-Type-Options: nosniff",
          "  Referrer-Policy: strict-origin-when-cross-origin",
          // Hosts give a path every matching rule's headers, and two policies both
          // apply; so the search page's rule first detaches the general policy
          // ("! name", Cloudflare's syntax), then sets its own.
          data.blog.href(SEARCH_PAGE_PATH),
          "  ! Content-Security-Policy",
          `  Content-Security-Policy: ${asHeader(SEARCH_CONTENT_SECURITY_POLICY)}`,
          data.blog.href(`${ASSETS_PATH}*`),
          "  Cache-Control: public, max-age=31536000, immutable",
          "",
        ].join("\n"),
    },
    { permalink: CRAWLER_PATHS.headers, eleventyExcludeFromCollections: true },
  );
}
