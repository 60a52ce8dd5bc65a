import type { UserConfig } from "@11ty/eleventy";

/**
 * The site's own pages. Their markup lives in `_includes/pages/`; this table
 * says where each is published and what it is called.
 */
interface PageDefinition {
  layout: string;
  permalink: string | ((data: PageData) => string);
  title?: string | ((data: PageData) => string);
  description?: string;
  pagination?: { data: string; size: number; alias: string };
}

type PageData = Record<string, unknown> & { currentSeries?: { sitePath: string; allPath: string; title: string }; currentTag?: { sitePath: string; name: string } };

export const PAGES: Record<string, PageDefinition> = {
  home: { layout: "pages/home.njk", permalink: "/", title: "Home" },
  archive: { layout: "pages/archive.njk", permalink: "/archive/", title: "Archive", description: "Every post, newest first." },
  about: { layout: "pages/about.njk", permalink: "/about/", title: "About", description: "About this blog and its author." },
  "not-found": { layout: "pages/404.njk", permalink: "/404.html", title: "Page not found" },
  "series-index": { layout: "pages/series-index.njk", permalink: "/series/", title: "Series", description: "Multi-part series, each best read in order." },
  series: {
    layout: "pages/series.njk",
    pagination: { data: "blog.series", size: 1, alias: "currentSeries" },
    permalink: (data) => data.currentSeries!.sitePath,
    title: (data) => data.currentSeries!.title,
  },
  "series-all": {
    layout: "pages/series-all.njk",
    pagination: { data: "blog.series", size: 1, alias: "currentSeries" },
    permalink: (data) => data.currentSeries!.allPath,
    title: (data) => `${data.currentSeries!.title}: the whole series`,
  },
  "tag-index": { layout: "pages/tag-index.njk", permalink: "/tags/", title: "Tags", description: "Posts by topic." },
  tag: {
    layout: "pages/tag.njk",
    pagination: { data: "blog.tags", size: 1, alias: "currentTag" },
    permalink: (data) => data.currentTag!.sitePath,
    title: (data) => `Posts tagged “${data.currentTag!.name}”`,
  },
  notes: { layout: "pages/notes.njk", permalink: "/notes/", title: "Notes", description: "Every footnote on the site, grouped by its tag, with the places that cite it." },
  feeds: { layout: "pages/feeds.njk", permalink: "/feeds/", title: "Feeds", description: "Follow the blog in a feed reader: the addresses to copy." },
};

export default function pagesPlugin(eleventyConfig: UserConfig): void {
  for (const [name, { title, ...definition }] of Object.entries(PAGES)) {
    eleventyConfig.addTemplate(`pages/${name}.njk`, "", {
      ...definition,
      eleventyExcludeFromCollections: true,
      ...(typeof title === "function" ? { eleventyComputed: { title } } : { title }),
    });
  }
}
