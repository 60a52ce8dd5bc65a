import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { generateCorpus, postSlug } from "../lib/bench/corpus.ts";
import { POST_CACHE_DIR } from "../lib/content/post-cache.ts";
import { postsRendered } from "../lib/content/post-workers.ts";
import { expectSameFolders } from "./helpers/folders.ts";
import { buildFixture, post, type BuiltSite, writeCorpusFixture } from "./helpers/site.ts";

// Twelve generated posts with code, the fixture blog's series, and a post with a small image.
const corpus = generateCorpus(12, { code: true });
const PICTURE = "images/small.png";
const smallImage = (width: number) => sharp({ create: { width, height: width / 2, channels: 3, background: { r: 20, g: 90, b: width % 256 } } }).png();
const NOW = "2026-01-01T00:00:00Z";
const STANDALONE = "a-standalone-post.md";

let dir: string;
const built: BuiltSite[] = [];

/** A build of the site as it is now: with the cache (warm), or without reading or writing it (cold). */
async function build(cache: "warm" | "cold", env: Record<string, string> = {}): Promise<{ site: BuiltSite; rendered: number }> {
  // Each build starts from no published feed ids: renaming and deleting posts is the point here.
  await rm(path.join(dir, "_data/feed-ids.json"), { force: true });
  const before = postsRendered().rendered;
  const site = await buildFixture({ input: dir, env: { BLOG_NOW: NOW, BLOG_CACHE: cache === "warm" ? "1" : "0", BLOG_WORKERS: "0", ...env } });
  built.push(site);
  return { site, rendered: postsRendered().rendered - before };
}

const entries = async () => (await readdir(path.join(dir, POST_CACHE_DIR))).sort();
const postCount = async () => (await readdir(path.join(dir, "posts"))).filter((name) => name.endsWith(".md")).length;

beforeAll(async () => {
  dir = await writeCorpusFixture(corpus);
  await mkdir(path.join(dir, "images"), { recursive: true });
  await smallImage(200).toFile(path.join(dir, PICTURE));
  await writeFile(
    path.join(dir, "posts/a-post-with-a-picture.md"),
    post({ title: "A picture", date: new Date("2025-05-01"), tags: ["testing"] }, `![A small picture](/${PICTURE})\n`),
  );
  // One post nothing links to, to delete.
  await writeFile(
    path.join(dir, "posts", STANDALONE),
    post({ title: "A standalone post", date: new Date("2025-06-01"), tags: ["testing"] }, "Words of its own.\n"),
  );
  await build("warm");
});
afterAll(async () => {
  await Promise.all(built.map((site) => site.cleanup()));
  await rm(dir, { recursive: true, force: true });
});

describe("the post cache", () => {
  it("keeps one entry per post, and a second build renders none of them again", async () => {
    expect(await entries()).toHaveLength(await postCount());
    const { rendered } = await build("warm");
    expect(rendered).toBe(0);
  });

  it("gives the cold build's output byte for byte after an edit, rendering only the edited post", async () => {
    const file = path.join(dir, "posts", `${postSlug(4)}.md`);
    await writeFile(file, (await readFile(file, "utf8")).replace("Opening words of the post.", "Opening words of the post, edited."));
    const warm = await build("warm");
    expect(warm.rendered).toBe(1);
    const cold = await build("cold");
    expect(cold.rendered).toBe(await postCount());
    expect(await warm.site.read(`/${postSlug(4)}/`)).toContain("Opening words of the post, edited.");
    await expectSameFolders(warm.site.outputDir, cold.site.outputDir);
  });

  it("gives the cold build's output after a rename, rendering the renamed post under its new name", async () => {
    await rename(path.join(dir, "posts", `${postSlug(7)}.md`), path.join(dir, "posts", "a-renamed-post.md"));
    const warm = await build("warm");
    expect(warm.rendered).toBe(1);
    expect(warm.site.paths).toContain("/a-renamed-post/");
    expect(warm.site.paths).not.toContain(`/${postSlug(7)}/`);
    const cold = await build("cold");
    await expectSameFolders(warm.site.outputDir, cold.site.outputDir);
  });

  it("gives the cold build's output after a deletion, and prunes what no post uses", async () => {
    await rm(path.join(dir, "posts", STANDALONE));
    const warm = await build("warm");
    expect(warm.rendered).toBe(0);
    expect(warm.site.paths).not.toContain("/a-standalone-post/");
    const cold = await build("cold");
    await expectSameFolders(warm.site.outputDir, cold.site.outputDir);
    // Entries unused by this build are kept only up to as many as it used.
    expect((await entries()).length).toBeLessThanOrEqual(2 * (await postCount()));
  });

  it("renders a post again when an image it shows changes, though its text did not", async () => {
    await smallImage(300).toFile(path.join(dir, PICTURE));
    const warm = await build("warm");
    expect(warm.rendered).toBe(1);
    expect(await warm.site.read("/a-post-with-a-picture/")).toContain('width="300" height="150"');
    const cold = await build("cold");
    await expectSameFolders(warm.site.outputDir, cold.site.outputDir);
  });

  it("ignores, and replaces, a truncated entry, an altered one and one from another renderer version", async () => {
    // A cache of this site's posts alone, so each entry spoilt is one a post uses.
    await rm(path.join(dir, POST_CACHE_DIR), { recursive: true });
    await build("warm");
    const [truncated, altered, foreign] = await entries();
    const entryFile = (name: string) => path.join(dir, POST_CACHE_DIR, name!);
    await truncate(entryFile(truncated!), 100);
    const bytes = await readFile(entryFile(altered!));
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    await writeFile(entryFile(altered!), bytes);
    // Another version's entry under this version's name, with a valid digest: only its version tells.
    const entry = deserialize((await readFile(entryFile(foreign!))).subarray(32)) as { version: string; post: { renders: Record<string, string> } };
    entry.version = "an older renderer";
    for (const key of Object.keys(entry.post.renders)) entry.post.renders[key] = "<p>stale</p>";
    const payload = serialize(entry);
    await writeFile(entryFile(foreign!), Buffer.concat([createHash("sha256").update(payload).digest(), payload]));

    const warm = await build("warm");
    expect(warm.rendered).toBe(3);
    const cold = await build("cold");
    await expectSameFolders(warm.site.outputDir, cold.site.outputDir);
    // Written again, whole: the next build trusts them.
    expect((await build("warm")).rendered).toBe(0);
  });

  it("renders every post again when a setting rendering reads changes (the deployment's address)", async () => {
    const { site, rendered } = await build("warm", { SITE_URL: "https://preview.example.org/" });
    expect(rendered).toBe(await postCount());
    expect(await site.read(`/${postSlug(0)}/`)).toContain("https://preview.example.org/");
    expect(await site.read("/feed.xml")).toContain(`https://preview.example.org/${postSlug(0)}/#`);
  });

  it("keeps no entry for a post with a content error", async () => {
    await build("warm");
    const before = await entries();
    await writeFile(path.join(dir, "posts", "broken.md"), "---\ntitle: Broken\ndate: not a date\n---\nText.\n");
    await expect(build("warm")).rejects.toThrow(/posts\/broken\.md:3: date:/);
    expect((await entries()).filter((name) => !before.includes(name))).toEqual([]);
    await rm(path.join(dir, "posts", "broken.md"));
  });
});
