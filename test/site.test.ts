import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, REPO, text, type BuiltSite } from "./helpers/site.ts";

const PARTS = [1, 2, 3].map((n) => `/no-planned-downtime-chasm-part${n}/`);
// The author's text of part 3 exactly as given, kept beside the tests.
const SEED = path.join(REPO, "test/fixtures/part3-author-text.txt");

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
    const seed = await readFile(SEED, "utf8");
    const body = seed.split(/^---$/m).slice(2).join("---");
    const paragraphs = body
      .split(/\n{2,}/)
      .map((block) => block.trim())
      .filter((block) => block && !/^\[Part 1\]/.test(block) && !/^-+$/.test(block.split("\n")[1] ?? ""))
      .flatMap((block) => (block.startsWith("* ") ? block.split(/\n(?=\* )/) : [block]))
      // Compare the words a reader sees: markdown emphasis and link syntax aside.
      .map((block) =>
        block
          .replace(/^\* /, "")
          .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
          .replace(/\*/g, "")
          .replace(/\s+/g, " ")
          .trim(),
      );
    const page = await site.document(PARTS[2]!);
    for (const sup of page.querySelectorAll("sup, .sidenote")) sup.remove();
    const rendered = [...page.querySelectorAll(".post-body p, .post-body li")].map((node) => text(node));
    expect(paragraphs.length).toBeGreaterThan(20);
    for (const paragraph of paragraphs) expect(rendered, `paragraph missing from part 3: ${paragraph.slice(0, 60)}`).toContain(paragraph);
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
