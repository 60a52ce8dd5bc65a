import { describe, expect, it, inject } from "vitest";
import { loadContent } from "../lib/content/model.ts";
import { isGeneratorPath, PAGE_PATHS } from "../lib/content/paths.ts";

/*
 * A post may not take a path the site's own pages and files use: the content
 * model refuses any permalink under GENERATOR_FOLDERS or at GENERATOR_FILES,
 * which lib/content/paths.ts makes from PAGE_PATHS, the table the pages read
 * their permalinks from. This checks the table against what a build of every
 * page in pages/ really writes, so a page at a path of its own fails here.
 */
describe("the paths the content model reserves", () => {
  it("cover every file the site writes that is not a post", async () => {
    const { input, paths } = inject("blogSite");
    const model = await loadContent({ inputDir: input, includeDrafts: false });
    const postPaths = new Set(model.posts.map((post) => post.sitePath));
    expect(postPaths.size).toBeGreaterThan(0);
    const files = paths.filter((sitePath) => !postPaths.has(sitePath)).map((sitePath) => (sitePath.endsWith("/") ? `${sitePath}index.html` : sitePath));
    expect(files).toContain(`${PAGE_PATHS.about}index.html`);
    const unreserved = files.filter((file) => !isGeneratorPath(file));
    expect(unreserved, "pages a post could overwrite: give each its path in PAGE_PATHS (lib/content/paths.ts)").toEqual([]);
  });
});
