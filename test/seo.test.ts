import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, makeFixtureSite, post, FIXTURE_BLOG, text, type BuiltSite } from "./helpers/site.ts";

const ORIGIN = "https://blog.bittercoder.com";
/** A post without a summary: its meta description must come from the excerpt. */
const EXCERPT_POST = "/excerpt-only-post/";
const EXCERPT = "Rolling deploys need every schema change to be readable by two versions of the code at once.";

let fixture: string;
let site: BuiltSite;
let htmlPages: string[];
/** Site path of each real post → its front matter summary. */
const summaries = new Map<string, string>();

beforeAll(async () => {
  fixture = await makeFixtureSite({
    blogPosts: true,
    posts: {
      "excerpt-only-post.md": post(
        { title: "Excerpt only", date: new Date("2018-02-01"), tags: ["databases"] },
        `${EXCERPT}\n\n<!--more-->\n\nThe rest of the post, which no description should quote.\n`,
      ),
    },
  });
  site = await buildSite({ input: fixture });
  htmlPages = site.paths.filter((sitePath) => sitePath.endsWith("/") || sitePath.endsWith(".html"));
  for (const slug of ["no-planned-downtime-chasm-part1", "no-planned-downtime-chasm-part2", "no-planned-downtime-chasm-part3"]) {
    const source = await readFile(path.join(FIXTURE_BLOG, "posts", `${slug}.md`), "utf8");
    const frontMatter = yaml.load(source.split(/^---$/m)[1]!) as { summary: string };
    summaries.set(`/${slug}/`, frontMatter.summary);
  }
});
afterAll(async () => {
  await site?.cleanup();
  if (fixture) await rm(fixture, { recursive: true, force: true });
});

function meta(page: Document, selector: string): string | undefined {
  const found = page.querySelectorAll(`meta[${selector}]`);
  expect(found.length, `exactly one meta[${selector}]`).toBe(1);
  return found[0]!.getAttribute("content") ?? undefined;
}

describe("search and social metadata", () => {
  it("gives every page its own canonical URL, a description, Open Graph and Twitter card tags", async () => {
    expect(htmlPages.length).toBeGreaterThan(15);
    const descriptions = new Map<string, string[]>();
    for (const sitePath of htmlPages) {
      const page = await site.document(sitePath);
      const canonical = page.querySelector('link[rel="canonical"]')?.getAttribute("href");
      expect(canonical, sitePath).toBe(ORIGIN + sitePath);
      const description = meta(page, 'name="description"');
      expect(description, `${sitePath} description`).toMatch(/\S{3}/);
      expect(description!.length, `${sitePath}: search engines cut descriptions near 160 characters`).toBeLessThanOrEqual(200);
      expect(description, `${sitePath}: markup in a description`).not.toMatch(/[<>]/);
      descriptions.set(description!, [...(descriptions.get(description!) ?? []), sitePath]);

      const isPost = Boolean(page.querySelector("article.post > .post-header > h1"));
      expect(meta(page, 'property="og:type"'), sitePath).toBe(isPost ? "article" : "website");
      expect(meta(page, 'property="og:url"'), sitePath).toBe(canonical);
      expect(meta(page, 'property="og:title"'), sitePath).toMatch(/\S/);
      expect(meta(page, 'property="og:description"'), sitePath).toBe(description);
      expect(meta(page, 'property="og:site_name"'), sitePath).toBe("The bitter coder");
      expect(meta(page, 'name="twitter:card"'), sitePath).toMatch(/^summary(_large_image)?$/);
      expect(meta(page, 'name="twitter:title"'), sitePath).toBe(meta(page, 'property="og:title"'));
      expect(meta(page, 'name="twitter:description"'), sitePath).toBe(description);
      if (isPost) expect(meta(page, 'property="og:title"'), sitePath).toBe(text(page.querySelector("h1")));
    }
    // Each post's description is its own, not the site's.
    for (const postPath of [...summaries.keys(), EXCERPT_POST]) {
      const sharers = [...descriptions.values()].find((paths) => paths.includes(postPath))!;
      expect(sharers, `${postPath} shares its description`).toEqual([postPath]);
    }
  });

  it("describes a post by its summary, or by its excerpt when it has none", async () => {
    expect(summaries.size).toBe(3);
    for (const [sitePath, summary] of summaries) {
      expect(meta(await site.document(sitePath), 'name="description"'), sitePath).toBe(summary.trim());
    }
    expect(meta(await site.document(EXCERPT_POST), 'name="description"')).toBe(EXCERPT);
  });

  it("lists every indexable page in sitemap.xml with its last modification", async () => {
    const parsed = new XMLParser({ isArray: (name) => name === "url" }).parse(await site.read("/sitemap.xml")) as {
      urlset: { url: Array<{ loc: string; lastmod?: string }> };
    };
    const entries = new Map(parsed.urlset.url.map((entry) => [entry.loc, entry.lastmod]));
    const indexable: string[] = [];
    for (const sitePath of htmlPages) {
      const robots = (await site.document(sitePath)).querySelector('meta[name="robots"]')?.getAttribute("content") ?? "";
      if (!robots.includes("noindex")) indexable.push(ORIGIN + sitePath);
    }
    expect(indexable).not.toContain(`${ORIGIN}/404.html`);
    expect([...entries.keys()].sort()).toEqual(indexable.sort());
    for (const [loc, lastmod] of entries) expect(lastmod, loc).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(entries.get(`${ORIGIN}/no-planned-downtime-chasm-part1/`)).toBe("2017-12-28");
    expect(entries.get(ORIGIN + EXCERPT_POST)).toBe("2018-02-01");
    // The home page changes whenever the newest post does.
    expect(entries.get(`${ORIGIN}/`)).toBe("2018-02-01");
  });

  it("names the sitemap in robots.txt and lets crawlers in", async () => {
    const robots = await site.read("/robots.txt");
    expect(robots).toMatch(new RegExp(`^Sitemap: ${ORIGIN}/sitemap\\.xml$`, "m"));
    expect(robots).toMatch(/^User-agent: \*$/m);
    expect(robots).not.toMatch(/^Disallow: \/$/m);
  });
});
