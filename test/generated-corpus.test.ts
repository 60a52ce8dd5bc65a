import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_MARKER, generateCorpus, PARTS_PER_SERIES, type GeneratedPost } from "../lib/bench/corpus.ts";
import { loadContent } from "../lib/content/model.ts";
import { FEED } from "../lib/content/post-source.ts";
import { sanitizePostHtml } from "../lib/content/sanitize.ts";
import { buildSite, FIXTURE_BLOG, text, type BuiltSite, writeCorpusFixture } from "./helpers/site.ts";

// The benchmark's corpus at a size a test can build: 30 posts in 10 series of three.
// Navigation, feeds and pages come from indexes built once per build; this checks
// those fast paths give the right answer for every series, not just the first.
const corpus = generateCorpus(30);
const SITE = "https://blog.bittercoder.com";
const site = JSON.parse(await readFile(path.join(FIXTURE_BLOG, "_data/site.json"), "utf8")) as { feedPostCount: number };

let corpusDir: string;
let first: BuiltSite;
let second: BuiltSite;
beforeAll(async () => {
  corpusDir = await writeCorpusFixture(corpus);
  first = await buildSite({ input: corpusDir });
  second = await buildSite({ input: corpusDir });
});
afterAll(async () => {
  await first?.cleanup();
  await second?.cleanup();
  if (corpusDir) await rm(corpusDir, { recursive: true, force: true });
});

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["item", "entry", "link"].includes(name) });
const postsOf = (slug: string) => corpus.posts.filter((post) => post.seriesSlug === slug).sort((a, b) => a.part - b.part);
const href = (post: GeneratedPost) => `/${post.slug}/`;

describe("a generated corpus of 30 posts", () => {
  it("has 10 series of three", () => {
    expect(corpus.series).toHaveLength(10);
    for (const series of corpus.series) expect(postsOf(series.slug)).toHaveLength(PARTS_PER_SERIES);
  });

  it("gives every post of every series the right series box, prev/next and head links", async () => {
    for (const series of corpus.series) {
      const parts = postsOf(series.slug);
      for (const [index, post] of parts.entries()) {
        const page = await first.document(href(post));
        const where = `${post.slug} (${series.slug} part ${post.part})`;
        expect(text(page.querySelector(".series-box-title")), where).toBe(`Part ${post.part} of ${parts.length} in ${series.title}`);
        const listed = [...page.querySelectorAll(".series-box-parts a")];
        expect(
          listed.map((link) => link.getAttribute("href")),
          where,
        ).toEqual(parts.map(href));
        expect(
          listed.map((link) => text(link)),
          where,
        ).toEqual(parts.map((part) => part.title));
        expect(page.querySelector('.series-box-parts a[aria-current="page"]')?.getAttribute("href"), where).toBe(href(post));

        const previous = parts[index - 1];
        const next = parts[index + 1];
        expect(page.querySelector(".series-pager-previous")?.getAttribute("href") ?? null, where).toBe(previous ? href(previous) : null);
        expect(page.querySelector(".series-pager-next")?.getAttribute("href") ?? null, where).toBe(next ? href(next) : null);
        expect(page.querySelector('link[rel="prev"]')?.getAttribute("href") ?? null, where).toBe(previous ? href(previous) : null);
        expect(page.querySelector('link[rel="next"]')?.getAttribute("href") ?? null, where).toBe(next ? href(next) : null);
        expect(page.querySelector(".series-pager-end") !== null, where).toBe(next === undefined);
        expect(page.querySelector('link[rel="alternate"][title$="(series RSS)"]')?.getAttribute("href"), where).toBe(`/series/${series.slug}/rss.xml`);
      }
    }
  });

  it("lists every series' parts in reading order on its series page", async () => {
    for (const series of corpus.series) {
      const parts = postsOf(series.slug);
      const page = await first.document(`/series/${series.slug}/`);
      expect(text(page.querySelector("h1")), series.slug).toBe(series.title);
      expect(
        [...page.querySelectorAll(".series-parts .series-part-title a")].map((link) => link.getAttribute("href")),
        series.slug,
      ).toEqual(parts.map(href));
      expect(page.querySelector(".series-start a")?.getAttribute("href"), series.slug).toBe(href(parts[0]!));
    }
  });

  it("gives every series a feed of its own parts, newest first", async () => {
    for (const series of corpus.series) {
      const feed = xml.parse(await first.read(`/series/${series.slug}/rss.xml`)) as {
        rss: { channel: { link: string[]; item: Array<{ link: string[]; title: string }> } };
      };
      const expected = postsOf(series.slug).reverse();
      expect(
        feed.rss.channel.item.map((item) => item.link[0]),
        series.slug,
      ).toEqual(expected.map((post) => `${SITE}${href(post)}`));
      expect(
        feed.rss.channel.item.map((item) => item.title),
        series.slug,
      ).toEqual(expected.map((post) => post.title));
      expect(feed.rss.channel.link[0], series.slug).toBe(`${SITE}/series/${series.slug}/`);
    }
  });

  it("puts the newest posts, newest first, in the Atom, RSS and JSON feeds", async () => {
    // Generated posts are newer than the site's own three, and one day apart.
    const newest = [...corpus.posts]
      .sort((a, b) => b.date.localeCompare(a.date))
      .slice(0, site.feedPostCount)
      .map((post) => `${SITE}${href(post)}`);
    expect(newest).toHaveLength(site.feedPostCount);

    const atom = xml.parse(await first.read("/feed.xml")) as { feed: { entry: Array<{ link: Array<{ href: string; rel: string }> }> } };
    expect(atom.feed.entry.map((entry) => entry.link.find((link) => link.rel === "alternate")?.href)).toEqual(newest);
    const rss = xml.parse(await first.read("/rss.xml")) as { rss: { channel: { item: Array<{ link: string[] }> } } };
    expect(rss.rss.channel.item.map((item) => item.link[0])).toEqual(newest);
    const json = JSON.parse(await first.read("/feed.json")) as { items: Array<{ url: string }> };
    expect(json.items.map((item) => item.url)).toEqual(newest);
  });

  it("builds byte-identical output twice from the same content", async () => {
    const files = async (dir: string) =>
      (await readdir(dir, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
        .sort();
    const firstFiles = await files(first.outputDir);
    expect(firstFiles.length).toBeGreaterThan(corpus.posts.length * 2);
    expect(await files(second.outputDir)).toEqual(firstFiles);
    const different: string[] = [];
    for (const file of firstFiles) {
      const [a, b] = await Promise.all([readFile(path.join(first.outputDir, file)), readFile(path.join(second.outputDir, file))]);
      if (!a.equals(b)) different.push(file);
    }
    expect(different).toEqual([]);
  });

  it("skips the feeds' sanitizer only where it would remove nothing", async () => {
    // Feed items from markdown alone skip the sanitizer; that is only right if
    // the markdown renderer writes nothing the post allowlist would drop. The
    // sanitizer writes entities and comments its own way, so the two are
    // compared as parsed documents, without comments.
    const asParsed = (html: string) => {
      const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
      const walker = document.createTreeWalker(document.body, 128 /* NodeFilter.SHOW_COMMENT */);
      const comments: Node[] = [];
      while (walker.nextNode()) comments.push(walker.currentNode);
      for (const comment of comments) comment.parentNode?.removeChild(comment);
      return document.body.innerHTML;
    };
    for (const inputDir of [corpusDir, FIXTURE_BLOG]) {
      const model = await loadContent({ inputDir, includeDrafts: true });
      const markdownOnly = model.posts.filter((post) => !post.hasRawHtml);
      expect(markdownOnly.length, inputDir).toBeGreaterThan(0);
      for (const post of markdownOnly) {
        const html = post.render(FEED);
        const sanitized = sanitizePostHtml(html, {
          postUrl: model.site.urls.absolute(post.sitePath),
          siteUrl: (sitePath) => model.site.urls.absolute(sitePath),
        });
        expect(asParsed(sanitized), post.file).toBe(asParsed(html));
      }
    }
  });

  it("renders a post again, identically, after a one-off build has taken its HTML", async () => {
    const kept = await loadContent({ inputDir: corpusDir, includeDrafts: true });
    const released = await loadContent({ inputDir: corpusDir, includeDrafts: true, oneOffBuild: true });
    for (const [index, post] of released.posts.entries()) {
      const first = post.render(FEED);
      expect(post.render(FEED), post.file).toBe(first);
      expect(first, post.file).toBe(kept.posts[index]!.render(FEED));
    }
  });

  it("refuses to render a post again from a file that changed after a one-off build read it", async () => {
    const released = await loadContent({ inputDir: corpusDir, includeDrafts: true, oneOffBuild: true });
    const post = released.posts[0]!;
    const file = path.join(corpusDir, post.file);
    const original = await readFile(file, "utf8");
    const first = post.render(FEED);
    try {
      await writeFile(file, original.replace(BODY_MARKER, "Words edited during the build."));
      expect(() => post.render(FEED)).toThrow(`${post.file} changed while the site was being built`);
    } finally {
      await writeFile(file, original);
    }
    expect(post.render(FEED)).toBe(first);
  });
});
