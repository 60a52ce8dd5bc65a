import type { UserConfig } from "@11ty/eleventy";
import { recordBuildProblems, startBuild } from "../authoring/build-problems.ts";
import { rfc3339, setDisplayZone } from "./dates.ts";
import { referenceId } from "../content/footnotes.ts";
import { loadContent, POSTS_DIR, type ContentModel, type LoadOptions, type Post } from "../content/model.ts";
import { PAGE_PATHS, tagPath, tagSlug } from "../content/paths.ts";
import { PAGE, partTarget } from "../content/post-source.ts";

export interface ContentModelOptions {
  /** The model's holder, shared with the plugins that read it after rendering. */
  blog: Blog;
  /** Publish drafts (marked as such). Defaults to on in the dev server, off in builds; BLOG_DRAFTS=1 or 0 overrides. */
  includeDrafts?: boolean;
}

/**
 * The one content model of a build, as every template sees it (`blog`). It is
 * loaded and validated before Eleventy renders anything, so a content error
 * stops the build with nothing written.
 */
export class Blog {
  #model: ContentModel | undefined;
  /** What the latest build loaded the model from (its input, drafts or not), to load it again as the content is now. */
  #loaded: Omit<LoadOptions, "now"> | undefined;
  /** The model `reload` made for the rebuild about to start. */
  #ahead: ContentModel | undefined;
  /**
   * The checks over the finished site (the link check), settled once they
   * have run. Eleventy runs its after-build handlers side by side, so what
   * must follow them (recording feed ids) waits on this, not on their order.
   */
  siteChecks: Promise<void> = Promise.resolve();

  load(model: ContentModel): void {
    this.#model = model;
  }

  /**
   * Loads the model for a build, from the content as it is now; or takes the
   * one the dev server loaded just before this rebuild (`reload`), which is that.
   */
  async loadAs(options: Omit<LoadOptions, "now">): Promise<ContentModel> {
    const ahead = this.#ahead;
    this.#ahead = undefined;
    if (ahead && JSON.stringify(options) === JSON.stringify(this.#loaded)) return ahead;
    this.#loaded = options;
    const model = await loadContent({ ...options, now: buildClock() });
    setDisplayZone(model.site.timeZone ?? "UTC");
    this.load(model);
    return model;
  }

  /**
   * The model again, as the latest build loaded it, from the content as it is
   * now: the dev server renders an edited post's page with it before the
   * rebuild, which then takes it rather than load it again. Throws what the
   * content's errors are (the rebuild loads again, and reports them).
   */
  async reload(): Promise<ContentModel> {
    if (!this.#loaded) throw new Error("The content model is reloaded before a build loaded it.");
    this.#ahead = undefined;
    const model = await this.loadAs(this.#loaded);
    this.#ahead = model;
    return model;
  }

  get model(): ContentModel {
    if (!this.#model) throw new Error("The content model is read before it was loaded; templates may only use `blog` while rendering.");
    return this.#model;
  }

  get site() {
    return this.model.site;
  }
  get posts() {
    return this.model.posts;
  }
  get series() {
    return this.model.series;
  }
  get tags() {
    return this.model.tags;
  }
  /** Every page of every tag, for the tag pages' pagination. */
  get tagPages() {
    return this.model.tags.flatMap((tag) => tag.pages);
  }
  get notes() {
    return this.model.notes;
  }
  get years() {
    return this.model.years;
  }
  get lastUpdated() {
    return this.model.lastUpdated;
  }

  /** The post file published at a page URL, if the page is a post. */
  postFileAt(url: string): string | undefined {
    return this.model.bySitePath.get(url)?.file;
  }

  /** The post files whose text a page shows: a post's page shows its own, a one-page series every published part. */
  postFilesShownAt(url: string): string[] {
    const post = this.model.bySitePath.get(url);
    if (post) return [post.file];
    return this.model.series.find((series) => series.allPath === url)?.posts.map((part) => part.file) ?? [];
  }

  href(sitePath: string): string {
    return this.model.site.urls.href(sitePath);
  }

  absolute(sitePath: string): string {
    return this.model.site.urls.absolute(sitePath);
  }
}

/**
 * The build's clock: now, or BLOG_NOW (an ISO time) to build as of another
 * moment. The same content and the same clock give the same site.
 */
function buildClock(): Date {
  const fixed = process.env.BLOG_NOW;
  if (fixed === undefined || fixed === "") return new Date();
  const date = new Date(fixed);
  if (Number.isNaN(date.getTime()))
    throw new Error(`BLOG_NOW: found ${JSON.stringify(fixed.slice(0, 40))}; expected an ISO time like 2030-01-01T00:00:00Z, or unset it`);
  return date;
}

/** What a build held back: how many posts are scheduled, and when the next is due; undefined for none. */
export function scheduledMessage(scheduled: readonly Post[]): string | undefined {
  const [next] = scheduled;
  if (!next) return undefined;
  return `Scheduled: ${scheduled.length} post${scheduled.length === 1 ? "" : "s"} dated after this build, not published yet; the next, ${next.file}, is due ${rfc3339(next.date)}. Build again then (the Pages workflow builds daily).`;
}

function reportScheduled(scheduled: readonly Post[]): void {
  const message = scheduledMessage(scheduled);
  if (message) console.log(message);
}

export default function contentModelPlugin(eleventyConfig: UserConfig, options: ContentModelOptions): void {
  const { blog } = options;
  eleventyConfig.addGlobalData("blog", () => blog);
  // Where the site's own pages are: their permalinks and the links to them (`paths.archive`).
  eleventyConfig.addGlobalData("paths", PAGE_PATHS);
  // The files in _data/ are the model's input, read and validated by it once
  // per build; templates read them through `blog`, and Eleventy reads no data
  // files (see `dir.data` in .eleventy.js). Watched, they rebuild the dev server.
  eleventyConfig.addWatchTarget("./_data/");

  eleventyConfig.on("eleventy.before", async ({ directories, runMode }) => {
    const envDrafts = process.env.BLOG_DRAFTS;
    const includeDrafts = options.includeDrafts ?? (envDrafts !== undefined ? envDrafts === "1" : runMode !== "build");
    startBuild();
    try {
      const model = await blog.loadAs({ inputDir: directories.input, includeDrafts, oneOffBuild: runMode === "build" });
      if (!includeDrafts) reportScheduled(model.scheduled);
    } catch (error) {
      recordBuildProblems(error);
      throw error;
    }
  });

  // Post files are the model's input, not Eleventy templates (.eleventy.js
  // ignores posts/ as templates): pages/post.njk publishes each post from the
  // model. Watching them makes the dev server rebuild on a save.
  eleventyConfig.addWatchTarget(`./${POSTS_DIR}/**/*.md`);
  eleventyConfig.addWatchTarget(`./${POSTS_DIR}/**/*.html`);

  // The model's lists as Eleventy collections, for pages and pagination:
  // collections.posts (published, newest first), collections.series,
  // collections.tags (each with its posts) and collections.postsByTag[slug].
  eleventyConfig.addCollection("posts", () => blog.posts);
  eleventyConfig.addCollection("series", () => blog.series);
  eleventyConfig.addCollection("tags", () => blog.tags);
  eleventyConfig.addCollection("postsByTag", () => Object.fromEntries(blog.tags.map((tag) => [tag.slug, tag.posts])));

  eleventyConfig.addFilter("renderPost", (post: Post) => post.render(PAGE));
  eleventyConfig.addFilter("href", (sitePath: string) => blog.href(sitePath));
  eleventyConfig.addFilter("absoluteUrl", (sitePath: string) => blog.absolute(sitePath));
  eleventyConfig.addFilter("tagPath", tagPath);
  eleventyConfig.addFilter("tagSlug", tagSlug);
  // `{{ tag | footnoteReferenceId(2) }}`: the id of a note's second reference, as footnotes.ts gives it.
  eleventyConfig.addFilter("footnoteReferenceId", (tag: string, use: number) => referenceId(tag, use - 1));
  eleventyConfig.addFilter("renderPart", (post: Post) => post.render(partTarget(post.seriesPart?.part ?? 0)));
}
