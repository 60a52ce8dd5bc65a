import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectSeedVerbatim } from "./helpers/real-content.ts";
import { buildSite, text, type BuiltSite } from "./helpers/site.ts";

const PARTS = [1, 2, 3].map((n) => `/no-planned-downtime-chasm-part${n}/`);

let site: BuiltSite;
beforeAll(async () => {
  site = await buildSite();
});
afterAll(() => site.cleanup());

describe("the real site", () => {
  it("publishes the posts at the old blog's URLs and every site page", () => {
    for (const expected of [
      ...PARTS,
      "/",
      "/archive/",
      "/about/",
      "/404.html",
      "/sitemap.xml",
      "/robots.txt",
      "/feed.xml",
      "/rss.xml",
      "/feed.json",
      "/feeds/",
      "/notes/",
      "/series/",
    ]) {
      expect(site.paths, `nothing published at ${expected}`).toContain(expected);
    }
  });

  it("prints every paragraph of the author's part 3 verbatim", async () => {
    await expectSeedVerbatim(site);
  });

  it("lists the three parts newest first on the home page, with correct dates", async () => {
    const home = await site.document("/");
    const items = [...home.querySelectorAll(".post-list .post-summary")];
    expect(items.map((item) => item.querySelector("a")?.getAttribute("href"))).toEqual([...PARTS].reverse());
    expect(items.map((item) => item.querySelector("time")?.getAttribute("datetime"))).toEqual(["2018-01-10", "2018-01-05", "2017-12-28"]);
    expect(items.map((item) => text(item.querySelector("time")))).toEqual(["January 10, 2018", "January 5, 2018", "December 28, 2017"]);
  });

  it("gives every HTML page one h1, a title, a language and one canonical link", async () => {
    const pages = site.paths.filter((p) => p.endsWith("/") || p.endsWith(".html"));
    expect(pages.length).toBeGreaterThan(15);
    for (const sitePath of pages) {
      const page = await site.document(sitePath);
      expect(page.querySelectorAll("h1").length, `${sitePath} should have exactly one <h1>`).toBe(1);
      expect(text(page.querySelector("title")), `${sitePath} needs a <title>`).not.toBe("");
      expect(page.documentElement.getAttribute("lang"), `${sitePath} needs lang`).toBe("en");
      const canonical = page.querySelectorAll('link[rel="canonical"]');
      expect(canonical.length, `${sitePath} should have exactly one canonical link`).toBe(1);
      expect(canonical[0]?.getAttribute("href")).toMatch(/^https:\/\/blog\.bittercoder\.com\//);
    }
  });

  it("links a stylesheet that exists, under a content-hashed name", async () => {
    const home = await site.document("/");
    const href = home.querySelector('link[rel="stylesheet"]')?.getAttribute("href") ?? "";
    expect(href).toMatch(/^\/assets\/site\.[0-9a-f]{10}\.css$/);
    const css = await site.read(href);
    expect(css.length).toBeGreaterThan(1000);
    expect(css, "the stylesheet should be minified").not.toMatch(/\n\s+\n/);
    expect(css).toMatch(/prefers-color-scheme:\s*dark/);
  });
});
