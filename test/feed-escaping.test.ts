import { rm } from "node:fs/promises";
import { parseFeed as parseWithRowanmanning } from "@rowanmanning/feed-parser";
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemHtmlProblems, strictXmlProblems } from "./helpers/feeds.ts";
import { buildSite, makeFixtureSite, post, type BuiltSite } from "./helpers/site.ts";

const HOSTILE = 'Q&A <b>"quotes"</b> & ]]> \u0001 🚀';
/** What a reader can be shown: XML 1.0 cannot carry U+0001, so it alone is dropped. */
const HOSTILE_READABLE = 'Q&A <b>"quotes"</b> & ]]>  🚀';
/** Text that looks like entities: a feed must escape it again, not pass it off as markup. */
const ENTITY_LIKE = " &amp; &lt;b&gt;";
const HOSTILE_SUMMARY = HOSTILE + ENTITY_LIKE;
const HOSTILE_SUMMARY_READABLE = HOSTILE_READABLE + ENTITY_LIKE;
const HOSTILE_TAGS = ["Q&A", "a<b"];
const HOSTILE_POST_URL = "https://blog.bittercoder.com/hostile/";

/** Raw HTML an author may write in markdown: site-relative, page-relative and fragment links, a script and handlers. */
const RAW_HTML_BODY = `Some text.[^note] Code samples: \`<script>\` and \`&amp;\`.

<p class="raw">Raw HTML: <a href="/no-planned-downtime-chasm-part1/">root-relative</a>,
<a href="../no-planned-downtime-chasm-part2/">page-relative</a>,
<a href="#raw-section">a fragment</a>,
<a href="javascript:alert(1)">a script URL</a> and
<span onclick="alert(2)" onmouseover="alert(3)">handlers</span>.</p>

<script>alert(4)</script>

<SCRIPT type="module">alert(5)</SCRIPT>

## Raw section

More text.

[^note]: A note.
`;

let site: BuiltSite;
let dir: string;
beforeAll(async () => {
  dir = await makeFixtureSite({
    blogPosts: true,
    posts: {
      "hostile.md": post({ title: HOSTILE, summary: HOSTILE_SUMMARY, date: new Date("2018-02-01"), tags: HOSTILE_TAGS }, RAW_HTML_BODY),
    },
  });
  site = await buildSite({ input: dir, env: { SITE_URL: undefined } });
});
afterAll(async () => {
  await site.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe("a hostile title, summary and tags", () => {
  it.each(["/feed.xml", "/rss.xml"])("leave %s well-formed under libxml2", async (feedPath) => {
    expect(await strictXmlProblems(await site.read(feedPath))).toBe("");
  });

  it("leave /feed.json valid JSON carrying the readable text", async () => {
    const feed = JSON.parse(await site.read("/feed.json")) as { items: Array<{ title: string; summary: string; tags: string[] }> };
    expect(feed.items[0]).toMatchObject({ title: HOSTILE_READABLE, summary: HOSTILE_SUMMARY_READABLE, tags: HOSTILE_TAGS });
    expect(parseJsonFeed(feed).items?.[0]?.title).toBe(HOSTILE_READABLE);
  });

  it("round-trip through feedsmith", async () => {
    const atom = parseAtomFeed(await site.read("/feed.xml")).entries?.[0];
    expect(atom?.title?.value).toBe(HOSTILE_READABLE);
    expect(atom?.summary?.value).toBe(HOSTILE_SUMMARY_READABLE);
    expect(atom?.categories?.map((category) => category.term)).toEqual(HOSTILE_TAGS);
    const rss = parseRssFeed(await site.read("/rss.xml")).items?.[0];
    expect(rss?.title).toBe(HOSTILE_READABLE);
    expect(rss?.description).toBe(HOSTILE_SUMMARY_READABLE);
    expect(rss?.categories?.map((category) => category.name)).toEqual(HOSTILE_TAGS);
  });

  it("round-trip through @rowanmanning/feed-parser", async () => {
    for (const feedPath of ["/feed.xml", "/rss.xml"]) {
      const item = parseWithRowanmanning(await site.read(feedPath)).items[0];
      expect(item?.title, feedPath).toBe(HOSTILE_READABLE);
      expect(
        item?.categories.map((category) => category.term),
        feedPath,
      ).toEqual(HOSTILE_TAGS);
    }
  });
});

describe("an author's raw HTML in a feed item", () => {
  async function hostileItemHtml(): Promise<string[]> {
    const atom = parseAtomFeed(await site.read("/feed.xml")).entries?.[0]?.content?.value ?? "";
    const rss = parseRssFeed(await site.read("/rss.xml")).items?.[0]?.content?.encoded ?? "";
    const json = parseJsonFeed(JSON.parse(await site.read("/feed.json"))).items?.[0]?.content_html ?? "";
    return [atom, rss, json];
  }

  it("is present at all (the checks below have something to check)", async () => {
    for (const html of await hostileItemHtml()) expect(html).toContain('class="raw"');
  });

  it("has every URL made absolute against the post and no scripts or handlers", async () => {
    for (const html of await hostileItemHtml()) {
      expect(itemHtmlProblems(html)).toEqual([]);
      const links = [...parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.querySelectorAll(".raw a")].map((link) =>
        link.getAttribute("href"),
      );
      expect(links).toEqual([
        "https://blog.bittercoder.com/no-planned-downtime-chasm-part1/",
        "https://blog.bittercoder.com/no-planned-downtime-chasm-part2/",
        `${HOSTILE_POST_URL}#raw-section`,
        // The script URL is dropped; the link text stays.
        null,
      ]);
      expect(html).not.toMatch(/alert\(/);
    }
  });

  it("keeps code samples as text: the markup they show is escaped, not made live", async () => {
    for (const html of await hostileItemHtml()) {
      expect(html).toContain("<code>&lt;script&gt;</code>");
      expect(html).toContain("<code>&amp;amp;</code>");
    }
  });

  it("keeps the page's own copy as written (only feeds are rewritten)", async () => {
    const page = await site.document("/hostile/");
    expect(page.querySelector(".raw a")?.getAttribute("href")).toBe("/no-planned-downtime-chasm-part1/");
  });
});
