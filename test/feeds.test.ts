import { rm } from "node:fs/promises";
import { parseFeed as parseWithRowanmanning } from "@rowanmanning/feed-parser";
import { XMLParser } from "fast-xml-parser";
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { jekyllPostId, loadContent } from "../lib/content/model.ts";
import { atomFeed, jsonFeed, rssFeed } from "../lib/plugins/feeds.ts";
import { itemHtmlProblems, strictXmlProblems } from "./helpers/feeds.ts";
import { buildSite, makeFixtureSite, post, text, type BuiltSite } from "./helpers/site.ts";

const SITE = "https://blog.bittercoder.com";
const SERIES_TITLE = "Crossing the no-downtime chasm";
const SERIES_PAGE = `${SITE}/series/no-planned-downtime-chasm/`;
const SERIES_FEED = "/series/no-planned-downtime-chasm/rss.xml";
const XML_FEEDS = ["/feed.xml", "/rss.xml", SERIES_FEED];
const CONTENT_NS = "http://purl.org/rss/1.0/modules/content/";
const ATOM_NS = "http://www.w3.org/2005/Atom";

/** The three posts as their front matter declares them, newest first (the order every feed uses). */
const POSTS = [
  {
    part: 3,
    title: "Crossing the no-downtime chasm - part 3 - Finishing thoughts",
    url: `${SITE}/no-planned-downtime-chasm-part3/`,
    date: "2018-01-10",
    rfc822: "Wed, 10 Jan 2018 00:00:00 +0000",
    tags: ["no-downtime", "engineering-leadership"],
    summary: "Moving 3rd-party API credentials to shared operations accounts, and why engineers should be part of deciding when planned downtime ends.",
  },
  {
    part: 2,
    title: "Crossing the no-downtime chasm - part 2 - Moving and breaking",
    url: `${SITE}/no-planned-downtime-chasm-part2/`,
    date: "2018-01-05",
    rfc822: "Fri, 05 Jan 2018 00:00:00 +0000",
    tags: ["no-downtime", "architecture", "cloud", "compliance"],
    summary: "Moving data centres and breaking a monolith apart along risk and compliance boundaries, before and after planned downtime stops being an option.",
  },
  {
    part: 1,
    title: "Crossing the no-downtime chasm - part 1 - Migrations",
    url: `${SITE}/no-planned-downtime-chasm-part1/`,
    date: "2017-12-28",
    rfc822: "Thu, 28 Dec 2017 00:00:00 +0000",
    tags: ["no-downtime", "databases", "migrations"],
    summary: "Once planned downtime stops being acceptable, data migrations that took hours become back-fill jobs and projects that take weeks.",
  },
];

/** The ids jekyll-feed published for these posts on the old blog; subscribers' readers know them. */
const HISTORICAL_IDS = [
  "https://blog.bittercoder.com/no-planned-downtime-chasm-part3",
  "https://blog.bittercoder.com/no-planned-downtime-chasm-part2",
  "https://blog.bittercoder.com/no-planned-downtime-chasm-part1",
];

const xmlTree = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (name) => ["item", "entry", "category", "link", "atom:link"].includes(name),
});

let site: BuiltSite;
beforeAll(async () => {
  // The shared build: the site's own address, whatever the environment of the test run says.
  site = await buildSite();
});
afterAll(() => site.cleanup());

describe("the feeds are well-formed XML and JSON", () => {
  it.each(XML_FEEDS)("%s parses strictly with libxml2", async (feedPath) => {
    expect(await strictXmlProblems(await site.read(feedPath))).toBe("");
  });

  it("/feed.json is JSON Feed 1.1", async () => {
    const feed = JSON.parse(await site.read("/feed.json")) as { version: string; items: unknown[] };
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.items).toHaveLength(3);
  });
});

describe("Atom at /feed.xml, the old jekyll-feed address", () => {
  it("keeps the entry ids jekyll-feed published, read by two parsers", async () => {
    const xml = await site.read("/feed.xml");
    expect(parseAtomFeed(xml).entries?.map((entry) => entry.id)).toEqual(HISTORICAL_IDS);
    expect(parseWithRowanmanning(xml).items.map((item) => item.id)).toEqual(HISTORICAL_IDS);
  });

  it("gives each entry its title, link, dates, author, categories, summary and full content (feedsmith)", async () => {
    const feed = parseAtomFeed(await site.read("/feed.xml"));
    // The newest post's date, not the time of the build.
    expect(feed.updated).toBe("2018-01-10T00:00:00Z");
    expect(feed.links?.find((link) => link.rel === "self")?.href).toBe(`${SITE}/feed.xml`);
    expect(feed.authors?.map((author) => author.name)).toEqual(["Alex Henderson"]);
    expect(feed.entries).toHaveLength(POSTS.length);
    POSTS.forEach((expected, index) => {
      const entry = feed.entries![index]!;
      expect(entry.title?.value).toBe(expected.title);
      expect(entry.links?.find((link) => link.rel === "alternate")?.href).toBe(expected.url);
      expect(entry.published).toBe(`${expected.date}T00:00:00Z`);
      expect(entry.updated).toBe(`${expected.date}T00:00:00Z`);
      expect(entry.authors?.map((author) => author.name)).toEqual(["Alex Henderson"]);
      expect(entry.categories?.map((category) => category.term)).toEqual([...expected.tags, SERIES_TITLE]);
      expect(entry.summary?.value).toBe(expected.summary);
      expect(entry.content?.type).toBe("html");
      // The full post: its last section, not only the excerpt.
      expect(entry.content?.value?.length).toBeGreaterThan(3000);
    });
  });

  it("reads the same through @rowanmanning/feed-parser", async () => {
    const feed = parseWithRowanmanning(await site.read("/feed.xml"));
    expect(feed.meta.type).toBe("atom");
    expect(feed.self).toBe(`${SITE}/feed.xml`);
    expect(feed.updated?.toISOString()).toBe("2018-01-10T00:00:00.000Z");
    expect(
      feed.items.map((item) => ({
        title: item.title,
        url: item.url,
        published: item.published?.toISOString(),
        categories: item.categories.map((category) => category.term),
      })),
    ).toEqual(
      POSTS.map((expected) => ({
        title: expected.title,
        url: expected.url,
        published: `${expected.date}T00:00:00.000Z`,
        categories: [...expected.tags, SERIES_TITLE],
      })),
    );
  });
});

describe("RSS 2.0 at /rss.xml", () => {
  it("declares the content and atom namespaces it uses, and links to itself", async () => {
    const tree = xmlTree.parse(await site.read("/rss.xml")) as {
      rss: Record<string, unknown> & { channel: Record<string, unknown> & { item: Array<Record<string, unknown>> } };
    };
    expect(tree.rss["@version"]).toBe("2.0");
    expect(tree.rss["@xmlns:content"]).toBe(CONTENT_NS);
    expect(tree.rss["@xmlns:atom"]).toBe(ATOM_NS);
    expect(tree.rss.channel["atom:link"]).toEqual([{ "@href": `${SITE}/rss.xml`, "@rel": "self", "@type": "application/rss+xml" }]);
    expect(tree.rss.channel.lastBuildDate).toBe("Wed, 10 Jan 2018 00:00:00 +0000");
    expect(tree.rss.channel.item.map((item) => typeof item["content:encoded"])).toEqual(["string", "string", "string"]);
  });

  it("gives each item title, link, guid (the Atom id, not a permalink), RFC 822 date, categories and both texts (feedsmith)", async () => {
    const feed = parseRssFeed(await site.read("/rss.xml"));
    expect(feed.items).toHaveLength(POSTS.length);
    POSTS.forEach((expected, index) => {
      const item = feed.items![index]!;
      expect(item.title).toBe(expected.title);
      expect(item.link).toBe(expected.url);
      expect(item.guid).toEqual({ value: HISTORICAL_IDS[index], isPermaLink: false });
      expect(item.pubDate).toBe(expected.rfc822);
      expect(item.categories?.map((category) => category.name)).toEqual([...expected.tags, SERIES_TITLE]);
      // description is the plain-text summary; the HTML goes in content:encoded.
      expect(item.description).toBe(expected.summary);
      expect(item.content?.encoded).toMatch(/^<p><em>Part \d of 3 in <a /);
    });
  });

  it("reads the same through @rowanmanning/feed-parser", async () => {
    const feed = parseWithRowanmanning(await site.read("/rss.xml"));
    expect(feed.meta).toEqual({ type: "rss", version: "2.0" });
    expect(feed.self).toBe(`${SITE}/rss.xml`);
    expect(
      feed.items.map((item) => ({
        id: item.id,
        title: item.title,
        url: item.url,
        published: item.published?.toISOString(),
        categories: item.categories.map((category) => category.term),
      })),
    ).toEqual(
      POSTS.map((expected, index) => ({
        id: HISTORICAL_IDS[index],
        title: expected.title,
        url: expected.url,
        published: `${expected.date}T00:00:00.000Z`,
        categories: [...expected.tags, SERIES_TITLE],
      })),
    );
  });

  it("writes every date in RFC 822 with an explicit zone", async () => {
    const xml = await site.read("/rss.xml");
    const dates = [...xml.matchAll(/<(pubDate|lastBuildDate)>([^<]*)</g)].map((match) => match[2]!);
    expect(dates).toHaveLength(POSTS.length + 1);
    for (const date of dates)
      expect(date).toMatch(
        /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} ([+-]\d{4}|GMT|UT)$/,
      );
  });
});

describe("JSON Feed 1.1 at /feed.json", () => {
  it("gives each item id, url, title, content_html, date_published and tags (feedsmith)", async () => {
    const raw = JSON.parse(await site.read("/feed.json")) as unknown;
    const feed = parseJsonFeed(raw);
    expect(feed.feed_url).toBe(`${SITE}/feed.json`);
    expect(feed.home_page_url).toBe(`${SITE}/`);
    expect(
      feed.items?.map((item) => ({
        id: item.id,
        url: item.url,
        title: item.title,
        summary: item.summary,
        date_published: item.date_published,
        tags: item.tags,
      })),
    ).toEqual(
      POSTS.map((expected, index) => ({
        id: HISTORICAL_IDS[index],
        url: expected.url,
        title: expected.title,
        summary: expected.summary,
        date_published: `${expected.date}T00:00:00Z`,
        tags: [...expected.tags, SERIES_TITLE],
      })),
    );
    for (const item of feed.items ?? []) expect(item.content_html?.length).toBeGreaterThan(3000);
  });
});

describe("the series feed", () => {
  it("carries the series' parts with the same ids, newest first (both parsers)", async () => {
    const xml = await site.read(SERIES_FEED);
    const feedsmith = parseRssFeed(xml);
    expect(feedsmith.title).toBe(`${SERIES_TITLE} · The bitter coder`);
    expect(feedsmith.link).toBe(SERIES_PAGE);
    expect(feedsmith.atom?.links?.find((link) => link.rel === "self")?.href).toBe(`${SITE}${SERIES_FEED}`);
    expect(feedsmith.items?.map((item) => item.guid?.value)).toEqual(HISTORICAL_IDS);
    expect(feedsmith.items?.map((item) => item.pubDate)).toEqual(POSTS.map((expected) => expected.rfc822));
    const rowanmanning = parseWithRowanmanning(xml);
    expect(rowanmanning.items.map((item) => item.title)).toEqual(POSTS.map((expected) => expected.title));
    expect(rowanmanning.items.map((item) => item.categories.map((category) => category.term))).toEqual(
      POSTS.map((expected) => [...expected.tags, SERIES_TITLE]),
    );
  });
});

describe("every item's content", () => {
  /** [feed, item title, item HTML] for every item of every feed. */
  async function everyItem(): Promise<Array<[string, string, string]>> {
    const items: Array<[string, string, string]> = [];
    for (const feedPath of XML_FEEDS) {
      for (const item of parseWithRowanmanning(await site.read(feedPath)).items) items.push([feedPath, item.title ?? "", item.content ?? ""]);
    }
    const json = parseJsonFeed(JSON.parse(await site.read("/feed.json")));
    for (const item of json.items ?? []) items.push(["/feed.json", item.title ?? "", item.content_html ?? ""]);
    return items;
  }

  it("starts with the series context, linked to the series page", async () => {
    const items = await everyItem();
    expect(items).toHaveLength(12);
    for (const [feedPath, title, html] of items) {
      const expected = POSTS.find((candidate) => candidate.title === title)!;
      const first = parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body.firstElementChild;
      expect(text(first), `${feedPath}: ${title}`).toBe(`Part ${expected.part} of 3 in ${SERIES_TITLE}.`);
      expect(first?.querySelector("a")?.getAttribute("href")).toBe(SERIES_PAGE);
    }
  });

  it("has only absolute URLs and no scripts", async () => {
    for (const [feedPath, title, html] of await everyItem()) expect(itemHtmlProblems(html), `${feedPath}: ${title}`).toEqual([]);
  });

  it("links footnotes to their notes on the post's own page", async () => {
    const footnoteLinks: string[] = [];
    for (const [, title, html] of await everyItem()) {
      const expected = POSTS.find((candidate) => candidate.title === title)!;
      const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
      for (const link of document.querySelectorAll('a[href*="#fn"]')) {
        const href = link.getAttribute("href")!;
        expect(href.startsWith(`${expected.url}#`), `${title}: ${href}`).toBe(true);
        footnoteLinks.push(href);
      }
    }
    // Parts 2 and 3 cite notes: a reference and a back-link each, in four feeds.
    expect(footnoteLinks.length).toBeGreaterThanOrEqual(16);
    for (const href of new Set(footnoteLinks)) {
      const url = new URL(href);
      const page = await site.document(url.pathname);
      expect(page.getElementById(decodeURIComponent(url.hash.slice(1))), `${href} lands nowhere`).not.toBeNull();
    }
  });
});

describe("finding the feeds", () => {
  const SITE_FEEDS = [
    ["application/atom+xml", "/feed.xml"],
    ["application/rss+xml", "/rss.xml"],
    ["application/feed+json", "/feed.json"],
  ];

  it("names the three site feeds on every HTML page, and the series feed on the series' pages only", async () => {
    const pages = site.paths.filter((sitePath) => sitePath.endsWith("/") || sitePath.endsWith(".html"));
    const seriesPages = [
      "/series/no-planned-downtime-chasm/",
      "/series/no-planned-downtime-chasm/all/",
      ...POSTS.map((expected) => new URL(expected.url).pathname),
    ];
    expect(pages.length).toBeGreaterThan(15);
    for (const sitePath of pages) {
      const alternates = [...(await site.document(sitePath)).querySelectorAll('head link[rel="alternate"]')].map((link) => [
        link.getAttribute("type"),
        link.getAttribute("href"),
      ]);
      const expected = seriesPages.includes(sitePath) ? [...SITE_FEEDS, ["application/rss+xml", SERIES_FEED]] : SITE_FEEDS;
      expect(alternates, sitePath).toEqual(expected);
    }
  });

  it("links the series page to its feed", async () => {
    const page = await site.document("/series/no-planned-downtime-chasm/");
    expect([...page.querySelectorAll("main a")].map((link) => link.getAttribute("href"))).toContain(SERIES_FEED);
  });

  it("lists every feed's address to copy on /feeds/", async () => {
    const page = await site.document("/feeds/");
    const addresses = [...page.querySelectorAll("main code")].map((code) => text(code));
    expect(addresses).toEqual([`${SITE}/feed.xml`, `${SITE}/rss.xml`, `${SITE}/feed.json`, `${SITE}${SERIES_FEED}`]);
  });
});

describe("feed ids by jekyll's rule", () => {
  it.each([
    ["/no-planned-downtime-chasm-part1/", "no-planned-downtime-chasm-part1", "/no-planned-downtime-chasm-part1"],
    ["/2018/01/foo/", "foo", "/2018/01/foo"],
    ["/2018/01/foo.html", "foo", "/2018/01/foo"],
    ["/notes/renamed/", "original-file-name", "/notes/original-file-name"],
    ["/foo", "foo", "/foo"],
  ])("%s with slug %s has the id %s", (sitePath, slug, expected) => {
    expect(jekyllPostId(sitePath, slug)).toBe(expected);
  });
});

describe("feed contents beyond the real posts", () => {
  it("keeps only the newest posts when there are more than feedPostCount", async () => {
    const dir = await makeFixtureSite({
      blogPosts: true,
      site: { feedPostCount: 2 },
      posts: {
        // File names sort against dates, so the order must come from the dates.
        "aa-newest.md": post({ title: "The newest", date: new Date("2018-02-01"), updated: new Date("2018-03-01"), tags: ["news"] }),
        "zz-oldest.md": post({ title: "The oldest", date: new Date("2016-06-01"), tags: ["news"] }),
      },
    });
    const fixture = await buildSite({ input: dir, env: { SITE_URL: undefined } });
    try {
      const expectedTitles = ["The newest", POSTS[0]!.title];
      expect(parseAtomFeed(await fixture.read("/feed.xml")).entries?.map((entry) => entry.title?.value)).toEqual(expectedTitles);
      expect(parseRssFeed(await fixture.read("/rss.xml")).items?.map((item) => item.title)).toEqual(expectedTitles);
      expect(parseJsonFeed(JSON.parse(await fixture.read("/feed.json"))).items?.map((item) => item.title)).toEqual(expectedTitles);
      // A revision is the feeds' newest change: the channel's time and the entry's updated time.
      const atom = parseAtomFeed(await fixture.read("/feed.xml"));
      expect(atom.updated).toBe("2018-03-01T00:00:00Z");
      expect([atom.entries?.[0]?.published, atom.entries?.[0]?.updated]).toEqual(["2018-02-01T00:00:00Z", "2018-03-01T00:00:00Z"]);
      expect(parseRssFeed(await fixture.read("/rss.xml")).lastBuildDate).toBe("Thu, 01 Mar 2018 00:00:00 +0000");
      expect(parseJsonFeed(JSON.parse(await fixture.read("/feed.json"))).items?.[0]?.date_modified).toBe("2018-03-01T00:00:00Z");
      // A series feed is the whole series, whatever the limit.
      expect(parseRssFeed(await fixture.read(SERIES_FEED)).items).toHaveLength(3);
    } finally {
      await fixture.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("does not use the clock for a feed without posts", async () => {
    const dir = await makeFixtureSite({ series: {} });
    const model = await loadContent({ inputDir: dir, includeDrafts: false, deploymentUrl: SITE });
    expect(model.posts).toEqual([]);
    const render = () => [
      atomFeed(model, [], "/feed.xml"),
      rssFeed(model, [], "/rss.xml", { title: "t", description: "d", sitePath: "/" }),
      jsonFeed(model, [], "/feed.json"),
    ];
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date("2030-05-05T05:05:05Z"));
      const first = render();
      vi.setSystemTime(new Date("2031-06-06T06:06:06Z"));
      expect(render()).toEqual(first);
      const [atom, rss, json] = first as [string, string, string];
      expect(await strictXmlProblems(atom)).toBe("");
      expect(await strictXmlProblems(rss)).toBe("");
      // Atom requires <updated>: an empty feed says the fixed epoch. RSS may leave lastBuildDate out.
      expect(parseAtomFeed(atom).updated).toBe("1970-01-01T00:00:00Z");
      expect(parseAtomFeed(atom).entries ?? []).toEqual([]);
      expect(rss).not.toContain("lastBuildDate");
      // JSON Feed requires the items array even when it is empty.
      expect((JSON.parse(json) as { items: unknown }).items).toEqual([]);
      expect(parseJsonFeed(JSON.parse(json)).title).toBe("The bitter coder");
    } finally {
      vi.useRealTimers();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
