import { access, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchIndexBuilder } from "../lib/search/search-index.ts";
import { hashTree, publishedState, runBuildCli } from "./helpers/publish.ts";
import { readSearchBundle, type SearchBundle } from "./helpers/search.ts";
import { makeFixtureSite, post } from "./helpers/site.ts";

/*
 * The production build's search index, on a fixture site whose posts each carry
 * a word no other file has: a word's presence in the index says which post's
 * text was indexed. (Pagefind stems words, so the words end in letters its
 * English stemmer leaves alone.)
 */
const SERIES = "no-planned-downtime-chasm";
const WORDS = {
  published: "quixotranq",
  summary: "zanzibarq",
  draft: "draftoqueb",
  sidenote: "sidenotiq",
  seriesBoxOnly: "Ploverkip",
  scheduled: "schedulonk",
  html: "htmlwobbik",
  comment: "commentrimb",
};

const posts = {
  "indexed-one.md": post(
    { title: "Indexed part one", date: "2021-03-04", series: SERIES, part: 1, tags: ["Databases", "ops"], summary: `A summary with ${WORDS.summary} in it.` },
    `Body text with ${WORDS.published}, and a note.[^only-note]\n\n[^only-note]: The note says ${WORDS.sidenote} once.\n`,
  ),
  "indexed-two.md": post(
    { title: `Indexed part two ${WORDS.seriesBoxOnly}`, date: "2021-03-05", series: SERIES, part: 2, tags: ["ops"] },
    "The second part.\n",
  ),
  "a-draft.md": post({ title: "A draft", date: "2021-03-06", tags: ["ops"], draft: true }, `Draft text with ${WORDS.draft}.\n`),
  "a-scheduled-post.md": post({ title: "Not yet", date: "2099-01-01", tags: ["ops"] }, `Scheduled text with ${WORDS.scheduled}.\n`),
  // An HTML post, as the import writes them, with a reader's comment from the old blog.
  "an-html-post.html": `---\ntitle: "An HTML post"\ndate: 2021-03-03\ntags: [ops]\ncomments:\n  - author: A reader\n    date: 2021-03-04\n    content: "<p>A comment saying ${WORDS.comment}.</p>"\n---\n<p>HTML text with ${WORDS.html}.</p>\n`,
};

let site: string;
let bundle: SearchBundle;

beforeAll(async () => {
  site = await makeFixtureSite({ posts });
  const run = await runBuildCli(site);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  bundle = await readSearchBundle(path.join(site, "_site"));
});
afterAll(async () => {
  await rm(site, { recursive: true, force: true });
});

describe("the search index of a production build", () => {
  it("is written into the release that _site points at, at /pagefind/, with only the files the search page uses", async () => {
    const { link } = await publishedState(site);
    expect(link).toMatch(/^\.releases\/\d{8}T/);
    await access(path.join(site, link, "pagefind/pagefind.js"));
    const files = await readdir(path.join(site, link, "pagefind"));
    expect(files.filter((name) => /ui|highlight/.test(name))).toEqual([]);
    expect(files).toContain("pagefind-entry.json");
  });

  it("holds the published posts and nothing else: no listing, tag, series, notes or search page", () => {
    expect(bundle.pages.map((page) => page.url)).toEqual(["/an-html-post/", "/indexed-one/", "/indexed-two/"]);
  });

  it("indexes an HTML post's text like a markdown post's, but not its archived comments", async () => {
    expect(await readFile(path.join(site, "_site/an-html-post/index.html"), "utf8"), "the comment is on the page").toContain(WORDS.comment);
    expect(bundle.words).toContain(WORDS.html);
    expect(bundle.words).not.toContain(WORDS.comment);
  });

  it("indexes a post's title, body and summary, but not the draft's or the scheduled post's words", () => {
    expect(bundle.words).not.toContain(WORDS.scheduled);
    expect(bundle.words).toContain(WORDS.published);
    expect(bundle.words).toContain(WORDS.summary);
    expect(bundle.words).toContain(WORDS.seriesBoxOnly.toLowerCase());
    expect(bundle.words).not.toContain(WORDS.draft);
    expect(bundle.pages.some((page) => JSON.stringify(page).includes(WORDS.draft))).toBe(false);
  });

  it("keeps a footnote's text once: the endnote, not its sidenote copy", () => {
    const one = bundle.pages.find((page) => page.url === "/indexed-one/")!;
    expect(one.content.split(WORDS.sidenote).length - 1).toBe(1);
  });

  it("leaves the meta line, series box and footer out of the text", () => {
    const two = bundle.pages.find((page) => page.url === "/indexed-two/")!;
    // Part two's title is in the series box of part one: only its own page may match it.
    const one = bundle.pages.find((page) => page.url === "/indexed-one/")!;
    expect(one.content).not.toContain(WORDS.seriesBoxOnly);
    expect(two.content).toContain(WORDS.seriesBoxOnly);
    expect(two.content).not.toMatch(/min read|Tags:|Part 2 of 2/);
  });

  it("gives each result its title, date, summary and series part, and tag and series filters", () => {
    const one = bundle.pages.find((page) => page.url === "/indexed-one/")!;
    expect(one.meta).toMatchObject({
      title: "Indexed part one",
      iso: "2021-03-04",
      summary: `A summary with ${WORDS.summary} in it.`,
      part: `Part 1 of 2 in Crossing the no-downtime chasm`,
    });
    expect(one.meta.date).toMatch(/2021/);
    expect(one.meta.draft).toBeUndefined();
    expect(one.filters).toEqual({ tag: ["databases", "ops"], series: [SERIES] });
  });
});

describe("a production build under a path prefix", () => {
  it("stores each post's site path, which Pagefind's script puts under the prefix it is served from", async () => {
    const prefixed = await makeFixtureSite({ posts });
    try {
      const run = await runBuildCli(prefixed, { SITE_URL: "https://example.com/blog/" });
      expect(run.status).toBe(0);
      const { pages } = await readSearchBundle(path.join(prefixed, "_site"));
      expect(pages.map((page) => page.url)).toEqual(["/an-html-post/", "/indexed-one/", "/indexed-two/"]);
    } finally {
      await rm(prefixed, { recursive: true, force: true });
    }
  });
});

describe("a failed build", () => {
  it("leaves the published search index byte-identical", async () => {
    const before = await publishedState(site);
    expect([...before.files.keys()].filter((file) => file.startsWith("pagefind/")).length).toBeGreaterThan(5);
    await writeFile(
      path.join(site, "posts/indexed-three.md"),
      post({ title: "New words", date: "2021-03-07", tags: ["ops"] }, "Links to [nowhere](/no-such-page/).\n"),
    );
    const run = await runBuildCli(site);
    expect(run.status).toBe(1);
    expect(await publishedState(site)).toEqual(before);
  });
});

describe("the index fed while pages render", () => {
  const page = (url: string, words: string) => ({ url, content: `<html><body><main data-pagefind-body><h1>${url}</h1><p>${words}</p></main></body></html>` });
  const finalPages = [
    page("/one/", "alpha bravo"),
    page("/two/", "charlie delta"),
    page("/three/", "echo foxtrot"),
    { url: "/tags/", content: "<p>not indexed</p>" },
  ];
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  /** Feeds a builder `fed`, then writes it for the build's `finalPages`; returns the bundle's files by path and hash. */
  async function bundleOf(fed: Array<{ url: string; content: string }>): Promise<Map<string, string>> {
    const dir = await mkdtemp(path.join(tmpdir(), "search-order-"));
    dirs.push(dir);
    const builder = new SearchIndexBuilder();
    try {
      for (const one of fed) builder.add(one);
      await builder.write(dir, finalPages);
    } finally {
      await builder.close();
    }
    return hashTree(path.join(dir, "pagefind"));
  }

  it("is the index of the build's final pages in their order, whatever order they rendered in and whatever changed after", async () => {
    const inOrder = await bundleOf(finalPages);
    // Pagefind's files depend on the order pages are added: a different order gives different files...
    expect(await bundleOf([finalPages[2]!, finalPages[0]!, finalPages[1]!])).toEqual(inOrder);
    // ...and a page changed after it was indexed (or one never handed over) must not leave the old text in.
    expect(await bundleOf([page("/one/", "stale words"), finalPages[1]!, finalPages[2]!])).toEqual(inOrder);
    expect(await bundleOf([finalPages[0]!, finalPages[1]!])).toEqual(inOrder);
  });
});
