import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, makeFixtureSite, post, text, type BuiltSite } from "./helpers/site.ts";

/*
 * Pages are Eleventy templates: a page an author adds, in markdown or
 * Nunjucks, in pages/ or at the site's root, is built in the site's frame, is
 * listed in the sitemap and, when its front matter asks, in the navigation.
 */
const posts = {
  "first-post.md": post({ title: "The first post", date: "2021-03-01", tags: ["notes"] }),
  "second-post.md": post({ title: "The second post", date: "2021-03-02" }),
  "hidden-draft.md": post({ title: "A draft nobody sees", date: "2021-03-03", draft: true }),
};

const files = {
  // Markdown at the root of the site, as an Eleventy user would first try.
  "about-me.md": [
    "---",
    "layout: layouts/base.njk",
    "title: About me",
    "permalink: /about-me/",
    "eleventyNavigation: { key: About me, order: 10 }",
    "---",
    "# Hello from markdown",
    "",
    "Written by {{ blog.site.author.name }}.",
    "",
  ].join("\n"),
  // Nunjucks in pages/, using the model's posts as an Eleventy collection.
  "pages/reading-list.njk": [
    "---",
    "layout: layouts/base.njk",
    "title: Reading list",
    "description: Every post, as a collection.",
    "permalink: /reading-list/",
    "eleventyNavigation: { key: Reading list, order: 11 }",
    "---",
    "<h1>Reading list</h1>",
    '<ul class="reading-list">{% for item in collections.posts %}<li>{{ item.title }}</li>{% endfor %}</ul>',
    '<p class="tagged">{{ collections.postsByTag.notes.length }} tagged notes</p>',
    "",
  ].join("\n"),
  // Markdown that is not a page: the site's own README and code.
  "README.md": "# How this site is built\n",
  "lib/notes.md": "# Notes on the code\n",
  "test/fixture.md": "# A test fixture\n",
  // A page that does not ask for a place in the navigation.
  "pages/colophon.njk": "---\nlayout: layouts/base.njk\ntitle: Colophon\npermalink: /colophon/\n---\n<h1>Colophon</h1>\n",
};

let input: string;
let site: BuiltSite;

beforeAll(async () => {
  input = await makeFixtureSite({ posts, files });
  site = await buildSite({ input });
});

afterAll(async () => {
  await site?.cleanup();
  await rm(input, { recursive: true, force: true });
});

const navigation = async (sitePath: string) =>
  [...(await site.document(sitePath)).querySelectorAll(".site-nav a")].map((link) => ({
    text: text(link),
    href: link.getAttribute("href"),
    current: link.getAttribute("aria-current") === "page",
  }));

describe("markdown outside pages", () => {
  it("is not published: the README, lib/ and test/ are not the site's pages", () => {
    expect(site.paths.filter((sitePath) => /readme|^\/lib\/|^\/test\/|fixture|notes-on/i.test(sitePath))).toEqual([]);
    expect(site.paths).toContain("/about-me/");
  });
});

describe("a page the author adds", () => {
  it("in markdown at the root is built in the site's frame, its markdown and template tags rendered", async () => {
    const page = await site.document("/about-me/");
    expect(text(page.querySelector("main h1"))).toBe("Hello from markdown");
    expect(text(page.querySelector("main p"))).toBe("Written by Alex Henderson.");
    expect(text(page.querySelector("title"))).toBe("About me · The bitter coder");
    expect(page.querySelector(".site-header")).not.toBeNull();
  });

  it("in Nunjucks reads the model's posts as collections.posts, newest first, drafts left out", async () => {
    const page = await site.document("/reading-list/");
    expect([...page.querySelectorAll(".reading-list li")].map((item) => text(item))).toEqual(["The second post", "The first post"]);
    expect(text(page.querySelector(".tagged"))).toBe("1 tagged notes");
    expect(page.querySelector('meta[name="description"]')?.getAttribute("content")).toBe("Every post, as a collection.");
  });

  it("is listed in the sitemap, markdown and Nunjucks alike", async () => {
    const sitemap = await site.read("/sitemap.xml");
    for (const sitePath of ["/about-me/", "/reading-list/", "/colophon/"]) expect(sitemap).toContain(`<loc>https://blog.bittercoder.com${sitePath}</loc>`);
    expect(sitemap).not.toContain("404");
  });

  it("is in the navigation when its front matter asks, after the site's own pages, and marked on its own page", async () => {
    const items = await navigation("/reading-list/");
    expect(items.map((item) => item.text)).toEqual(["Archive", "Series", "Tags", "Notes", "About", "Feeds", "Search", "About me", "Reading list"]);
    expect(items.find((item) => item.current)?.href).toBe("/reading-list/");
    expect(items.map((item) => item.text)).not.toContain("Colophon");
    expect(site.paths).toContain("/colophon/");
  });
});
