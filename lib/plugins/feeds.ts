import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { UserConfig } from "@11ty/eleventy";
import { newestDate } from "../content/indexes.ts";
import type { ContentModel, Post, Series } from "../content/model.ts";
import { FEED_PATHS } from "../content/paths.ts";
import { cacheEnabled } from "../content/post-cache.ts";
import { FEED } from "../content/post-source.ts";
import { sanitizePostHtml } from "../content/sanitize.ts";
import { stripControlCharacters, XmlElement, xmlDocument } from "../content/xml.ts";
import { keep, keptFolder, readKept, type KeptFolder } from "../tools/kept-files.ts";
import type { Blog } from "./content-model.ts";
import { rfc3339, rfc822 } from "./dates.ts";

/*
 * Feeds are built as XML trees (see xml.ts), never by string templates, so
 * every title and summary is escaped and characters XML 1.0 forbids are dropped.
 * Their timestamps come from the posts, never the clock: two builds of the same
 * content give the same bytes. Item HTML is made readable away from the site:
 * series context first, every URL absolute, and raw HTML through the post
 * allowlist (see sanitize.ts).
 */

const ATOM_NS = "http://www.w3.org/2005/Atom";
const CONTENT_NS = "http://purl.org/rss/1.0/modules/content/";

/** The posts of the site-wide feeds, newest first. */
export function latestPosts(model: ContentModel): Post[] {
  return model.posts.slice(0, model.site.feedPostCount);
}

/*
 * A post's item HTML is the same in every feed it appears in. A post in the
 * site feeds appears in four (Atom, RSS, JSON Feed and its series feed), so its
 * item HTML is made once per build. Any other post is in one feed at most:
 * keeping its item HTML to the end of the build would only hold memory.
 */
const sharedItemHtml = new WeakMap<Post, string>();
const siteFeedPosts = new WeakMap<ContentModel, ReadonlySet<Post>>();

export function feedContent(post: Post, model: ContentModel): string {
  let inSiteFeeds = siteFeedPosts.get(model);
  if (inSiteFeeds === undefined) siteFeedPosts.set(model, (inSiteFeeds = new Set(latestPosts(model))));
  if (!inSiteFeeds.has(post)) return renderFeedContent(post, model);
  let html = sharedItemHtml.get(post);
  if (html === undefined) sharedItemHtml.set(post, (html = renderFeedContent(post, model)));
  return html;
}

function renderFeedContent(post: Post, model: ContentModel): string {
  const { urls } = model.site;
  const context = post.seriesPart
    ? `<p><em>Part ${post.seriesPart.part} of ${post.seriesPart.series.total} in <a href="${urls.absolute(post.seriesPart.series.sitePath)}">${escapeHtml(post.seriesPart.series.title)}</a>.</em></p>\n`
    : "";
  const html = stripControlCharacters(context + post.render(FEED));
  // Markdown is rendered for feeds with absolute URLs and cannot make a script;
  // only the author's raw HTML needs this pass (a parse of the whole item).
  if (!post.hasRawHtml) return html;
  const postUrl = urls.absolute(post.sitePath);
  const file = feedItemCache?.file([sanitizerVersion(), urls.deploymentUrl, urls.canonicalUrl, postUrl, html], ".html");
  const kept = file && readKept(file);
  if (kept !== undefined) return kept;
  const sanitized = sanitizePostHtml(html, { postUrl, siteUrl: (sitePath) => urls.absolute(sitePath) });
  if (file) keep(file, sanitized);
  return sanitized;
}

/*
 * A post with raw HTML has its feed item sanitized on every build, and the
 * sanitizer's packages (sanitize-html, htmlparser2, PostCSS) took about 0.1 s
 * of a 3-post build's CPU to load. The result depends only on the item's HTML,
 * the post's and site's addresses, the sanitizer's rules and its version, so
 * it is kept in .cache/ under a digest of them: a warm build never loads them.
 */
export const FEED_ITEM_CACHE_DIR = ".cache/feed-items";
/** Where sanitized items are kept for this build; undefined for a cold build (BLOG_CACHE=0). */
let feedItemCache: KeptFolder | undefined;
let sanitizer: string | undefined;

/** The sanitizer's rules (lib/content/sanitize) and sanitize-html's version, as one digest input. */
function sanitizerVersion(): string {
  if (sanitizer !== undefined) return sanitizer;
  const here = fileURLToPath(import.meta.url);
  const rules = readFileSync(path.join(path.dirname(here), "../content", `sanitize${path.extname(here)}`), "utf8");
  const { version } = createRequire(import.meta.url)("sanitize-html/package.json") as { version: string };
  sanitizer = `sanitized feed item 1; sanitize-html ${version}; ${rules}`;
  return sanitizer;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Atom requires a feed-level <updated>. With no posts there is no content time
 * to give, and the build time would make every build differ, so an empty feed
 * says the Unix epoch: a fixed "never updated" that any real post supersedes.
 */
export const EMPTY_FEED_UPDATED = new Date(0);

function categories(post: Post): string[] {
  return post.seriesPart ? [...post.tags, post.seriesPart.series.title] : [...post.tags];
}

export function atomFeed(model: ContentModel, posts: readonly Post[], selfPath: string): string {
  const { site } = model;
  const feed = new XmlElement("feed", { xmlns: ATOM_NS, "xml:lang": site.language });
  feed.element("title").text(site.title);
  feed.element("subtitle").text(site.tagline);
  feed.element("link", { href: site.urls.absolute(selfPath), rel: "self", type: "application/atom+xml" });
  feed.element("link", { href: site.urls.home, rel: "alternate", type: "text/html" });
  // jekyll-feed's feed id was the feed's own URL; keeping it keeps the feed's identity.
  feed.element("id").text(site.urls.absolute(selfPath));
  feed.element("updated").text(rfc3339(newestDate(posts) ?? EMPTY_FEED_UPDATED));
  feed.element("author").element("name").text(site.author.name);
  for (const post of posts) {
    const entry = feed.element("entry");
    entry.element("title").text(post.title);
    entry.element("link", { href: site.urls.absolute(post.sitePath), rel: "alternate", type: "text/html" });
    entry.element("id").text(post.feedId);
    entry.element("published").text(rfc3339(post.date));
    entry.element("updated").text(rfc3339(post.updated ?? post.date));
    entry.element("author").element("name").text(site.author.name);
    for (const term of categories(post)) entry.element("category", { term });
    entry.element("summary").text(post.description);
    entry.element("content", { type: "html", "xml:base": site.urls.absolute(post.sitePath) }).text(feedContent(post, model));
  }
  return xmlDocument(feed);
}

export function rssFeed(
  model: ContentModel,
  posts: readonly Post[],
  selfPath: string,
  channel: { title: string; description: string; sitePath: string },
): string {
  const { site } = model;
  const root = new XmlElement("rss", { version: "2.0", "xmlns:atom": ATOM_NS, "xmlns:content": CONTENT_NS });
  const rss = root.element("channel");
  rss.element("title").text(channel.title);
  rss.element("link").text(site.urls.absolute(channel.sitePath));
  rss.element("description").text(channel.description);
  rss.element("language").text(site.language);
  // lastBuildDate is optional in RSS: an empty feed leaves it out rather than invent a time.
  const newest = newestDate(posts);
  if (newest) rss.element("lastBuildDate").text(rfc822(newest));
  rss.element("atom:link", { href: site.urls.absolute(selfPath), rel: "self", type: "application/rss+xml" });
  for (const post of posts) {
    const item = rss.element("item");
    item.element("title").text(post.title);
    item.element("link").text(site.urls.absolute(post.sitePath));
    item.element("guid", { isPermaLink: "false" }).text(post.feedId);
    item.element("pubDate").text(rfc822(post.date));
    item.element("description").text(post.description);
    for (const term of categories(post)) item.element("category").text(term);
    item.element("content:encoded").text(feedContent(post, model));
  }
  return xmlDocument(root);
}

export function jsonFeed(model: ContentModel, posts: readonly Post[], selfPath: string): string {
  const { site } = model;
  const author = { name: site.author.name, ...(site.author.url ? { url: site.author.url } : {}) };
  const feed = {
    version: "https://jsonfeed.org/version/1.1",
    title: site.title,
    home_page_url: site.urls.home,
    feed_url: site.urls.absolute(selfPath),
    description: site.description,
    language: site.language,
    authors: [author],
    items: posts.map((post) => ({
      id: post.feedId,
      url: site.urls.absolute(post.sitePath),
      title: stripControlCharacters(post.title),
      summary: stripControlCharacters(post.description),
      content_html: feedContent(post, model),
      date_published: rfc3339(post.date),
      date_modified: rfc3339(post.updated ?? post.date),
      tags: categories(post).map(stripControlCharacters),
      authors: [author],
    })),
  };
  return JSON.stringify(feed, null, 2) + "\n";
}

function seriesFeed(model: ContentModel, series: Series): string {
  return rssFeed(model, [...series.posts].reverse(), series.feedPath, {
    title: `${series.title} · ${model.site.title}`,
    description: series.description,
    sitePath: series.sitePath,
  });
}

export default function feedsPlugin(eleventyConfig: UserConfig): void {
  eleventyConfig.on("eleventy.before", ({ directories }) => {
    feedItemCache = cacheEnabled() ? keptFolder(path.join(directories.input, FEED_ITEM_CACHE_DIR)) : undefined;
  });
  eleventyConfig.on("eleventy.after", () => feedItemCache?.prune());
  // The addresses pages link to (`feedPaths.atom`), from the one list the feeds are published at.
  eleventyConfig.addGlobalData("feedPaths", FEED_PATHS);
  const feeds: Record<string, { permalink: string; render: (blog: Blog) => string }> = {
    atom: { permalink: FEED_PATHS.atom, render: (blog) => atomFeed(blog.model, latestPosts(blog.model), FEED_PATHS.atom) },
    rss: {
      permalink: FEED_PATHS.rss,
      render: (blog) =>
        rssFeed(blog.model, latestPosts(blog.model), FEED_PATHS.rss, { title: blog.site.title, description: blog.site.description, sitePath: "/" }),
    },
    json: { permalink: FEED_PATHS.json, render: (blog) => jsonFeed(blog.model, latestPosts(blog.model), FEED_PATHS.json) },
  };
  for (const [name, feed] of Object.entries(feeds)) {
    eleventyConfig.addTemplate(
      `feeds/${name}.11ty.js`,
      { render: (data: { blog: Blog }) => feed.render(data.blog) },
      {
        permalink: feed.permalink,
        eleventyExcludeFromCollections: true,
      },
    );
  }
  eleventyConfig.addTemplate(
    "feeds/series.11ty.js",
    { render: (data: { blog: Blog; currentSeries: Series }) => seriesFeed(data.blog.model, data.currentSeries) },
    {
      pagination: { data: "blog.series", size: 1, alias: "currentSeries" },
      permalink: (data: { currentSeries: Series }) => data.currentSeries.feedPath,
      eleventyExcludeFromCollections: true,
    },
  );
}
