// The site's configuration: a table of contents. Each concern is one plugin in lib/.
// The commands run a compiled copy of this file, whose imports name the compiled
// plugins (lib/launch.js); tests load it as it is, under tsx.
//
// Eleventy does templates, layouts, collections and routing: every page is a
// template in pages/ (or the root) with its own front matter. The content model
// (lib/content/) reads posts/ and _data/ once per build, checks every rule
// across documents, renders each post, and hands its lists to templates as
// `blog` and as collections (posts, series, tags, postsByTag).
import assetsPlugin from "./lib/plugins/assets.ts";
import commentsPlugin from "./lib/plugins/comments.ts";
import contentModelPlugin, { Blog } from "./lib/plugins/content-model.ts";
import crawlersPlugin from "./lib/plugins/crawlers.ts";
import datesPlugin from "./lib/plugins/dates.ts";
import devOutputPlugin from "./lib/plugins/dev-output.ts";
import feedLedgerPlugin from "./lib/plugins/feed-ledger.ts";
import feedsPlugin from "./lib/plugins/feeds.ts";
import guardsPlugin from "./lib/plugins/guards.ts";
import inputIgnoresPlugin from "./lib/plugins/input-ignores.ts";
import imagesPlugin from "./lib/plugins/images.ts";
import linkCheckPlugin from "./lib/plugins/link-check.ts";
import navigationPlugin from "./lib/plugins/navigation.ts";
import searchPlugin from "./lib/plugins/search.ts";
import seoPlugin from "./lib/plugins/seo.ts";
import staticFilesPlugin from "./lib/plugins/static-files.ts";
import templateCachePlugin from "./lib/plugins/template-cache.ts";
import { devServerGuard } from "./lib/authoring/build-problems.ts";
import { pathPrefixFromEnvironment } from "./lib/content/site-urls.ts";

/** @param {import("@11ty/eleventy").UserConfig} eleventyConfig */
export default function registerSite(eleventyConfig) {
  // Eleventy's watcher cannot parse the TypeScript this file imports; `npm start`
  // restarts on lib/ edits instead (node --watch-path).
  eleventyConfig.setWatchJavaScriptDependencies(false);
  // Not pages: posts/ is the content model's input, the rest is not the site's.
  eleventyConfig.addPlugin(inputIgnoresPlugin, {
    patterns: ["posts/**", "README.md", "test/**", "lib/**", "node_modules/**", "_site/**", ".releases/**", "_dev-site/**", ".cache/**", ".build/**"],
  });

  // The content model: posts, series, tags and notes, validated once per build.
  const blog = new Blog();
  eleventyConfig.addPlugin(contentModelPlugin, { blog });

  // Templates compiled once, kept in .cache/ for the next build.
  eleventyConfig.addPlugin(templateCachePlugin);

  // Template helpers, and the navigation pages ask for in their front matter.
  eleventyConfig.addPlugin(guardsPlugin);
  eleventyConfig.addPlugin(navigationPlugin);
  eleventyConfig.addPlugin(datesPlugin);
  eleventyConfig.addPlugin(seoPlugin);
  eleventyConfig.addPlugin(commentsPlugin);

  // Outputs beyond the posts themselves.
  eleventyConfig.addPlugin(staticFilesPlugin);
  eleventyConfig.addPlugin(imagesPlugin, { blog });
  eleventyConfig.addPlugin(assetsPlugin);
  eleventyConfig.addPlugin(feedsPlugin);
  eleventyConfig.addPlugin(crawlersPlugin);

  // Checks over the finished site.
  eleventyConfig.addPlugin(linkCheckPlugin, { blog });

  // The dev server's search index (a production build indexes its release itself).
  eleventyConfig.addPlugin(searchPlugin);
  // The dev server's output keeps only what its latest build made.
  eleventyConfig.addPlugin(devOutputPlugin);

  // Records kept once a production build has passed.
  eleventyConfig.addPlugin(feedLedgerPlugin, { blog });

  // The guard answers hostile paths with a 400 (they crashed the dev server) and
  // shows a failed build's errors on every page served until the next good one.
  eleventyConfig.setServerOptions({ port: 8080, showAllHosts: false, middleware: [devServerGuard] });
  // Eleventy waits until a saved file has not changed for 150 ms before it
  // rebuilds; editors save in one write, so 30 ms keeps a save-to-page loop fast.
  eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 30, pollInterval: 10 } });
}

export const config = {
  // Pages (pages/, or anywhere outside the folders the site owns) are Nunjucks,
  // markdown or JavaScript templates. Posts' markdown is read by the content
  // model, never as a template, so `{{` in a post is text, not a template tag.
  templateFormats: ["njk", "md", "11ty.js"],
  htmlTemplateEngine: "njk",
  markdownTemplateEngine: "njk",
  dir: {
    // Eleventy reads no data files: its data folder is one that does not exist.
    // _data/ is the content model's input, validated once per build and read by
    // templates through `blog`. Loaded by Eleventy too, the series file and the
    // feed-id ledger, which grow with the blog, sat in every page's data and
    // Eleventy checked them again for each page: a cost of posts x posts.
    data: "_eleventy-data",
  },
  pathPrefix: pathPrefixFromEnvironment(),
};
