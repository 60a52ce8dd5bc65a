import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextPart, parsePostText, postText, utcDay } from "../lib/authoring/scaffold.ts";
import { splitFrontMatter } from "../lib/content/front-matter.ts";
import { loadContent } from "../lib/content/model.ts";
import { SLUG, slugify } from "../lib/content/paths.ts";
import { PostFrontMatterSchema } from "../lib/content/schema.ts";
import { buildSite, commandLine, makeFixtureSite, post, REPO, text } from "./helpers/site.ts";

const SERIES = "no-planned-downtime-chasm";
const TITLE = "Crossing the no-downtime chasm - part 5: what's left";

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run new` as the author runs it, against a fixture folder. */
async function runNew(input: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, commandLine("cli/new-post", ...args, "--input", input), { cwd: REPO });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let input: string;
let created: CliResult;
let dayBefore: string;
let dayAfter: string;

beforeAll(async () => {
  // The real parts 1-3, and a draft part 4: drafts hold their part number too.
  input = await makeFixtureSite({
    blogPosts: true,
    posts: { "unfinished-part-four.md": post({ title: "An unfinished part four", date: "2018-02-01", series: SERIES, part: 4, draft: true }) },
  });
  dayBefore = utcDay(new Date());
  created = await runNew(input, TITLE, "--series", SERIES);
  dayAfter = utcDay(new Date());
});

afterAll(() => rm(input, { recursive: true, force: true }));

describe("npm run new", () => {
  const file = `posts/${slugify(TITLE)}.md`;

  it("writes posts/<slug>.md and prints its path", () => {
    expect(created.code, created.stderr).toBe(0);
    expect(file).toBe("posts/crossing-the-no-downtime-chasm-part-5-whats-left.md");
    expect(created.stdout.trim()).toBe(path.relative(REPO, path.join(input, file)));
  });

  it("writes front matter the build's parser and schema accept: today's date, the next free part, a draft", async () => {
    const source = await readFile(path.join(input, file), "utf8");
    const result = PostFrontMatterSchema.safeParse(splitFrontMatter(source).data);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    const fields = result.data!;
    expect(fields.title).toBe(TITLE);
    expect(fields.series).toBe(SERIES);
    expect(fields.part).toBe(5);
    expect(fields.draft).toBe(true);
    expect(fields.tags).toEqual([]);
    expect(fields.summary).toBeUndefined();
    expect([dayBefore, dayAfter]).toContain(fields.date.toISOString().slice(0, 10));
  });

  it("gives the content model nothing to warn about", async () => {
    const model = await loadContent({ inputDir: input, includeDrafts: true });
    expect(model.warnings.filter((warning) => warning.file === file)).toEqual([]);
    expect(model.byFile.get(file)?.seriesPart?.part).toBe(5);
  });

  it("builds: the post appears, marked as a draft, in a dev build and not in a production build", async () => {
    const development = await buildSite({ input, env: { BLOG_DRAFTS: "1" } });
    const production = await buildSite({ input, env: { BLOG_DRAFTS: "0" } });
    try {
      const sitePath = `/${slugify(TITLE)}/`;
      expect(development.paths).toContain(sitePath);
      const page = await development.document(sitePath);
      expect(text(page.querySelector("h1"))).toBe(TITLE);
      expect(page.querySelector(".post-header .draft-badge")).not.toBeNull();
      expect(text(page.querySelector(".series-box-title"))).toMatch(/^Part 5 of 5 in/);
      expect(production.paths).not.toContain(sitePath);
    } finally {
      await development.cleanup();
      await production.cleanup();
    }
  });

  it("refuses to overwrite an existing post, and leaves it as it was", async () => {
    const target = path.join(input, file);
    const authorsWords = (await readFile(target, "utf8")) + "The author's words, which must survive.\n";
    await writeFile(target, authorsWords);
    const again = await runNew(input, TITLE, "--series", SERIES);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${file} already exists`);
    expect(await readFile(target, "utf8")).toBe(authorsWords);
  });

  it("refuses a slug an HTML post (an imported one) already holds, and writes nothing", async () => {
    const htmlPost = path.join(input, "posts/an-imported-post.html");
    const imported = '---\ntitle: "An imported post"\ndate: "2007-04-19T10:22:11+12:00"\n---\n<p>From the old blog.</p>\n';
    await writeFile(htmlPost, imported);
    try {
      const refused = await runNew(input, "An imported post");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("posts/an-imported-post.html already exists; nothing was written");
      await expect(readFile(path.join(input, "posts/an-imported-post.md"), "utf8")).rejects.toThrow(/ENOENT/);
      expect(await readFile(htmlPost, "utf8")).toBe(imported);
    } finally {
      await rm(htmlPost);
    }
  });

  it("refuses a series that is not declared, naming the declared ones, and writes nothing", async () => {
    const refused = await runNew(input, "A post in no series at all", "--series", "no-planed-downtime-chasm");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('unknown series "no-planed-downtime-chasm"');
    expect(refused.stderr).toContain(`did you mean "${SERIES}"`);
    expect(refused.stderr).toContain(`Series declared in _data/series.json: ${SERIES}.`);
    await expect(readFile(path.join(input, "posts/a-post-in-no-series-at-all.md"))).rejects.toThrow(/ENOENT/);
  });

  it("names the declared series when nothing is close to the one given", async () => {
    const refused = await runNew(input, "Another post", "--series", "cooking");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`unknown series "cooking". Series declared in _data/series.json: ${SERIES}.`);
  });

  it("makes a post without a series when none is given", async () => {
    const standalone = await runNew(input, "A standalone post");
    expect(standalone.code, standalone.stderr).toBe(0);
    const fields = parsePostText(await readFile(path.join(input, "posts/a-standalone-post.md"), "utf8"));
    expect(fields.series).toBeUndefined();
    expect(fields.part).toBeUndefined();
  });
});

describe("the scaffold's pieces", () => {
  it("makes slugs from titles", () => {
    expect(slugify("Crossing the no-downtime chasm - part 3 - Finishing thoughts")).toBe("crossing-the-no-downtime-chasm-part-3-finishing-thoughts");
    expect(slugify("  Don't panic: Café & Crème!  ")).toBe("dont-panic-cafe-creme");
    expect(slugify("???")).toBe("");
  });

  it("makes a slug, or nothing, of any text: the one rule for new posts and for a file name's suggested fix", () => {
    expect(slugify("My_Post")).toBe("my-post");
    expect(slugify("Crème brûlée -- 2nd_try")).toBe("creme-brulee-2nd-try");
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        const slug = slugify(text);
        expect(slug === "" || SLUG.test(slug), `${JSON.stringify(text)} gave ${JSON.stringify(slug)}`).toBe(true);
      }),
    );
  });

  it("takes the part after the highest of that series, drafts included, ignoring other series", () => {
    const posts = [
      { file: "a.md", series: "s", part: 1 },
      { file: "b.md", series: "s", part: 3 },
      { file: "c.md", series: "other", part: 9 },
      { file: "d.md" },
    ];
    expect(nextPart(posts, "s")).toBe(4);
    expect(nextPart(posts, "new-series")).toBe(1);
  });

  it("keeps titles YAML would misread intact", () => {
    for (const title of ['Part 2: "quoted" # not a comment', "yes", "2018-01-10", "- a list?", "It's 100% [done]"]) {
      expect(parsePostText(postText({ title, date: "2020-02-29" })).title).toBe(title);
    }
  });
});
