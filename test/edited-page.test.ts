import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Eleventy from "@11ty/eleventy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerSavedPostFirst, editedPostFile, type ServedEleventy } from "../lib/authoring/edited-page.ts";
import { Blog } from "../lib/plugins/content-model.ts";
import { buildFixture, CONFIG, makeFixtureSite } from "./helpers/site.ts";

/*
 * The dev server writes a saved post's page before it rebuilds the rest
 * (lib/authoring/edited-page.ts). That page must be the very page a full build
 * makes of the edited content, and every edit it cannot answer alone is left
 * to the rebuild, with nothing written.
 */
const PART2 = "posts/no-planned-downtime-chasm-part2.md";
const PART2_PAGE = "no-planned-downtime-chasm-part2/index.html";
const quietLogger = { log() {}, info() {}, warn() {}, error() {} };

let site: string;
let output: string;
let original: string;
let writeEditedPostFirst: (changed: readonly string[]) => Promise<string | undefined>;

/** The dev server's Eleventy as `npm start` makes it (without serving), after its first build. */
async function servingEleventy(input: string, outputDir: string): Promise<ServedEleventy> {
  const eleventy = new Eleventy(input, outputDir, { configPath: CONFIG, quietMode: true, runMode: "serve" });
  (eleventy as unknown as { logger: { overrideLogger(logger: typeof quietLogger): void } }).logger.overrideLogger(quietLogger);
  await eleventy.write();
  return eleventy as unknown as ServedEleventy;
}

beforeAll(async () => {
  site = await makeFixtureSite({ blogPosts: true });
  output = await mkdtemp(path.join(tmpdir(), "blog-dev-"));
  original = await readFile(path.join(site, PART2), "utf8");
  // The comparison build publishes no drafts: neither does this dev server.
  process.env.BLOG_DRAFTS = "0";
  writeEditedPostFirst = answerSavedPostFirst(await servingEleventy(site, output), site);
}, 60_000);

afterAll(async () => {
  delete process.env.BLOG_DRAFTS;
  await rm(output, { recursive: true, force: true });
  await rm(site, { recursive: true, force: true });
});

async function save(file: string, text: string): Promise<string> {
  await writeFile(path.join(site, file), text);
  return path.join(site, file);
}

describe("a saved post's page, written before the rebuild", () => {
  it("is byte-identical to the page a full build makes of the edited post, title and text", async () => {
    const edited = original
      .replace(/^title: .*$/m, "title: Moving and breaking, retitled")
      .replace("Often the business knows", "Edited opening. Often the business knows");
    const saved = await save(PART2, edited);
    const before = await readFile(path.join(output, PART2_PAGE), "utf8");

    expect(await writeEditedPostFirst([saved])).toBe("/no-planned-downtime-chasm-part2/");

    const written = await readFile(path.join(output, PART2_PAGE), "utf8");
    expect(written).not.toBe(before);
    expect(written).toContain("Edited opening.");
    expect(written).toContain("Moving and breaking, retitled");
    const full = await buildFixture({ input: site });
    try {
      expect(written).toBe(await readFile(path.join(full.outputDir, PART2_PAGE), "utf8"));
    } finally {
      await full.cleanup();
    }
  }, 60_000);

  it("is left to the rebuild when the edit moves the post, breaks the content, or comes with other changes", async () => {
    const page = path.join(output, PART2_PAGE);
    const before = await readFile(page, "utf8");
    const moved = await save(PART2, original.replace("part: 2\n", "part: 2\npermalink: /moved-elsewhere/\n"));
    expect(await writeEditedPostFirst([moved])).toBeUndefined();
    const broken = await save(PART2, original.replace("date: 2018-01-05", "date: not a date"));
    expect(await writeEditedPostFirst([broken])).toBeUndefined();
    const fine = await save(PART2, original.replace("Often the business knows", "Changed. Often the business knows"));
    expect(await writeEditedPostFirst([fine, path.join(site, "_data/series.json")])).toBeUndefined();
    expect(await readFile(page, "utf8")).toBe(before);
  }, 60_000);

  it("answers only a post file: a page, data file or stylesheet is the rebuild's", () => {
    // As Eleventy names a change when the site is the working folder.
    expect(editedPostFile(["./posts/hello.md"], ".")).toBe("posts/hello.md");
    expect(editedPostFile([path.join(site, "posts/hello.md")], site)).toBe("posts/hello.md");
    expect(editedPostFile([path.join(site, "posts/old.html")], site)).toBe("posts/old.html");
    for (const other of ["pages/about.njk", "_data/series.json", "assets/site.scss", "posts/notes.txt"])
      expect(editedPostFile([path.join(site, other)], site)).toBeUndefined();
  });
});

describe("the content model the edited page was rendered with", () => {
  it("is the one the rebuild that follows takes, once; every other build loads the content again", async () => {
    const blog = new Blog();
    const options = { inputDir: site, includeDrafts: false, oneOffBuild: false };
    const first = await blog.loadAs(options);
    await save(PART2, original.replace(/^title: .*$/m, "title: Retitled once more"));
    const ahead = await blog.reload();
    expect(ahead).not.toBe(first);
    expect(ahead.byFile.get(PART2)?.title).toBe("Retitled once more");
    expect(await blog.loadAs(options)).toBe(ahead);
    const next = await blog.loadAs(options);
    expect(next).not.toBe(ahead);
    expect(next.byFile.get(PART2)?.title).toBe("Retitled once more");
    // A build with other options (drafts shown) never takes a model loaded without them.
    const withoutDrafts = await blog.reload();
    expect(await blog.loadAs({ ...options, includeDrafts: true })).not.toBe(withoutDrafts);
  });
});
