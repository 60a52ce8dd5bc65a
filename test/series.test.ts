import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, makeFixtureSite, post, FIXTURE_BLOG, text, type BuiltSite } from "./helpers/site.ts";

const SERIES_SLUG = "no-planned-downtime-chasm";
const SERIES_PATH = `/series/${SERIES_SLUG}/`;
const PARTS = [1, 2, 3].map((n) => `/no-planned-downtime-chasm-part${n}/`);
const TITLES = [
  "Crossing the no-downtime chasm - part 1 - Migrations",
  "Crossing the no-downtime chasm - part 2 - Moving and breaking",
  "Crossing the no-downtime chasm - part 3 - Finishing thoughts",
];

/** Every HTML page a build wrote. */
const htmlPages = (site: BuiltSite) => site.paths.filter((sitePath) => sitePath.endsWith("/") || sitePath.endsWith(".html"));

function seriesBox(page: Document) {
  const box = page.querySelector("nav.series-box");
  const items = [...(box?.querySelectorAll("ol > li") ?? [])];
  return {
    heading: text(box?.querySelector(".series-box-title")),
    items: items.map((item) => ({
      text: text(item),
      href: item.querySelector("a")?.getAttribute("href") ?? null,
      current: item.querySelector('[aria-current="page"]') !== null,
    })),
  };
}

function pager(page: Document) {
  const nav = page.querySelector("nav.series-pager");
  return {
    previous: nav?.querySelector('a[rel="prev"]')?.getAttribute("href") ?? null,
    next: nav?.querySelector('a[rel="next"]')?.getAttribute("href") ?? null,
    previousText: text(nav?.querySelector('a[rel="prev"]')),
    nextText: text(nav?.querySelector('a[rel="next"]')),
    headPrevious: page.querySelector('head link[rel="prev"]')?.getAttribute("href") ?? null,
    headNext: page.querySelector('head link[rel="next"]')?.getAttribute("href") ?? null,
  };
}

function structuredData(page: Document): Record<string, unknown> {
  const script = page.querySelector('script[type="application/ld+json"]');
  expect(script, "a post page carries JSON-LD").not.toBeNull();
  return JSON.parse(script!.textContent ?? "") as Record<string, unknown>;
}

describe("the real series", () => {
  let site: BuiltSite;
  beforeAll(async () => {
    site = await buildSite();
  });
  afterAll(() => site.cleanup());

  it("gives each part a box listing the three parts in order, the right one current and the others linked", async () => {
    for (const [index, sitePath] of PARTS.entries()) {
      const box = seriesBox(await site.document(sitePath));
      expect(box.heading).toBe(`Part ${index + 1} of 3 in Crossing the no-downtime chasm`);
      expect(box.items.map((item) => item.text.replace(" (you are here)", ""))).toEqual(TITLES);
      expect(box.items.map((item) => item.href)).toEqual(PARTS);
      expect(box.items.map((item) => item.current)).toEqual([0, 1, 2].map((n) => n === index));
    }
  });

  it("links the box heading to the series page", async () => {
    const page = await site.document(PARTS[1]!);
    expect(page.querySelector(".series-box-title a")?.getAttribute("href")).toBe(SERIES_PATH);
  });

  it("links previous and next parts at the end and in the head, with nothing before part 1 or after part 3", async () => {
    const [first, second, third] = await Promise.all(PARTS.map((sitePath) => site.document(sitePath)));
    expect(pager(first!)).toMatchObject({ previous: null, next: PARTS[1], headPrevious: null, headNext: PARTS[1] });
    expect(pager(second!)).toMatchObject({ previous: PARTS[0], next: PARTS[2], headPrevious: PARTS[0], headNext: PARTS[2] });
    expect(pager(third!)).toMatchObject({ previous: PARTS[1], next: null, headPrevious: PARTS[1], headNext: null });
    expect(pager(second!).previousText).toBe(`Previous: part 1 ${TITLES[0]}`);
    expect(pager(second!).nextText).toBe(`Next: part 3 ${TITLES[2]}`);
    expect(text(third!.querySelector(".series-pager-end"))).toBe("This is the latest part of Crossing the no-downtime chasm.");
  });

  it("describes each part as a BlogPosting that is part of a CreativeWorkSeries at its position", async () => {
    for (const [index, sitePath] of PARTS.entries()) {
      const data = structuredData(await site.document(sitePath));
      expect(data).toMatchObject({
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        headline: TITLES[index],
        url: `https://blog.bittercoder.com${sitePath}`,
        isPartOf: { "@type": "CreativeWorkSeries", name: "Crossing the no-downtime chasm", url: `https://blog.bittercoder.com${SERIES_PATH}` },
        position: index + 1,
      });
    }
  });

  it("publishes the series page with its description, a start link and the parts in reading order", async () => {
    const page = await site.document(SERIES_PATH);
    expect(text(page.querySelector("h1"))).toBe("Crossing the no-downtime chasm");
    expect(text(page.querySelector(".lede"))).toMatch(/^Often the business knows before engineers do/);
    expect(page.querySelector(".series-start a")?.getAttribute("href")).toBe(PARTS[0]);
    expect(text(page.querySelector(".series-start a"))).toBe(`Start with part 1: ${TITLES[0]}`);
    const parts = [...page.querySelectorAll(".series-parts > li")];
    expect(parts.map((item) => item.querySelector("h2 a")?.getAttribute("href"))).toEqual(PARTS);
    expect(parts.map((item) => item.querySelector("time")?.getAttribute("datetime"))).toEqual(["2017-12-28", "2018-01-05", "2018-01-10"]);
    for (const item of parts) {
      expect(text(item.querySelector(".post-meta"))).toMatch(/\d+ min read$/);
      expect(text(item.querySelector("p:last-child")).length, "each part shows its summary").toBeGreaterThan(40);
    }
    const links = [...page.querySelectorAll("main a")].map((link) => link.getAttribute("href"));
    expect(links).toContain(`${SERIES_PATH}all/`);
  });

  it("lists the series on /series/, which the home page's navigation reaches", async () => {
    const home = await site.document("/");
    expect([...home.querySelectorAll("header nav a")].map((link) => link.getAttribute("href"))).toContain("/series/");
    const index = await site.document("/series/");
    const summary = index.querySelector(".series-summary");
    expect(summary?.querySelector("h2 a")?.getAttribute("href")).toBe(SERIES_PATH);
    const links = [...(summary?.querySelectorAll("a") ?? [])].map((link) => [text(link), link.getAttribute("href")]);
    expect(links).toContainEqual(["Start with part 1", PARTS[0]]);
    expect(links).toContainEqual(["read the whole series on one page", `${SERIES_PATH}all/`]);
  });

  it("puts the whole series on one page, every part in order with a link to its own page", async () => {
    const page = await site.document(`${SERIES_PATH}all/`);
    const parts = [...page.querySelectorAll("article.series-part")];
    expect(parts.map((part) => text(part.querySelector("h2")))).toEqual(TITLES);
    expect(parts.map((part) => part.querySelector(".post-meta a")?.getAttribute("href"))).toEqual(PARTS);
    // The contents link to each part's heading on this page.
    const contents = [...page.querySelectorAll(".series-contents a")].map((link) => link.getAttribute("href")!);
    expect(contents).toHaveLength(3);
    contents.forEach((href, index) => expect(page.getElementById(href.slice(1)), href).toBe(parts[index]!.querySelector("h2")));
    // A post's own ## headings sit below the part's heading.
    expect(parts[0]!.querySelectorAll(".post-body h2")).toHaveLength(0);
    expect(text(parts[0]!.querySelector(".post-body h3"))).toBe("Data migrations");
    // Every part's body is there: part 3's last paragraph included.
    expect(text(parts[2]!)).toContain("But that's definitely a topic for another post!");
  });

  it("has no duplicate id on any page", async () => {
    const pages = htmlPages(site);
    expect(pages).toEqual(expect.arrayContaining([...PARTS, `${SERIES_PATH}all/`, "/notes/", "/"]));
    for (const sitePath of pages) {
      const ids = [...(await site.document(sitePath)).querySelectorAll("[id]")].map((element) => element.getAttribute("id"));
      const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
      expect(repeated, `duplicate ids on ${sitePath}`).toEqual([]);
    }
  });

  it("never links to blog.bittercoder.com except in canonical and social metadata", async () => {
    const metadata = new Set(["canonical"]);
    for (const sitePath of htmlPages(site)) {
      const page = await site.document(sitePath);
      for (const element of page.querySelectorAll("[href], [src], [action]")) {
        const value = element.getAttribute("href") ?? element.getAttribute("src") ?? element.getAttribute("action") ?? "";
        if (element.tagName === "LINK" && metadata.has(element.getAttribute("rel") ?? "")) continue;
        expect(value, `${sitePath}: <${element.tagName.toLowerCase()}> links to the old host`).not.toMatch(/bittercoder\.com/i);
      }
    }
    // The author's own absolute links, as written, became site-relative.
    const first = await site.document(PARTS[0]!);
    expect([...first.querySelectorAll(".post-body a")].map((link) => link.getAttribute("href"))).toContain(PARTS[1]);
  });

  it("shows the series navigation once: the hand-made part rows are gone from the bodies", async () => {
    for (const sitePath of PARTS) {
      const page = await site.document(sitePath);
      expect(page.querySelectorAll("nav.series-box")).toHaveLength(1);
      const bodyText = text(page.querySelector(".post-body"));
      expect(bodyText).not.toMatch(/Part 1\s*\|?\s*Part 2\s*\|?\s*Part 3/);
    }
  });
});

const REAL_SERIES = JSON.parse(await readFile(path.join(FIXTURE_BLOG, "_data/series.json"), "utf8"))[SERIES_SLUG] as unknown;

describe("a fixture site with two series, a planned part and standalone posts", () => {
  const day = (n: number) => `2021-03-${String(n).padStart(2, "0")}`;
  let input: string;
  let site: BuiltSite;
  let drafts: BuiltSite;
  beforeAll(async () => {
    // The real posts come along: the site's own pages (About) link to their series.
    input = await makeFixtureSite({
      blogPosts: true,
      series: {
        [SERIES_SLUG]: REAL_SERIES,
        baking: { title: "Baking bread", description: "Four parts on bread.", parts: 4 },
        brewing: { title: "Brewing tea", description: "Two parts on tea." },
      },
      posts: {
        "bake-1.md": post({ title: "Flour", date: day(1), series: "baking", part: 1, tags: ["bread"] }),
        "bake-2.md": post({ title: "Water", date: day(2), series: "baking", part: 2, tags: ["bread"] }),
        "bake-3.md": post({ title: "Salt", date: day(3), series: "baking", part: 3, tags: ["bread"] }, "Salt.\n\n## Flour\n\nAgain.\n"),
        "brew-1.md": post({ title: "Leaves", date: day(4), series: "brewing", part: 1 }, "Leaves.\n\n## Flour\n\nSame heading as in Salt.\n"),
        "brew-2.md": post({ title: "Water for tea", date: day(5), series: "brewing", part: 2, draft: true, tags: ["tea"] }),
        "standalone.md": post({ title: "On its own", date: day(6), tags: ["bread"] }),
        "another.md": post({ title: "Also on its own", date: day(7) }),
      },
    });
    site = await buildSite({ input });
    drafts = await buildSite({ input, env: { BLOG_DRAFTS: "1" } });
  });
  afterAll(async () => {
    await site.cleanup();
    await drafts.cleanup();
    await rm(input, { recursive: true, force: true });
  });

  it("shows a planned fourth part as coming soon, without a link", async () => {
    const box = seriesBox(await site.document("/bake-3/"));
    expect(box.heading).toBe("Part 3 of 4 in Baking bread");
    expect(box.items.map((item) => item.href)).toEqual(["/bake-1/", "/bake-2/", "/bake-3/", null]);
    expect(box.items[3]!.text).toBe("Part 4: coming soon");
    expect(box.items.map((item) => item.current)).toEqual([false, false, true, false]);
    const seriesPage = await site.document("/series/baking/");
    const entries = [...seriesPage.querySelectorAll(".series-parts > li")];
    expect(entries).toHaveLength(4);
    expect(text(entries[3])).toBe("Part 4: coming soon");
    expect(entries[3]!.querySelector("a")).toBeNull();
    // The last written part is the end of the road for now.
    expect(pager(await site.document("/bake-3/"))).toMatchObject({ previous: "/bake-2/", next: null, headNext: null });
  });

  it("keeps each series' navigation to its own parts", async () => {
    const brew = seriesBox(await site.document("/brew-1/"));
    // Part 2 is a draft and the series declares no parts: a production build does not announce it.
    expect(brew.heading).toBe("Part 1 of 1 in Brewing tea");
    expect(brew.items.map((item) => item.href)).toEqual(["/brew-1/"]);
    expect(pager(await site.document("/brew-1/"))).toMatchObject({ previous: null, next: null, headPrevious: null, headNext: null });
    const seriesIndex = await site.document("/series/");
    expect([...seriesIndex.querySelectorAll(".series-summary h2 a")].map((link) => link.getAttribute("href")).sort()).toEqual([
      "/series/baking/",
      "/series/brewing/",
      SERIES_PATH,
    ]);
  });

  it("gives standalone posts no series box, pager, rel links or isPartOf", async () => {
    for (const sitePath of ["/standalone/", "/another/"]) {
      const page = await site.document(sitePath);
      expect(page.querySelector(".series-box"), sitePath).toBeNull();
      expect(page.querySelector(".series-pager"), sitePath).toBeNull();
      expect(page.querySelector('link[rel="prev"], link[rel="next"]'), sitePath).toBeNull();
      const data = structuredData(page);
      expect(data["@type"]).toBe("BlogPosting");
      expect(data).not.toHaveProperty("isPartOf");
      expect(data).not.toHaveProperty("position");
    }
  });

  it("never leaks a draft part into navigation, feeds, sitemap or tag pages of a production build", async () => {
    expect(site.paths).not.toContain("/brew-2/");
    const everywhere = await Promise.all(
      [
        "/brew-1/",
        "/series/brewing/",
        "/series/brewing/all/",
        "/",
        "/archive/",
        "/feed.xml",
        "/rss.xml",
        "/feed.json",
        "/sitemap.xml",
        "/series/brewing/rss.xml",
      ].map(async (sitePath) => [sitePath, await site.read(sitePath)] as const),
    );
    for (const [sitePath, content] of everywhere) {
      expect(content, sitePath).not.toContain("/brew-2/");
      expect(content, sitePath).not.toContain("Water for tea");
    }
    expect(site.paths).not.toContain("/tags/tea/");
  });

  it("shows the draft part in a draft build", async () => {
    const box = seriesBox(await drafts.document("/brew-1/"));
    expect(box.items.map((item) => item.href)).toEqual(["/brew-1/", "/brew-2/"]);
    expect(pager(await drafts.document("/brew-1/")).next).toBe("/brew-2/");
  });

  it("prefixes each part's ids on the one-page series so equal headings do not collide", async () => {
    const page = await site.document("/series/baking/all/");
    const ids = [...page.querySelectorAll("[id]")].map((element) => element.getAttribute("id"));
    expect(new Set(ids).size).toBe(ids.length);
    expect(page.querySelector("#part3-flour")?.tagName).toBe("H3");
    for (const sitePath of htmlPages(site)) {
      const { document } = parseHTML(await site.read(sitePath));
      const all = [...document.querySelectorAll("[id]")].map((element) => element.getAttribute("id"));
      expect(
        all.filter((id, index) => all.indexOf(id) !== index),
        sitePath,
      ).toEqual([]);
    }
  });
});
