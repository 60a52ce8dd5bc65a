import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, makeFixtureSite, post, text, type BuiltSite } from "./helpers/site.ts";

/*
 * A three-part series whose part 2 is a draft. Everything that identifies the
 * draft is unique to it, so any trace of it in a production build is a leak.
 */
// The real series' slug: the about page links to its series page.
const SERIES = "no-planned-downtime-chasm";
const DRAFT = {
  slug: "quokka-draft-part-two",
  title: "Quokka interlude: the unfinished middle part",
  tag: "quokka-only-tag",
  noteTag: "quokka-only-note",
  bodyWord: "Zymurgically",
};

const posts = {
  "part-one.md": post(
    { title: "Fixture series part one", date: "2020-01-01", series: SERIES, part: 1, tags: ["shared-tag"] },
    "The first part.[^shared-note]\n\n[^shared-note]: A note every part may cite.\n",
  ),
  [`${DRAFT.slug}.md`]: post(
    { title: DRAFT.title, date: "2020-01-02", series: SERIES, part: 2, tags: ["shared-tag", DRAFT.tag], draft: true },
    `${DRAFT.bodyWord} speaking, the middle part.[^${DRAFT.noteTag}]\n\n[^${DRAFT.noteTag}]: A note only the draft cites.\n`,
  ),
  "part-three.md": post({ title: "Fixture series part three", date: "2020-01-03", series: SERIES, part: 3, tags: ["shared-tag"] }, "The last part.\n"),
};

/** Every file of a build, by path relative to the output folder. */
async function allFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, absolute), await readFile(absolute, "utf8"));
  }
  return files;
}

let input: string;
let production: BuiltSite;
let development: BuiltSite;

beforeAll(async () => {
  input = await makeFixtureSite({ posts });
  production = await buildSite({ input, env: { BLOG_DRAFTS: "0" } });
  development = await buildSite({ input, env: { BLOG_DRAFTS: "1" } });
});

afterAll(async () => {
  await production?.cleanup();
  await development?.cleanup();
  await rm(input, { recursive: true, force: true });
});

describe("a draft in a production build", () => {
  it("leaves no trace in any output file: pages, feeds, sitemap, tags, series, notes", async () => {
    const files = await allFiles(production.outputDir);
    // Sanity: the build is complete, so an empty search could not pass by accident.
    for (const expected of [
      "index.html",
      "feed.xml",
      "rss.xml",
      "feed.json",
      "sitemap.xml",
      `series/${SERIES}/rss.xml`,
      "notes/index.html",
      "archive/index.html",
      "tags/shared-tag/index.html",
      "part-one/index.html",
      "part-three/index.html",
    ]) {
      expect([...files.keys()], `the production build should contain ${expected}`).toContain(expected);
    }
    const traces = [DRAFT.title, DRAFT.slug, DRAFT.tag, DRAFT.noteTag, DRAFT.bodyWord];
    // The stylesheet styles the draft badge and the search script draws it (for the dev server); no page may carry one.
    const tracesIn = (file: string) => (file.startsWith("assets/") ? traces : [...traces, "draft-badge"]);
    const leaks = [...files].flatMap(([file, content]) =>
      tracesIn(file)
        .filter((trace) => content.includes(trace))
        .map((trace) => `${file} contains ${JSON.stringify(trace)}`),
    );
    expect(leaks).toEqual([]);
  });

  it("shows part 2 as coming soon in the series box, the series page and the pager skips it", async () => {
    for (const sitePath of ["/part-one/", "/part-three/"]) {
      const page = await production.document(sitePath);
      const parts = [...page.querySelectorAll(".series-box-parts li")].map((item) => text(item));
      expect(parts, `series box on ${sitePath}`).toEqual(["Fixture series part one", "Part 2: coming soon", "Fixture series part three"]);
    }
    const seriesPage = await production.document(`/series/${SERIES}/`);
    expect([...seriesPage.querySelectorAll(".series-part-title")].map((title) => text(title))).toEqual([
      "Fixture series part one",
      "Part 2: coming soon",
      "Fixture series part three",
    ]);
    const partThree = await production.document("/part-three/");
    expect(partThree.querySelector(".series-pager-previous")?.getAttribute("href")).toBe("/part-one/");
    const onePage = await production.document(`/series/${SERIES}/all/`);
    expect([...onePage.querySelectorAll(".series-contents li")].map((item) => text(item))).toEqual(["Fixture series part one", "Fixture series part three"]);
  });
});

describe("a draft in a dev build (BLOG_DRAFTS=1)", () => {
  it("is published at its URL and marked as a draft", async () => {
    expect(development.paths).toContain(`/${DRAFT.slug}/`);
    const page = await development.document(`/${DRAFT.slug}/`);
    expect(text(page.querySelector("h1"))).toBe(DRAFT.title);
    expect(text(page.querySelector(".post-header .draft-badge"))).toMatch(/draft/i);
  });

  it("appears, marked, in the listings and navigation, with its tag and its note", async () => {
    const home = await development.document("/");
    const draftItem = [...home.querySelectorAll(".post-summary")].find((item) => text(item).includes(DRAFT.title));
    expect(text(draftItem?.querySelector(".draft-badge"))).toMatch(/draft/i);

    const partOne = await development.document("/part-one/");
    const boxItem = [...partOne.querySelectorAll(".series-box-parts li")][1];
    expect(boxItem?.querySelector("a")?.getAttribute("href")).toBe(`/${DRAFT.slug}/`);
    expect(text(boxItem?.querySelector(".draft-badge"))).toMatch(/draft/i);

    expect(development.paths).toContain(`/tags/${DRAFT.tag}/`);
    const notes = await development.read("/notes/");
    expect(notes).toContain(DRAFT.noteTag);
  });

  it("is marked on the one-page series", async () => {
    const onePage = await development.document(`/series/${SERIES}/all/`);
    const contents = [...onePage.querySelectorAll(".series-contents li")];
    expect(contents.map((item) => item.querySelector(".draft-badge") !== null)).toEqual([false, true, false]);
  });

  it("is still absent from the sitemap, which only lists what a production build publishes", async () => {
    expect(await development.read("/sitemap.xml")).not.toContain(DRAFT.slug);
  });
});

describe("a draft part after the published ones, in a series that declares no parts", () => {
  it("changes no byte of the published output", async () => {
    const series = { "fixture-plan": { title: "A series without a plan", description: "Its parts are counted, not declared." } };
    const published = {
      "plan-one.md": post({ title: "Plan part one", date: "2020-02-01", series: "fixture-plan", part: 1, tags: ["plans"] }, "One.[^n]\n\n[^n]: A note.\n"),
      "plan-two.md": post({ title: "Plan part two", date: "2020-02-02", series: "fixture-plan", part: 2, tags: ["plans"] }, "Two.\n"),
    };
    const draft = {
      "plan-three.md": post(
        { title: "Plan part three", date: "2020-02-03", series: "fixture-plan", part: 3, tags: ["plans", "draft-only"], draft: true },
        "Three.\n",
      ),
    };
    const without = await makeFixtureSite({ posts: published, series });
    const withDraft = await makeFixtureSite({ posts: { ...published, ...draft }, series });
    const builds = [await buildSite({ input: without }), await buildSite({ input: withDraft })];
    try {
      const [before, after] = await Promise.all(builds.map((build) => allFiles(build.outputDir)));
      expect(before!.get("plan-one/index.html")).toContain("Part 1 of 2");
      expect([...after!.keys()].sort()).toEqual([...before!.keys()].sort());
      for (const [file, content] of before!) expect(after!.get(file), file).toBe(content);
    } finally {
      await Promise.all(builds.map((build) => build.cleanup()));
      await Promise.all([without, withDraft].map((dir) => rm(dir, { recursive: true, force: true })));
    }
  });
});
