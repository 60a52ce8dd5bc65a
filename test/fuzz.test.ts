import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { XMLValidator } from "fast-xml-parser";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { findContentError } from "../lib/content/issues.ts";
import { loadContent, type ContentModel } from "../lib/content/model.ts";
import { permalinkProblem } from "../lib/content/paths.ts";
import { PAGE } from "../lib/content/post-source.ts";
import { atomFeed, jsonFeed, latestPosts, rssFeed } from "../lib/plugins/feeds.ts";
import { buildSite, makeFixtureSite } from "./helpers/site.ts";

/*
 * Property-based tests over front matter and markdown: random YAML values for
 * every field, Unicode titles and tags, footnote tags, permalinks and file
 * names. For every case the content either loads, and every post's page HTML
 * and every feed is well-formed, or it fails with content errors that each name
 * a file. Never another exception, a hang or a stack trace.
 *
 * The budget is fixed (runs and seconds); FUZZ_RUNS, FUZZ_SECONDS and FUZZ_SEED
 * change it. The seed is printed, so a failure can be replayed with FUZZ_SEED.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 60);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

const SERIES = { "fuzz-series": { title: "Fuzz series", description: "A series the fuzzer numbers its parts in." } };
const SITE = {
  title: "Fuzz",
  tagline: "t",
  description: "d",
  language: "en",
  url: "https://fuzz.example",
  author: { name: "A" },
  homePostCount: 10,
  feedPostCount: 20,
};

const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", " ", "C++", "C#", "日本語", "Русский", "tag", "\u0001", "]]>", "<b>x</b>", "&amp;", "'\"", "---"),
);
const yamlValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: anyText },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(anyText, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), anyText, { maxKeys: 3 }) },
);
const date = fc.oneof(
  fc.date({ min: new Date("1990-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }).map((day) => day.toISOString().slice(0, 10)),
  fc.constantFrom("2018-01-10T10:00:00+13:00", "2007-04-19 10:22:11 +0000", "2018-02-30", "2018-13-01", "yesterday", "2018-01-10T25:00:00Z"),
  yamlValue,
);
const segment = fc.oneof(
  fc.constantFrom("", ".", "..", "x", "日本", "%2e%2e", "a b", "https:", "feed.xml", "index.html", "tags", "_headers", "?", "#"),
  fc.string({ maxLength: 6 }),
);
const permalink = fc.array(segment, { minLength: 0, maxLength: 4 }).map((segments) => `/${segments.join("/")}/`);
const footnoteTag = fc.oneof(fc.constantFrom("a", "note-1", "c d", "x_y", "日本", "", "]"), fc.string({ maxLength: 6 }));
const body = fc.tuple(fc.array(footnoteTag, { maxLength: 3 }), fc.array(footnoteTag, { maxLength: 3 }), anyText).map(([refs, defs, text]) => {
  const references = refs.map((tag) => `[^${tag}]`).join(" ");
  const definitions = defs.map((tag) => `[^${tag}]: A note.`).join("\n\n");
  return `Text ${text} ${references}\n\n${definitions}\n`;
});
const fileName = fc
  .oneof(
    fc.constantFrom("post", "My Post", "..", "%2e%2e", "feed.xml", "archive", "café", "日本語", "a-b", "index"),
    fc.stringMatching(/^[a-z0-9-]{1,12}$/),
    fc.string({ minLength: 1, maxLength: 12 }),
  )
  .filter((name) => !/[/\u0000]/.test(name) && Buffer.byteLength(name) < 200);

const hostileFrontMatter = fc.record(
  {
    title: anyText,
    date,
    updated: date,
    series: fc.oneof(fc.constant("fuzz-series"), yamlValue),
    part: fc.oneof(fc.integer({ min: -2, max: 120 }), fc.constant(20180110), yamlValue),
    tags: fc.oneof(fc.array(anyText, { maxLength: 4 }), yamlValue),
    summary: anyText,
    draft: fc.oneof(fc.boolean(), yamlValue),
    permalink: fc.oneof(permalink, yamlValue),
  },
  { requiredKeys: [] },
);
/** Front matter the schema accepts, with hostile text in it: most cases should load, so their outputs are checked. */
const plausibleFrontMatter = fc.record(
  {
    title: fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).filter((title) => title.trim() !== ""),
    date: fc.oneof(
      fc.date({ min: new Date("1990-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }).map((day) => day.toISOString().slice(0, 10)),
      fc.constantFrom("2018-01-10T10:00:00+13:00", "2007-04-19 10:22:11 +0000"),
    ),
    tags: fc.array(
      anyText.filter((tag) => tag.trim() !== ""),
      { maxLength: 3 },
    ),
    summary: anyText.filter((summary) => summary.trim() !== ""),
    permalink: fc.oneof({ weight: 1, arbitrary: permalink }, { weight: 3, arbitrary: fc.stringMatching(/^\/[a-z0-9-]{1,10}\/(?:[a-z0-9-]{1,10}\/)?$/) }),
  },
  { requiredKeys: ["title", "date"] },
);
const frontMatter = fc.oneof({ weight: 3, arbitrary: plausibleFrontMatter }, { weight: 1, arbitrary: hostileFrontMatter });
/** A body whose notes match their references, with hostile text around them. */
const plausibleBody = fc.tuple(fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,8}$/), { maxLength: 3 }), anyText).map(([tags, text]) => {
  const references = tags.map((tag) => `[^${tag}]`).join(" ");
  return `Text ${text.replace(/[[\]]/g, "")} ${references}\n\n${tags.map((tag) => `[^${tag}]: A note.`).join("\n\n")}\n`;
});
const slugName = fc.stringMatching(/^[a-z0-9]{1,8}(?:-[a-z0-9]{1,8}){0,2}$/);
const postFile = fc.oneof(
  { weight: 3, arbitrary: fc.record({ name: slugName, frontMatter: plausibleFrontMatter, body: plausibleBody, rawYaml: fc.constant(null) }) },
  { weight: 1, arbitrary: fc.record({ name: fc.oneof(slugName, fileName), frontMatter, body, rawYaml: fc.option(anyText, { freq: 6 }) }) },
);
const corpus = fc.uniqueArray(postFile, { minLength: 1, maxLength: 3, selector: (file) => file.name.normalize("NFC").toLowerCase() });

interface PostCase {
  name: string;
  frontMatter: Record<string, unknown>;
  body: string;
  rawYaml: string | null;
}

function source(file: PostCase): string {
  // Mostly well-formed YAML (so the schema is what is tested); sometimes raw text.
  const yamlText = file.rawYaml ?? stringify(file.frontMatter, { lineWidth: 0 });
  return `---\n${yamlText}---\n${file.body}`;
}

/** What a reader's software would reject in the outputs of a loaded model; [] when all is well-formed. */
function malformedOutputs(model: ContentModel): string[] {
  const problems: string[] = [];
  const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
  for (const post of model.posts) {
    if (permalinkProblem(post.sitePath)) problems.push(`${post.file}: published at ${JSON.stringify(post.sitePath)}`);
    if (controls.test(post.title) || controls.test(post.render(PAGE))) problems.push(`${post.file}: a control character reaches its page`);
  }
  const posts = latestPosts(model);
  for (const [name, xml] of [
    ["atom", atomFeed(model, posts, "/feed.xml")],
    ["rss", rssFeed(model, posts, "/rss.xml", { title: "t", description: "d", sitePath: "/" })],
  ] as const) {
    const valid = XMLValidator.validate(xml);
    if (valid !== true) problems.push(`${name}: ${valid.err.msg}`);
  }
  try {
    JSON.parse(jsonFeed(model, posts, "/feed.json"));
  } catch (error) {
    problems.push(`json: ${(error as Error).message}`);
  }
  return problems;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "blog-fuzz-"));
  await mkdir(path.join(dir, "_data"));
  await writeFile(path.join(dir, "_data/site.json"), JSON.stringify(SITE));
  await writeFile(path.join(dir, "_data/series.json"), JSON.stringify(SERIES));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function writePosts(files: readonly PostCase[]): Promise<void> {
  await rm(path.join(dir, "posts"), { recursive: true, force: true });
  await mkdir(path.join(dir, "posts"));
  for (const file of files) await writeFile(path.join(dir, "posts", `${file.name}.md`), source(file));
}

describe(`fuzzing front matter and markdown (seed ${SEED}, ${RUNS} runs, at most ${SECONDS} s)`, () => {
  it(
    "loads into well-formed outputs, or fails with content errors that each name a file",
    async () => {
      console.info(`fuzz: seed ${SEED}; replay with FUZZ_SEED=${SEED}`);
      // Hostile cases warn about what they had removed; thousands of warnings would bury the result.
      const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
      let loaded = 0;
      let refused = 0;
      const result = await fc.check(
        fc.asyncProperty(corpus, async (files) => {
          await writePosts(files);
          const names = new Set((await readdir(path.join(dir, "posts"))).map((name) => `posts/${name}`));
          try {
            const model = await loadContent({ inputDir: dir, includeDrafts: false, oneOffBuild: true });
            loaded++;
            expect(malformedOutputs(model)).toEqual([]);
          } catch (error) {
            const contentError = findContentError(error);
            if (!contentError) throw error;
            refused++;
            if (process.env.FUZZ_VERBOSE) console.info(contentError.issues.map((issue) => issue.expected.slice(0, 80)).join(" | "));
            for (const issue of contentError.issues) {
              expect(issue.file === "_data/feed-ids.json" || names.has(issue.file), `an issue names ${issue.file}`).toBe(true);
              expect(issue.expected.length).toBeLessThan(2000);
            }
          }
        }),
        { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
      );
      warn.mockRestore();
      console.info(`fuzz: ${result.numRuns} cases (${loaded} loaded, ${refused} refused with content errors) in seed ${SEED}`);
      if (result.failed) throw new Error(`${fc.defaultReportMessage(result)}\nreplay with FUZZ_SEED=${SEED}`);
      expect(result.numRuns).toBeGreaterThan(0);
      // Both outcomes are exercised: outputs are checked, and refusals are.
      expect(loaded).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    },
    (SECONDS + 60) * 1000,
  );
});

describe("fuzzed posts through a full build", () => {
  it("a build of generated hostile-but-valid posts passes every check, links included", async () => {
    const titles = fc.sample(fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }), { seed: SEED, numRuns: 5 });
    const tags = fc.sample(fc.constantFrom("日本語", "Русский", "C++", "C#", "tag", "Zero downtime", "ünïcödé"), { seed: SEED, numRuns: 5 });
    const posts: Record<string, string> = {};
    titles.forEach((title, index) => {
      posts[`fuzzed-${index}.md`] =
        `---\n${stringify({ title: title.trim() === "" ? "x" : title, date: "2020-01-0" + (index + 1), tags: [tags[index]] }, { lineWidth: 0 })}---\nText.[^n${index}] [back](/fuzzed-${(index + 1) % 5}/)\n\n[^n${index}]: A note.\n`;
    });
    const input = await makeFixtureSite({ posts });
    try {
      const site = await buildSite({ input });
      expect(site.paths).toContain("/fuzzed-0/");
      await site.cleanup();
    } finally {
      await rm(input, { recursive: true, force: true });
    }
  });
});
