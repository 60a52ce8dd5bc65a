import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitFrontMatter } from "../lib/content/front-matter.ts";
import { parseJekyllDate } from "../lib/import/jekyll-dates.ts";
import { runImport, type ImportRun } from "./helpers/import.ts";
import { buildSite, makeFixtureSite, text, type BuiltSite } from "./helpers/site.ts";

/*
 * Jekyll reads a date without an offset in the site's `timezone:`, and takes
 * a post's URL parts from its date in that zone. Auckland is 13 hours ahead of
 * UTC in March: a morning there is the day before in UTC.
 */
const CONFIG = ["title: An Auckland blog", 'url: "https://nz.example.com"', "permalink: /:year/:month/:day/:title/", "timezone: Pacific/Auckland", ""].join(
  "\n",
);
const POSTS: Record<string, string> = {
  // A day from the file name only: midnight in Auckland, 11:00 UTC the day before.
  "2015-03-02-from-the-name.md": "---\ntitle: From the name\n---\nA day.\n",
  // A morning without an offset: Auckland's morning, the evening before in UTC.
  "2015-03-03-a-morning.md": "---\ntitle: A morning\ndate: 2015-03-03 08:00:00\n---\nA morning.\n",
  // An evening in UTC with its offset: already the next morning in Auckland, where Jekyll dated its URL.
  "2015-02-28-an-evening-in-utc.html": "---\ntitle: An evening in UTC\ndate: '2015-02-28 20:00:00 +0000'\n---\n<p>An evening.</p>\n",
};

describe("Jekyll's timezone: in _config.yml", () => {
  it("reads dates without an offset in that zone, and gives URL parts in that zone", () => {
    expect(parseJekyllDate("2015-03-03 08:00:00", "Pacific/Auckland")).toEqual({
      iso: "2015-03-03T08:00:00+13:00",
      wall: { year: 2015, month: 3, day: 3, hour: 8, minute: 0, second: 0 },
    });
    expect(parseJekyllDate("2015-07-03 08:00:00", "Pacific/Auckland")?.iso).toBe("2015-07-03T08:00:00+12:00");
    expect(parseJekyllDate("2015-02-28 20:00:00 +0000", "Pacific/Auckland")).toEqual({
      iso: "2015-02-28T20:00:00+00:00",
      wall: { year: 2015, month: 3, day: 1, hour: 9, minute: 0, second: 0 },
    });
    expect(parseJekyllDate("2015-03-02", "Pacific/Auckland")?.iso).toBe("2015-03-02");
  });

  describe("an imported blog written in Auckland, built", () => {
    let source: string;
    let input: string;
    let run: ImportRun;
    let site: BuiltSite;

    beforeAll(async () => {
      source = await mkdtemp(path.join(tmpdir(), "jekyll-auckland-"));
      await mkdir(path.join(source, "_posts"));
      await writeFile(path.join(source, "_config.yml"), CONFIG);
      for (const [name, content] of Object.entries(POSTS)) await writeFile(path.join(source, "_posts", name), content);
      input = await makeFixtureSite();
      run = await runImport(source, input);
      site = await buildSite({ input });
    });
    afterAll(async () => {
      await site?.cleanup();
      await rm(source, { recursive: true, force: true });
      await rm(input, { recursive: true, force: true });
    });

    const dateOf = async (file: string) => (splitFrontMatter(await readFile(path.join(input, "posts", file), "utf8")).data as Record<string, unknown>).date;

    it("writes each date as the instant Jekyll read", async () => {
      expect(run.code).toBe(0);
      expect(await dateOf("from-the-name.md")).toBe("2015-03-02");
      expect(await dateOf("a-morning.md")).toBe("2015-03-03T08:00:00+13:00");
      expect(await dateOf("an-evening-in-utc.html")).toBe("2015-02-28T20:00:00+00:00");
    });

    it("takes the site's time zone from the old blog, and says so", async () => {
      expect(JSON.parse(await readFile(path.join(input, "_data/site.json"), "utf8")).timeZone).toBe("Pacific/Auckland");
      expect(run.stdout).toContain('_data/site.json: timeZone set to "Pacific/Auckland"');
    });

    it("serves each post at Jekyll's URL, dated on the day Jekyll gave it", async () => {
      const expected = [
        ["/2015/03/02/from-the-name/", "2015-03-02", "2015-03-01T11:00:00Z"],
        ["/2015/03/03/a-morning/", "2015-03-03", "2015-03-02T19:00:00Z"],
        ["/2015/03/01/an-evening-in-utc/", "2015-03-01", "2015-02-28T20:00:00Z"],
      ];
      const feed = await site.read("/feed.xml");
      for (const [url, day, instant] of expected) {
        const page = await site.document(url!);
        expect(page.querySelector(".post-header time")!.getAttribute("datetime"), url).toBe(day);
        expect(feed).toMatch(new RegExp(`<id>[^<]*${url!.replace(/\/$/, "")}</id>(?:(?!</entry>)[\\s\\S])*<published>${instant}</published>`));
      }
      expect(text((await site.document("/2015/03/01/an-evening-in-utc/")).querySelector("h1"))).toBe("An evening in UTC");
    });

    it("changes nothing when imported again", async () => {
      const again = await runImport(source, input);
      expect(again.stdout).toMatch(/^Wrote 0 files\./);
    });
  });
});
