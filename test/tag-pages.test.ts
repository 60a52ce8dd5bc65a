import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTS_PER_TAG_PAGE } from "../lib/content/indexes.ts";
import { buildSite, makeFixtureSite, post, text, type BuiltSite } from "./helpers/site.ts";

/*
 * A tag of several hundred posts stays a light page: its posts are listed a
 * page at a time, the first at the tag's own path, the rest at
 * /tags/<tag>/page/<n>/, linked newer and older, and all in the sitemap.
 */
const MANY = 2 * POSTS_PER_TAG_PAGE + 5;
const day = (index: number) => new Date(Date.UTC(2020, 0, 1 + index)).toISOString().slice(0, 10);
const posts: Record<string, string> = {
  "a-lone-post.md": post({ title: "A lone post", date: "2019-06-01", tags: ["lonely"] }),
};
for (let index = 0; index < MANY; index++) posts[`post-${index}.md`] = post({ title: `Post ${index}`, date: day(index), tags: ["many"] });

describe("tag pages of a large tag", () => {
  let input: string;
  let site: BuiltSite;

  beforeAll(async () => {
    input = await makeFixtureSite({ posts });
    site = await buildSite({ input });
  });
  afterAll(async () => {
    await site?.cleanup();
    await rm(input, { recursive: true, force: true });
  });

  const pages = ["/tags/many/", "/tags/many/page/2/", "/tags/many/page/3/"];
  const titles = async (sitePath: string) => [...(await site.document(sitePath)).querySelectorAll(".post-summary-title")].map(text);
  const relLink = async (sitePath: string, rel: string) => (await site.document(sitePath)).querySelector(`link[rel="${rel}"]`)?.getAttribute("href") ?? null;

  it("lists the tag's posts newest first, a page at a time, each post once, the first page at the tag's own path", async () => {
    const listed = [];
    for (const sitePath of pages) listed.push(await titles(sitePath));
    expect(listed.map((list) => list.length)).toEqual([POSTS_PER_TAG_PAGE, POSTS_PER_TAG_PAGE, 5]);
    expect(listed.flat()).toEqual(Array.from({ length: MANY }, (_, index) => `Post ${MANY - 1 - index}`));
    expect(site.paths.filter((sitePath) => sitePath.startsWith("/tags/many/"))).toEqual(pages);
  });

  it("links each page to its newer and older neighbours, in the head and on the page", async () => {
    expect([await relLink(pages[0]!, "prev"), await relLink(pages[0]!, "next")]).toEqual([null, pages[1]]);
    expect([await relLink(pages[1]!, "prev"), await relLink(pages[1]!, "next")]).toEqual([pages[0], pages[2]]);
    expect([await relLink(pages[2]!, "prev"), await relLink(pages[2]!, "next")]).toEqual([pages[1], null]);
    const pager = (await site.document(pages[1]!)).querySelector("nav.list-pager")!;
    expect([...pager.querySelectorAll("a")].map((link) => [text(link), link.getAttribute("rel"), link.getAttribute("href")])).toEqual([
      ["Newer posts", "prev", pages[0]],
      ["Older posts", "next", pages[2]],
    ]);
  });

  it("names the page in its heading and title after the first", async () => {
    const second = await site.document(pages[1]!);
    expect(text(second.querySelector("h1"))).toBe("Posts tagged “many” page 2 of 3");
    expect(text(second.querySelector("title"))).toMatch(/^Posts tagged “many”, page 2 of 3 · /);
    expect(text((await site.document(pages[0]!)).querySelector("title"))).toMatch(/^Posts tagged “many” · /);
  });

  it("lists every page in the sitemap", async () => {
    const sitemap = await site.read("/sitemap.xml");
    for (const sitePath of pages) expect(sitemap).toContain(`${sitePath}</loc>`);
  });

  it("leaves a small tag one page, without a pager", async () => {
    const lone = await site.document("/tags/lonely/");
    expect(lone.querySelector("nav.list-pager")).toBeNull();
    expect(lone.querySelector('link[rel="prev"], link[rel="next"]')).toBeNull();
    expect(site.paths.filter((sitePath) => sitePath.startsWith("/tags/lonely/"))).toEqual(["/tags/lonely/"]);
  });
});
