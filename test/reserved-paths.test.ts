import { describe, expect, it, inject } from "vitest";
import { ContentError } from "../lib/content/issues.ts";
import { loadContent } from "../lib/content/model.ts";
import { isGeneratorPath, outputFile, PAGE_PATHS } from "../lib/content/paths.ts";
import { pagePermalinks } from "../lib/content/site-pages.ts";
import { makeFixtureSite, post } from "./helpers/site.ts";

/*
 * A post may not take a path the site's own pages and files use: the content
 * model refuses any permalink under GENERATOR_FOLDERS or at GENERATOR_FILES,
 * which lib/content/paths.ts makes from PAGE_PATHS, the table the site's pages
 * read their permalinks from, nor a path a page in pages/ sets as its own.
 * This checks what the model keeps against what a build of every page in
 * pages/ really writes, so a page at a path the model does not know fails here.
 */
describe("the paths the content model reserves", () => {
  it("cover every file the site writes that is not a post", async () => {
    const { input, paths } = inject("blogSite");
    const model = await loadContent({ inputDir: input, includeDrafts: false });
    const postPaths = new Set(model.posts.map((post) => post.sitePath));
    expect(postPaths.size).toBeGreaterThan(0);
    const pageFiles = new Set([...pagePermalinks(input).keys()].map(outputFile));
    const files = paths.filter((sitePath) => !postPaths.has(sitePath)).map(outputFile);
    expect(files).toContain(outputFile(PAGE_PATHS.about));
    const unreserved = files.filter((file) => !isGeneratorPath(file) && !pageFiles.has(file));
    expect(unreserved, "pages a post could overwrite: give each a fixed permalink, or its path in PAGE_PATHS (lib/content/paths.ts)").toEqual([]);
  });

  it("include the path a page the author adds sets as its permalink", async () => {
    const page = "---\nlayout: layouts/base.njk\ntitle: Talks\npermalink: /talks/\n---\n# Talks\n";
    const input = await makeFixtureSite({
      files: { "pages/talks.md": page, "colophon.njk": page.replace("/talks/", "/colophon.html") },
      posts: {
        "talks.md": post({ title: "Talks", date: new Date("2020-01-01") }),
        "other.md": post({ title: "Other", date: new Date("2020-01-02"), permalink: "/colophon.html" }),
      },
    });
    expect(pagePermalinks(input)).toEqual(
      new Map([...pagePermalinks(inject("blogSite").input), ["/talks/", "pages/talks.md"], ["/colophon.html", "colophon.njk"]]),
    );
    const error = await loadContent({ inputDir: input, includeDrafts: false }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ContentError);
    const collisions = (error as ContentError).issues.map((issue) => [issue.file, issue.expected.match(/collides with (.*?);/)?.[1]]);
    expect(collisions).toEqual([
      ["posts/other.md", "/colophon.html, the page colophon.njk"],
      ["posts/talks.md", "/talks/index.html, the page pages/talks.md"],
    ]);
  });
});
