import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { buildInTimeZone, buildSite, type BuiltSite } from "./helpers/site.ts";

const FEED_FILES = ["feed.xml", "rss.xml", "feed.json", "series/no-planned-downtime-chasm/rss.xml"];
// One zone ahead of UTC (+13 in January) and one behind (-8): a date that follows the
// machine's zone moves to the next or the previous day in one of them.
const ZONES = ["Pacific/Auckland", "America/Los_Angeles"];

/**
 * Builds the fixture blog in a fresh Node process with TZ set, since a process
 * reads its zone when it first uses Date and this one already has.
 */
async function buildInZone(timeZone: string): Promise<string> {
  const outputDir = await mkdtemp(path.join(tmpdir(), "blog-tz-"));
  await buildInTimeZone(inject("blogSite").input, outputDir, timeZone);
  return outputDir;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

let here: BuiltSite;
const elsewhere = new Map<string, string>();
beforeAll(async () => {
  here = await buildSite({ env: { SITE_URL: undefined } });
  for (const zone of ZONES) elsewhere.set(zone, await buildInZone(zone));
});
afterAll(async () => {
  await here.cleanup();
  for (const dir of elsewhere.values()) await rm(dir, { recursive: true, force: true });
});

describe.each(ZONES)("a second build under TZ=%s", (zone) => {
  it("writes every feed byte for byte as this process's build", async () => {
    for (const file of FEED_FILES) {
      const [a, b] = await Promise.all([readFile(path.join(here.outputDir, file)), readFile(path.join(elsewhere.get(zone)!, file))]);
      expect(a.length, file).toBeGreaterThan(1000);
      expect(b.equals(a), `${file} differs under TZ=${zone}`).toBe(true);
    }
  });

  it("writes the same files with the same bytes, pages included", async () => {
    const files = await filesUnder(here.outputDir);
    expect(await filesUnder(elsewhere.get(zone)!)).toEqual(files);
    expect(files.length).toBeGreaterThan(20);
    const differing: string[] = [];
    for (const file of files) {
      const [a, b] = await Promise.all([readFile(path.join(here.outputDir, file)), readFile(path.join(elsewhere.get(zone)!, file))]);
      if (!a.equals(b)) differing.push(file);
    }
    expect(differing).toEqual([]);
  });
});
