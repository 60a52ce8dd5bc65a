import { describe, expect, it, inject } from "vitest";
import { loadContent } from "../lib/content/model.ts";
import { GENERATOR_FILES, GENERATOR_FOLDERS } from "../lib/content/paths.ts";

/*
 * A post may not take a path the site's own pages and files use: the content
 * model refuses any permalink under GENERATOR_FOLDERS or at GENERATOR_FILES.
 * Pages set their own permalinks in their front matter, so this checks the
 * two lists against what a build of every page in pages/ really writes.
 */
describe("the paths the content model reserves", () => {
  it("cover every file the site writes that is not a post", async () => {
    const { input, paths } = inject("blogSite");
    const model = await loadContent({ inputDir: input, includeDrafts: false });
    const postPaths = new Set(model.posts.map((post) => post.sitePath));
    expect(postPaths.size).toBeGreaterThan(0);
    const files = paths.filter((sitePath) => !postPaths.has(sitePath)).map((sitePath) => (sitePath.endsWith("/") ? `${sitePath}index.html` : sitePath));
    expect(files).toContain("/about/index.html");
    const unreserved = files.filter((file) => !GENERATOR_FILES.has(file) && !GENERATOR_FOLDERS.some((folder) => file.startsWith(folder)));
    expect(unreserved, "pages or files a post could overwrite: add them to GENERATOR_FILES or GENERATOR_FOLDERS in lib/content/paths.ts").toEqual([]);
  });
});
