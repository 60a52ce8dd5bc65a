import { cp, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
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
  // The site starts with no kept template: the shared build's come with a fixture.
  await rm(path.join(site, TEMPLATE_CACHE_DIR), { recursive: true, force: true });
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
  /** Builds `input` with every kept template made to fail when it is loaded; the build's error, if any. */
  async function buildWithPoisonedTemplates(input: string): Promise<string> {
    const files = await kept(TEMPLATE_CACHE_DIR);
    const sources = await Promise.all(files.map((file) => readFile(file, "utf8")));
    await Promise.all(files.map((file, index) => writeFile(file, `throw new Error("read from the template cache");\n${sources[index]}`)));
    if (input !== site) await cp(site, input, { recursive: true });
    // Eleventy wraps the error of the template it was rendering: the kept code's own error is its cause.
    const failure: unknown = await buildFixture({ input, env: {} }).then(
      (built) => void builds.push(built),
      (error: unknown) => error,
    );
    await Promise.all(files.map((file, index) => writeFile(file, sources[index]!)));
    return inspect(failure, { depth: 10 });
  }

  it("reads the kept JavaScript instead of compiling the source", async () => {
    // Templates Eleventy compiled already in this process are not compiled again; a build's own templates are.
    expect(await buildWithPoisonedTemplates(site)).toContain("read from the template cache");
  }, 120_000);

  it("reads them in a copy of the site in another folder, the way a restored CI cache is", async () => {
    const moved = await mkdtemp(path.join(tmpdir(), "blog-moved-"));
    try {
      expect(await buildWithPoisonedTemplates(moved)).toContain("read from the template cache");
    } finally {
      await rm(moved, { recursive: true, force: true });
    }
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

describe("the kept files stay bounded", () => {
  it("a build removes the oldest unused files beyond as many as it used, and temporary files left by a stopped build", async () => {
    const planted: Record<string, { stale: string[]; recent: string; temporary: string }> = {};
    const used: Record<string, string[]> = {};
    const weekAgo = Date.now() - 7 * 24 * 3600_000;
    for (const cache of [TEMPLATE_CACHE_DIR, FEED_ITEM_CACHE_DIR]) {
      used[cache] = await kept(cache);
      const folder = path.join(site, cache);
      // Three more old unused files than used ones, a second apart, oldest first; one recent unused file; one temporary file.
      const stale = Array.from({ length: used[cache]!.length + 3 }, (_, index) => path.join(folder, `stale-${index}.js`));
      const recent = path.join(folder, "recent-but-unused.js");
      const temporary = path.join(folder, `left-by-a-stopped-build.js.${process.pid}.tmp`);
      for (const file of [...stale, recent, temporary]) await writeFile(file, "// not a template\n");
      for (const [index, file] of stale.entries()) await utimes(file, new Date(weekAgo + index * 1000), new Date(weekAgo + index * 1000));
      planted[cache] = { stale, recent, temporary };
    }
    await build();
    for (const cache of [TEMPLATE_CACHE_DIR, FEED_ITEM_CACHE_DIR]) {
      const after = await kept(cache);
      const { stale, recent, temporary } = planted[cache]!;
      for (const file of used[cache]!) expect(after, `${cache}: a file the build used`).toContain(file);
      // Unused: the stale ones, the recent one and the temporary one. Those beyond the used count go, oldest first.
      const excess = stale.length + 2 - used[cache]!.length;
      expect(
        after.filter((file) => stale.includes(file)),
        cache,
      ).toEqual(stale.slice(excess).sort());
      expect(after, cache).toContain(recent);
      expect(after, cache).not.toContain(temporary);
    }
  }, 120_000);
});
