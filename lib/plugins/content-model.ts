import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import { loadContent, markdown, tagSlug, type ContentModel, type Post } from "../content/model.ts";
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
  #inputDir = ".";

  load(model: ContentModel, inputDir: string): void {
    this.#model = model;
    this.#inputDir = path.resolve(inputDir);
  }

  get model(): ContentModel {
    if (!this.#model) throw new Error("The content model is read before it was loaded; templates may only use `blog` while rendering.");
    return this.#model;
  }

  get site() { return this.model.site; }
  get posts() { return this.model.posts; }
  get series() { return this.model.series; }
  get tags() { return this.model.tags; }
  get notes() { return this.model.notes; }
  get years() { return this.model.years; }
  get lastUpdated() { return this.model.lastUpdated; }

  /** The post an Eleventy input path renders; throws for anything that is not a post. */
  postAt(inputPath: string): Post & { published: boolean } {
    const file = this.#fileOf(inputPath);
    const post = this.model.byFile.get(file);
    if (!post) throw new Error(`${file} is not a post known to the content model`);
    return post;
  }

  isPost(inputPath: string): boolean {
    return this.model.byFile.has(this.#fileOf(inputPath));
  }

  /** Eleventy's input path (`./posts/x.md`, or relative to another folder) as the model's `posts/x.md`. */
  #fileOf(inputPath: string): string {
    return path.relative(this.#inputDir, path.resolve(inputPath)).split(path.sep).join("/");
  }

  /** A post's permalink, or false for a draft in a production build. */
  permalinkFor(inputPath: string): string | false {
    const post = this.postAt(inputPath);
    return post.published ? post.sitePath : false;
  }

  href(sitePath: string): string {
    return this.model.site.urls.href(sitePath);
  }

  absolute(sitePath: string): string {
    return this.model.site.urls.absolute(sitePath);
  }
}

export default function contentModelPlugin(eleventyConfig: UserConfig, options: ContentModelOptions): void {
  const { blog } = options;
  eleventyConfig.addGlobalData("blog", () => blog);
  // Eleventy deep-copies plain-object data files into every page's data, and
  // _data/series.json grows with the blog: that copy made each build
  // O(posts x series). Frozen data is shared instead of copied. Templates read
  // series and site settings from `blog`; nothing may change them.
  eleventyConfig.addDataExtension("json", { parser: (contents) => deepFreeze(JSON.parse(contents)) });

  eleventyConfig.on("eleventy.before", async ({ directories, runMode }) => {
    const envDrafts = process.env.BLOG_DRAFTS;
    const includeDrafts = options.includeDrafts ?? (envDrafts !== undefined ? envDrafts === "1" : runMode !== "build");
    blog.load(await loadContent({ inputDir: directories.input, includeDrafts }), directories.input);
  });

  // An unpublished draft is left out before Eleventy renders it: with only
  // `permalink: false` its layout would still render, with no page URL.
  eleventyConfig.addPreprocessor("unpublished-posts", "md", (data) => (blog.isPost(data.page.inputPath) && !blog.postAt(data.page.inputPath).published ? false : undefined));

  // Posts' markdown was parsed and checked by the content model; Eleventy only
  // places the rendered body in its layout. Other markdown pages render here too,
  // with the same rules, so the site has one markdown dialect.
  eleventyConfig.addExtension("md", {
    compile(inputContent, inputPath) {
      return () => (blog.isPost(inputPath) ? blog.postAt(inputPath).render(PAGE) : markdown().render(inputContent, { ...PAGE, urls: blog.site.urls, sitePath: "/", footnoteProblems: [] }));
    },
  });

  eleventyConfig.addFilter("href", (sitePath: string) => blog.href(sitePath));
  eleventyConfig.addFilter("absoluteUrl", (sitePath: string) => blog.absolute(sitePath));
  eleventyConfig.addFilter("tagSlug", tagSlug);
  eleventyConfig.addFilter("renderPart", (post: Post) => post.render(partTarget(post.series?.part ?? 0)));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
