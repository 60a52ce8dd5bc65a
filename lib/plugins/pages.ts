import type { UserConfig } from "@11ty/eleventy";
import type { Post } from "../content/model.ts";
import { SEARCH_PAGE_PATH } from "../search/search-index.ts";

/**
 * The site's own pages. Their markup lives in `_includes/pages/`; this table
 * says where each is published and what it is called.
 */
interface PageDefinition {
  /** The page's markup in _includes/, which extends the base layout. */
  template: string;
  permalink: string | ((data: PageData) => string);
  title?: string | PerPage;
  description?: string | PerPage;
  pagination?: { data: string; size: number; alias: string };
}

/** A text that differs from page to page: a Nunjucks expression over the page's item. */
interface PerPage {
  expression: string;
}

const perPage = (expression: string): PerPage => ({ expression });

type PageData = Record<string, unknown> & {
  post?: Post;
  currentSeries?: { sitePath: string; allPath: string };
  currentTag?: { sitePath: string };
};

export const PAGES: Record<string, PageDefinition> = {
  /*
   * Each post: posts/<slug>.md at its sitePath. The content model has read,
   * checked and rendered every post file already, so Eleventy pages over the
   * model's published posts instead of reading each file again as a template of
   * its own; per-template work was the largest cost of a build at thousands of
   * posts. Drafts are in `blog.posts` only when the build publishes them.
   */
  post: {
    template: "layouts/post.njk",
    pagination: { data: "blog.posts", size: 1, alias: "post" },
    permalink: (data) => data.post!.sitePath,
    title: perPage("post.title"),
    description: perPage("post.description"),
  },
  home: { template: "pages/home.njk", permalink: "/", title: "Home" },
  archive: { template: "pages/archive.njk", permalink: "/archive/", title: "Archive", description: "Every post, newest first." },
  about: { template: "pages/about.njk", permalink: "/about/", title: "About", description: "About this blog and its author." },
  "not-found": { template: "pages/404.njk", permalink: "/404.html", title: "Page not found" },
  "series-index": { template: "pages/series-index.njk", permalink: "/series/", title: "Series", description: "Multi-part series, each best read in order." },
  series: {
    template: "pages/series.njk",
    pagination: { data: "blog.series", size: 1, alias: "currentSeries" },
    permalink: (data) => data.currentSeries!.sitePath,
    title: perPage("currentSeries.title"),
  },
  "series-all": {
    template: "pages/series-all.njk",
    pagination: { data: "blog.series", size: 1, alias: "currentSeries" },
    permalink: (data) => data.currentSeries!.allPath,
    title: perPage('currentSeries.title ~ ": the whole series"'),
  },
  "tag-index": { template: "pages/tag-index.njk", permalink: "/tags/", title: "Tags", description: "Posts by topic." },
  tag: {
    template: "pages/tag.njk",
    pagination: { data: "blog.tags", size: 1, alias: "currentTag" },
    permalink: (data) => data.currentTag!.sitePath,
    title: perPage('"Posts tagged “" ~ currentTag.name ~ "”"'),
  },
  notes: { template: "pages/notes.njk", permalink: "/notes/", title: "Notes", description: "Every footnote on the site, grouped by its tag, with the places that cite it." },
  search: { template: "pages/search.njk", permalink: SEARCH_PAGE_PATH, title: "Search", description: "Search every post by its words, tags and series." },
  feeds: { template: "pages/feeds.njk", permalink: "/feeds/", title: "Feeds", description: "Follow the blog in a feed reader: the addresses to copy." },
};

export default function pagesPlugin(eleventyConfig: UserConfig): void {
  // Each page is one Nunjucks render through template inheritance (`extends`),
  // not a chain of Eleventy layouts: every layout in a chain copies the page's
  // data again, which at thousands of pages was a large share of the build.
  for (const [name, { template, title, description, ...definition }] of Object.entries(PAGES)) {
    const data: Record<string, unknown> = { ...definition, eleventyExcludeFromCollections: true };
    // Fixed texts are page data. Texts that differ per page (a post's title) are
    // set by the page's own template, before the layouts it extends read them:
    // as Eleventy computed data they cost a dependency graph per page.
    let sets = "";
    for (const [key, value] of Object.entries({ title, description })) {
      if (typeof value === "string") data[key] = value;
      else if (value) sets += `{%- set ${key} = ${value.expression} -%}`;
    }
    eleventyConfig.addTemplate(`pages/${name}.njk`, `${sets}{% extends "${template}" %}`, data);
  }
}
