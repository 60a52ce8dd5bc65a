// The compiled CSS is cached by what it is made from (lib/plugins/assets.ts):
// a build whose Sass files are unchanged takes it from the cache without
// loading Sass, and an edit to any of them is compiled.
import { appendFile, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { STYLESHEET_CACHE_DIR } from "../lib/plugins/assets.ts";
import { buildFixture, makeFixtureSite, post } from "./helpers/site.ts";

const sites: string[] = [];

afterAll(async () => {
  for (const site of sites) await rm(site, { recursive: true, force: true });
});

/** Builds the site and returns its published stylesheet. */
async function builtCss(input: string): Promise<string> {
  const site = await buildFixture({ input });
  try {
    const stylesheets = site.paths.filter((sitePath) => /^\/assets\/site\.[0-9a-f]+\.css$/.test(sitePath));
    expect(stylesheets).toHaveLength(1);
    return await site.read(stylesheets[0]!);
  } finally {
    await site.cleanup();
  }
}

async function cachedFiles(input: string): Promise<string[]> {
  return readdir(path.join(input, STYLESHEET_CACHE_DIR));
}

describe("the stylesheet cache", () => {
  it("serves unchanged Sass from the cache, compiles an edit, and a cold build gives the same CSS", async () => {
    const input = await makeFixtureSite({ posts: { "a-post.md": post({ title: "A post", date: "2020-01-01" }) }, compiledFrom: undefined });
    sites.push(input);
    const cold = await builtCss(input);
    expect(cold).toContain("body{");
    const [entry] = await cachedFiles(input);
    expect(await readFile(path.join(input, STYLESHEET_CACHE_DIR, entry!), "utf8")).toBe(cold);

    // Unchanged Sass: the cached CSS is published as it is, so Sass did not run.
    await writeFile(path.join(input, STYLESHEET_CACHE_DIR, entry!), "/* from the cache */");
    expect(await builtCss(input)).toBe("/* from the cache */");

    // An edit to a partial is compiled, and replaces the cache's entry.
    const partial = path.join(input, "assets/scss/_base.scss");
    const original = await readFile(partial, "utf8");
    await appendFile(partial, "\n.edited-rule { color: red; }\n");
    expect(await builtCss(input)).toContain(".edited-rule{color:red}");
    expect(await cachedFiles(input)).toHaveLength(1);

    // Back as it was, without a cache: the CSS of the first build.
    await writeFile(partial, original);
    await rm(path.join(input, STYLESHEET_CACHE_DIR), { recursive: true });
    expect(await builtCss(input)).toBe(cold);
  });
});
