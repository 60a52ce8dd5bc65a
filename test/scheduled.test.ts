import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { parseHTML } from "linkedom";
import { afterAll, describe, expect, it } from "vitest";
import { loadContent } from "../lib/content/model.ts";
import { scheduledMessage } from "../lib/plugins/content-model.ts";
import { buildInTimeZone } from "./helpers/publish.ts";
import { buildSite, makeFixtureSite, post, text } from "./helpers/site.ts";

/*
 * Scheduled posts: a production build leaves out posts dated after its clock
 * (BLOG_NOW fixes the clock here), says how many and when the next is due;
 * the dev server shows them, marked. And dates with a time and an offset are
 * shown on the author's day, in the site's time zone, under any machine TZ.
 */
const fixtures: string[] = [];
afterAll(() => Promise.all(fixtures.map((dir) => rm(dir, { recursive: true, force: true }))));

async function fixture(options: Parameters<typeof makeFixtureSite>[0]): Promise<string> {
  const dir = await makeFixtureSite(options);
  fixtures.push(dir);
  return dir;
}

const POSTS = {
  "written.md": post({ title: "Written", date: "2020-01-01" }),
  "soon.md": post({ title: "Soon", date: "2030-01-01T09:00:00+13:00" }),
  "later.md": post({ title: "Later", date: "2030-06-01" }),
};
const BEFORE = "2029-12-31T00:00:00Z";
const BETWEEN = "2030-01-02T00:00:00Z";

describe("scheduled posts, with a fixed clock", () => {
  it("the model holds back posts dated after its clock, soonest first, and a draft build shows them marked", async () => {
    const dir = await fixture({ posts: POSTS });
    const production = await loadContent({ inputDir: dir, includeDrafts: false, now: new Date(BEFORE) });
    expect(production.posts.map((p) => p.file)).toEqual(["posts/written.md"]);
    expect(production.scheduled.map((p) => p.file)).toEqual(["posts/soon.md", "posts/later.md"]);
    const dev = await loadContent({ inputDir: dir, includeDrafts: true, now: new Date(BEFORE) });
    expect(dev.posts.map((p) => [p.file, p.scheduled])).toEqual([
      ["posts/later.md", true],
      ["posts/soon.md", true],
      ["posts/written.md", false],
    ]);
    const afterOne = await loadContent({ inputDir: dir, includeDrafts: false, now: new Date(BETWEEN) });
    expect(afterOne.posts.map((p) => p.file)).toEqual(["posts/soon.md", "posts/written.md"]);
  });

  it("a production build leaves them out of every page and feed, and says how many and when the next is due", async () => {
    const input = await fixture({ posts: POSTS });
    const site = await buildSite({ input, env: { BLOG_NOW: BEFORE } });
    try {
      const model = await loadContent({ inputDir: input, includeDrafts: false, now: new Date(BEFORE) });
      expect(scheduledMessage(model.scheduled)).toBe(
        "Scheduled: 2 posts dated after this build, not published yet; the next, posts/soon.md, is due 2029-12-31T20:00:00Z. Build again then (the Pages workflow builds daily).",
      );
      expect(site.paths).toContain("/written/");
      expect(site.paths).not.toContain("/soon/");
      expect(site.paths).not.toContain("/later/");
      for (const file of ["/feed.xml", "/rss.xml", "/feed.json", "/sitemap.xml", "/", "/archive/"]) {
        const output = await site.read(file);
        expect(output, file).toContain("/written/");
        expect(output, file).not.toMatch(/\/(soon|later)\//);
      }
    } finally {
      await site.cleanup();
    }
  });

  it("the same content and the same clock build the same bytes; a later clock publishes the post due by then", async () => {
    const input = await fixture({ posts: POSTS });
    const first = await buildSite({ input, env: { BLOG_NOW: BETWEEN } });
    const second = await buildSite({ input, env: { BLOG_NOW: BETWEEN } });
    try {
      expect(first.paths).toContain("/soon/");
      expect(first.paths).not.toContain("/later/");
      for (const file of ["/feed.xml", "/feed.json", "/", "/soon/"]) expect(await second.read(file), file).toBe(await first.read(file));
    } finally {
      await first.cleanup();
      await second.cleanup();
    }
  });

  it("the dev server's build shows a scheduled post, marked with its day", async () => {
    const input = await fixture({ posts: POSTS });
    const site = await buildSite({ input, env: { BLOG_NOW: BEFORE, BLOG_DRAFTS: "1" } });
    try {
      expect(text((await site.document("/later/")).querySelector(".draft-badge"))).toBe("Scheduled: published from June 1, 2030");
      expect(await site.read("/")).toContain("Scheduled");
    } finally {
      await site.cleanup();
    }
  });
});

/** A build under another zone, in a fresh process; or, with none, this process's own build under the machine's zone (UTC in CI). */
async function buildOffsetSite(input: string, zone: string | undefined): Promise<string> {
  const env = { BLOG_NOW: "2026-01-01T00:00:00Z" };
  if (zone === undefined) {
    const site = await buildSite({ input, env });
    fixtures.push(site.outputDir);
    return site.outputDir;
  }
  return buildInTimeZone(input, zone, env);
}

describe.each([
  { where: "in this process, under the machine's zone", zone: undefined },
  { where: "under TZ=America/Los_Angeles", zone: "America/Los_Angeles" },
  { where: "under TZ=Pacific/Kiritimati", zone: "Pacific/Kiritimati" },
])("dates with a time and an offset, built $where", ({ zone }) => {
  it("are shown on the author's day in the site's time zone; feeds keep the exact instant", async () => {
    const input = await fixture({
      site: { timeZone: "Pacific/Auckland" },
      posts: {
        "offset.md": post({ title: "Offset", date: "2018-01-10T10:00:00+13:00" }),
        "jekyll.md": post({ title: "Jekyll", date: "2007-04-19 10:22:11 +0000" }),
        "plain.md": post({ title: "Plain", date: "2018-01-05" }),
      },
    });
    const outputDir = await buildOffsetSite(input, zone);
    const times = async (sitePath: string) => {
      const html = await readFile(path.join(outputDir, sitePath, "index.html"), "utf8");
      return [...parseHTML(html).document.querySelectorAll("main time")].map((time) => [time.getAttribute("datetime"), text(time)]);
    };
    expect(await times("/offset/")).toContainEqual(["2018-01-10", "January 10, 2018"]);
    expect(await times("/plain/")).toContainEqual(["2018-01-05", "January 5, 2018"]);
    // 10:22 UTC is 22:22 in Auckland, the same day.
    expect(await times("/jekyll/")).toContainEqual(["2007-04-19", "April 19, 2007"]);
    const feed = JSON.parse(await readFile(path.join(outputDir, "feed.json"), "utf8")) as { items: Array<{ url: string; date_published: string }> };
    const published = Object.fromEntries(feed.items.map((item) => [new URL(item.url).pathname, item.date_published]));
    expect(published).toEqual({ "/offset/": "2018-01-09T21:00:00Z", "/jekyll/": "2007-04-19T10:22:11Z", "/plain/": "2018-01-04T11:00:00Z" });
  });
});
