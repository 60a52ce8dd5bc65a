import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCorpus, PARTS_PER_SERIES } from "../lib/bench/corpus.ts";
import { toEleventyBaseBlogPost } from "../lib/bench/eleventy-base-blog.ts";
import { measureEleventyFloorBuild, writeEleventyFloorSite } from "../lib/bench/eleventy-floor.ts";
import { hugoVersion, measureHugoBuild, toHugoPost, writeHugoSite } from "../lib/bench/hugo.ts";
import { pairedRatios, pairedRuns, spread, type Contestant } from "../lib/bench/pairing.ts";
import { compareReleases } from "../lib/bench/same-output.ts";
import type { CommandSample } from "../lib/bench/timing.ts";
import { CARRIED_MANIFEST } from "../lib/publish/releases.ts";

// The benchmark's instrument: the corpus as a Hugo site, the pairing of runs
// in turn, the ratios run by run, and the byte-for-byte comparison of releases.
// No timed assertion: only that the right work is done and counted.
const corpus = generateCorpus(6, { code: true });
const sample = (wallMs: number, cpuMs = wallMs): CommandSample => ({ wallMs, cpuMs, peakBytes: 1 });

describe("the pairing of runs", () => {
  it("runs each contestant in turn, run after run", async () => {
    const order: string[] = [];
    const contestant = (name: string): Contestant => ({ name, run: async (run) => (order.push(`${name} ${run}`), sample(run + 1)) });
    const samples = await pairedRuns(3, [contestant("ours"), contestant("hugo")]);
    expect(order).toEqual(["ours 0", "hugo 0", "ours 1", "hugo 1", "ours 2", "hugo 2"]);
    expect(samples.get("ours")!.map((s) => s.wallMs)).toEqual([1, 2, 3]);
  });

  it("gives our time over theirs run by run, as median (min–max), for wall and CPU time apart", () => {
    // Run by run: 2/1, 4/1, 6/2 → 2, 4, 3. Medians of each side would give 4/1 instead.
    const ratios = pairedRatios([sample(2, 1), sample(4, 1), sample(6, 1)], [sample(1, 1), sample(1, 2), sample(2, 4)]);
    expect(ratios.wall).toEqual({ median: 3, min: 2, max: 4 });
    expect(ratios.cpu).toEqual({ median: 0.5, min: 0.25, max: 1 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
  });

  it("refuses runs that do not pair up", () => {
    expect(() => pairedRatios([sample(1)], [sample(1), sample(2)])).toThrow(/as many runs/);
  });
});

describe("a generated post, converted", () => {
  const [file, text] = [...corpus.files][1]!;

  it("gives Hugo its series as a taxonomy list and keeps the rest", () => {
    const converted = toHugoPost(text);
    expect(converted).toContain(`series: [${corpus.posts[1]!.seriesSlug}]`);
    expect(converted.replace(/^series: .*$/m, "")).toBe(text.replace(/^series: .*$/m, ""));
    expect(file).toBe(`${corpus.posts[1]!.slug}.md`);
  });

  it("points links between posts at the Eleventy starter's /blog/ URLs", () => {
    const converted = toEleventyBaseBlogPost(text);
    expect(converted).toContain(`](/blog${corpus.posts[1]!.linksTo})`);
    expect(converted).not.toMatch(/\]\(\/generated-post-/);
  });
});

describe("releases compared byte for byte", () => {
  let dir: string;
  const release = async (name: string, files: Record<string, string>) => {
    const releaseDir = path.join(dir, name);
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(releaseDir, file)), { recursive: true });
      await writeFile(path.join(releaseDir, file), text);
    }
    return { name, dir: releaseDir };
  };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "bench-releases-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("finds none where only the release's name and the previous release's carried files differ", async () => {
    const warm = await release("r-warm", {
      "index.html": "<p>built in r-warm</p>",
      "assets/site.1.css": "a",
      "assets/old.css": "x",
      [`assets/${CARRIED_MANIFEST}`]: '["old.css"]',
    });
    const cold = await release("r-cold", { "index.html": "<p>built in r-cold</p>", "assets/site.1.css": "a" });
    expect(await compareReleases(warm, cold)).toEqual([]);
  });

  it("names every file that differs or is missing on one side", async () => {
    const warm = await release("a-warm", { "index.html": "one", "post/index.html": "same", "only-warm.html": "" });
    const cold = await release("a-cold", { "index.html": "two", "post/index.html": "same", "only-cold.html": "" });
    expect(await compareReleases(warm, cold)).toEqual(["index.html: differs", "only-cold.html: only in a-cold", "only-warm.html: only in a-warm"]);
  });
});

describe("the corpus as a bare Eleventy site, built", () => {
  let floorDir: string;
  let built: CommandSample;
  beforeAll(async () => {
    floorDir = await writeEleventyFloorSite(corpus);
    built = await measureEleventyFloorBuild(floorDir, 0);
  }, 60_000);
  afterAll(async () => {
    if (floorDir) await rm(floorDir, { recursive: true, force: true });
  });

  it("makes one page per post from the trivial layout, its markdown rendered, and is measured", async () => {
    const pages = (await readdir(path.join(floorDir, "_site-0"), { recursive: true })).filter((file) => file.endsWith(".html"));
    expect(pages).toHaveLength(corpus.posts.length);
    const [file, text] = [...corpus.files][0]!;
    const { document } = parseHTML(await readFile(path.join(floorDir, "_site-0/posts", path.basename(file, ".md"), "index.html"), "utf8"));
    expect(document.querySelector("title")?.textContent).toBe(/^title: "?(.*?)"?$/m.exec(text)?.[1]);
    expect(document.querySelector("main p")).not.toBeNull();
    expect(built.wallMs).toBeGreaterThan(0);
  });
});

// CI installs Debian's hugo (.ci/run): this runs there.
describe.skipIf(!hugoVersion())("the corpus as a Hugo site, built", () => {
  let hugoDir: string;
  let built: CommandSample;
  const page = async (sitePath: string) => parseHTML(await readFile(path.join(hugoDir, "public-0", sitePath, "index.html"), "utf8")).document;
  const feedItems = async (sitePath: string) => {
    const feed = new XMLParser({ isArray: (name) => name === "item" }).parse(await readFile(path.join(hugoDir, "public-0", sitePath, "index.xml"), "utf8"));
    return feed.rss.channel.item as Array<{ title: string; description: string }>;
  };
  beforeAll(async () => {
    hugoDir = await writeHugoSite(corpus);
    built = await measureHugoBuild(hugoDir, 0);
  }, 60_000);
  afterAll(async () => {
    if (hugoDir) await rm(hugoDir, { recursive: true, force: true });
  });

  it("is measured: wall time, CPU time and peak memory", () => {
    expect(built.wallMs).toBeGreaterThan(0);
    expect(built.peakBytes).toBeGreaterThan(1024 * 1024);
    expect(Number.isFinite(built.cpuMs)).toBe(true);
  });

  it("gives each post its series' parts in order, its own marked, with footnotes and highlighted code", async () => {
    const post = corpus.posts[1]!;
    const document = await page(post.slug);
    const parts = corpus.posts.filter((other) => other.seriesSlug === post.seriesSlug);
    expect(parts).toHaveLength(PARTS_PER_SERIES);
    expect([...document.querySelectorAll(".series-box a[href^='/generated']")].map((link) => link.getAttribute("href"))).toEqual(
      parts.map((part) => `/${part.slug}/`),
    );
    expect(document.querySelector(".series-box [aria-current=page]")?.getAttribute("href")).toBe(`/${post.slug}/`);
    expect(document.querySelector(".series-box a[href^='/series/']")?.textContent).toBe(corpus.series[0]!.title);
    expect(document.querySelector("a[rel=prev]")?.getAttribute("href")).toBe(`/${parts[0]!.slug}/`);
    expect(document.querySelector("a[rel=next]")?.getAttribute("href")).toBe(`/${parts[2]!.slug}/`);
    expect(document.querySelectorAll(".footnotes li")).toHaveLength(1);
    expect(document.querySelectorAll("pre code .k, pre code [class]").length).toBeGreaterThan(0);
  });

  it("makes tag, series, home and archive pages", async () => {
    const tagged = corpus.posts.filter((post) => post.tags.includes("databases"));
    expect((await page("tags/databases")).querySelectorAll("main li")).toHaveLength(tagged.length);
    expect((await page(`series/${corpus.series[1]!.slug}`)).querySelector("h1")?.textContent).toBe(corpus.series[1]!.title);
    expect((await page("")).querySelectorAll("main article")).toHaveLength(corpus.posts.length);
    expect((await page("archive")).querySelectorAll("main li a")).toHaveLength(corpus.posts.length);
  });

  it("makes feeds for the site, each series and each tag, with the posts' full text", async () => {
    expect(await feedItems("")).toHaveLength(corpus.posts.length);
    expect(await feedItems(`series/${corpus.series[0]!.slug}`)).toHaveLength(PARTS_PER_SERIES);
    const tagged = await feedItems("tags/databases");
    expect(tagged).toHaveLength(corpus.posts.filter((post) => post.tags.includes("databases")).length);
    expect(tagged[0]!.description).toContain("Lessons learned");
  });
});
