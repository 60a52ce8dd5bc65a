import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEED_ITEM_CACHE_DIR } from "../lib/plugins/feeds.ts";
import { TEMPLATE_CACHE_DIR } from "../lib/plugins/template-cache.ts";
import { buildFixture, makeFixtureSite, post, type BuiltSite } from "./helpers/site.ts";

/*
 * What a build keeps in .cache/ for the next one besides posts and CSS:
 * Nunjucks' compiled templates (lib/plugins/template-cache.ts) and the
 * sanitized feed items of posts with raw HTML (lib/plugins/feeds.ts). A build
 * that reads them must make the site byte for byte as one that does not, and a
 * cold build (BLOG_CACHE=0) neither reads nor keeps them.
 */
const RAW_POST = post(
  { title: "A post with raw HTML", date: "2020-05-03", tags: [] },
  'Text first.\n\n<p class="note" onclick="steal()">Raw <b>HTML</b> and <a href="/about/">a link</a>.</p>\n',
);
let site: string;
const builds: BuiltSite[] = [];

async function build(env: Record<string, string> = {}): Promise<BuiltSite> {
  const built = await buildFixture({ input: site, env });
  builds.push(built);
  return built;
}

/** The files kept in one of the caches, by full path, in a stable order. */
async function kept(cacheDir: string): Promise<string[]> {
  const folder = path.join(site, cacheDir);
  return (await readdir(folder).catch(() => [])).sort().map((name) => path.join(folder, name));
}

async function sameOutput(a: BuiltSite, b: BuiltSite): Promise<void> {
  expect(b.paths).toEqual(a.paths);
  for (const sitePath of a.paths) expect(await b.read(sitePath), sitePath).toBe(await a.read(sitePath));
}

beforeAll(async () => {
  site = await makeFixtureSite({ blogPosts: true, posts: { "posts/raw-html.md": RAW_POST } });
});

afterAll(async () => {
  for (const built of builds) await built.cleanup();
  await rm(site, { recursive: true, force: true });
});

describe("what builds keep for the next", () => {
  it("a cold build keeps nothing; the next keeps each template and feed item; a third reads them; all three make the same site", async () => {
    const cold = await build({ BLOG_CACHE: "0" });
    for (const cache of [TEMPLATE_CACHE_DIR, FEED_ITEM_CACHE_DIR]) expect(await kept(cache), cache).toEqual([]);
    const first = await build();
    const templates = await kept(TEMPLATE_CACHE_DIR);
    expect(templates.length).toBeGreaterThan(10);
    const items = await kept(FEED_ITEM_CACHE_DIR);
    const second = await build();
    expect(await kept(TEMPLATE_CACHE_DIR)).toEqual(templates);
    expect(await kept(FEED_ITEM_CACHE_DIR)).toEqual(items);
    await sameOutput(cold, first);
    await sameOutput(cold, second);
  }, 120_000);
});

describe("compiled templates kept between builds", () => {
  it("reads the kept JavaScript instead of compiling the source", async () => {
    // Every kept template made to fail when it is loaded (templates Eleventy compiled already in this process are not compiled again).
    const files = await kept(TEMPLATE_CACHE_DIR);
    const sources = await Promise.all(files.map((file) => readFile(file, "utf8")));
    await Promise.all(files.map((file, index) => writeFile(file, `throw new Error("read from the template cache");\n${sources[index]}`)));
    // Eleventy wraps the error of the template it was rendering: the kept code's own error is its cause.
    const failure: unknown = await build().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(inspect(failure, { depth: 10 })).toContain("read from the template cache");
    await Promise.all(files.map((file, index) => writeFile(file, sources[index]!)));
  }, 120_000);
});

describe("sanitized feed items kept between builds", () => {
  it("keeps each post's item that has raw HTML, sanitized", async () => {
    const items = await kept(FEED_ITEM_CACHE_DIR);
    const texts = await Promise.all(items.map((item) => readFile(item, "utf8")));
    expect(texts.filter((text) => text.includes("Raw <b>HTML</b>"))).toHaveLength(1);
    for (const text of texts) expect(text).not.toContain("onclick");
  });

  it("reads the kept item instead of sanitizing again", async () => {
    for (const item of await kept(FEED_ITEM_CACHE_DIR)) await writeFile(item, (await readFile(item, "utf8")).replace("Raw <b>", "Kept <b>"));
    expect(await (await build()).read("/feed.xml")).toContain("Kept &lt;b&gt;HTML");
  }, 120_000);
});
