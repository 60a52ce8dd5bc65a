import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SEARCH_BUNDLE_PATH } from "../lib/content/paths.ts";
import { blogSiteInZone, buildSite, OTHER_ZONES, type BuiltSite } from "./helpers/site.ts";

const FEED_FILES = ["feed.xml", "rss.xml", "feed.json", "series/no-planned-downtime-chasm/rss.xml"];

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

/** The search index's folder: `npm run build` writes it once Eleventy is done, so the in-process build has none. */
const SEARCH_BUNDLE = SEARCH_BUNDLE_PATH.slice(1);

/** The fixture blog as this run built it, and as fresh processes under other zones built and published it. */
let here: BuiltSite;
const elsewhere = new Map<string, string>();
beforeAll(async () => {
  here = await buildSite();
  await Promise.all(OTHER_ZONES.map(async (zone) => elsewhere.set(zone, await blogSiteInZone(zone))));
});

describe.each(OTHER_ZONES)("a second build under TZ=%s", (zone) => {
  it("writes every feed byte for byte as the build under the machine's zone", async () => {
    for (const file of FEED_FILES) {
      const [a, b] = await Promise.all([readFile(path.join(here.outputDir, file)), readFile(path.join(elsewhere.get(zone)!, file))]);
      expect(a.length, file).toBeGreaterThan(1000);
      expect(b.equals(a), `${file} differs under TZ=${zone}`).toBe(true);
    }
  });

  it("writes the same files with the same bytes, pages included", async () => {
    const files = await filesUnder(here.outputDir);
    expect((await filesUnder(elsewhere.get(zone)!)).filter((file) => !file.startsWith(SEARCH_BUNDLE))).toEqual(files);
    expect(files.length).toBeGreaterThan(20);
    const differing: string[] = [];
    for (const file of files) {
      const [a, b] = await Promise.all([readFile(path.join(here.outputDir, file)), readFile(path.join(elsewhere.get(zone)!, file))]);
      if (!a.equals(b)) differing.push(file);
    }
    expect(differing).toEqual([]);
  });
});

describe("the search index", () => {
  it(`is the same, byte for byte, under TZ=${OTHER_ZONES.join(" and TZ=")}`, async () => {
    const [first, second] = OTHER_ZONES.map((zone) => path.join(elsewhere.get(zone)!, SEARCH_BUNDLE));
    const files = await filesUnder(first!);
    expect(files.length).toBeGreaterThan(5);
    expect(await filesUnder(second!)).toEqual(files);
    for (const file of files) expect((await readFile(path.join(second!, file))).equals(await readFile(path.join(first!, file))), file).toBe(true);
  });
});
