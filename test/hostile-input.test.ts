import { execFileSync } from "node:child_process";
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { ContentError, quote, type ContentIssue } from "../lib/content/issues.ts";
import { loadContent } from "../lib/content/model.ts";
import { tagSlug } from "../lib/content/paths.ts";
import { PAGE } from "../lib/content/post-source.ts";
import { buildError, buildSite, fullMessage, makeFixtureSite, post, type FixtureOptions } from "./helpers/site.ts";

/*
 * Hostile input, as a new user might try it, reaches the content model and is
 * refused there with a named error: a file, a line or field, what was found
 * and what is expected. Never a hang, a crash or a message of megabytes.
 */
const fixtures: string[] = [];
afterAll(() => Promise.all(fixtures.map((dir) => rm(dir, { recursive: true, force: true }))));

async function contentErrors(options: FixtureOptions): Promise<{ issues: readonly ContentIssue[]; message: string }> {
  const dir = await makeFixtureSite(options);
  fixtures.push(dir);
  try {
    await loadContent({ inputDir: dir, includeDrafts: false });
  } catch (error) {
    if (error instanceof ContentError) return { issues: error.issues, message: error.message };
    throw error;
  }
  throw new Error("expected content errors, but the content loaded");
}

const SERIES = { "moving-house": { title: "Moving house", description: "A series about moving house." } };
const part = (n: number, extra = "") =>
  `---\ntitle: "Moving, part ${n}"\ndate: 2020-01-0${Math.min(n, 9)}\nseries: moving-house\npart: ${n}\n${extra}---\nText.\n`;

describe("YAML front matter is parsed with limits", () => {
  // The reported alias bomb: nine nested aliases of nine under title:.
  const BOMB = [
    "---",
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ...["b", "c", "d", "e", "f", "g", "h"].map((name, index) => `${name}: &${name} [${Array(9).fill(`*${"abcdefg"[index]}`).join(",")}]`),
    "title: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
    "date: 2020-01-01",
    "---",
    "Text.",
    "",
  ].join("\n");

  it("refuses an alias bomb quickly, naming the file and the line of the first alias", async () => {
    const started = Date.now();
    const { issues, message } = await contentErrors({ posts: { "bomb.md": BOMB, "fine.md": post({ title: "Fine", date: "2020-01-02" }) } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(issues).toEqual([
      expect.objectContaining({
        file: "posts/bomb.md",
        line: 3,
        field: "front matter",
        expected: expect.stringContaining("aliases (*name) expand to more than 100 values"),
      }),
    ]);
    expect(message.length).toBeLessThan(500);
  });

  it("still reads a few aliases, as YAML allows", async () => {
    const dir = await makeFixtureSite({ posts: { "aliases.md": "---\ntitle: &t Aliases\nsummary: *t\ndate: 2020-01-01\n---\nText.\n" } });
    fixtures.push(dir);
    const model = await loadContent({ inputDir: dir, includeDrafts: false });
    expect(model.posts[0]).toMatchObject({ title: "Aliases", summary: "Aliases" });
  });

  it("reports a YAML syntax error with its file line and no copy of the source", async () => {
    const { issues } = await contentErrors({ posts: { "broken.md": "---\ntitle: ok\ndate: [2020-01-01\ntags: x\n---\nText.\n" } });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: "posts/broken.md", field: "front matter", expected: expect.stringMatching(/^invalid YAML: /) });
    expect(issues[0]!.line).toBeGreaterThanOrEqual(3);
    expect(issues[0]!.expected).not.toContain("\n");
  });

  it("refuses a key given twice, naming its line", async () => {
    const { issues } = await contentErrors({ posts: { "twice.md": "---\ntitle: One\ndate: 2020-01-01\ntitle: Two\n---\nText.\n" } });
    expect(issues).toEqual([expect.objectContaining({ file: "posts/twice.md", line: 4, expected: expect.stringContaining("unique") })]);
  });

  it("echoes at most a short line of a huge value", async () => {
    const huge = "x".repeat(2_000_000);
    const { issues, message } = await contentErrors({
      posts: {
        "huge.md": `---\ntitle: [${JSON.stringify(huge)}, ${JSON.stringify(huge)}]\ndate: 2020-01-01\npermalink: ${JSON.stringify(`/${huge} /`)}\n---\nText.\n`,
      },
    });
    expect(issues.map((issue) => issue.field).sort()).toEqual(["permalink", "title"]);
    for (const issue of issues) expect(issue.found!.length).toBeLessThan(80);
    expect(message.length).toBeLessThan(1000);
  });
});

describe("quote", () => {
  it.each([
    ["short", '"short"'],
    [12, "12"],
    [null, "null"],
    [["a", "b"], '["a","b"]'],
    [{ a: 1 }, '{"a":1}'],
    ["y".repeat(1000), `"${"y".repeat(56)}...`],
  ])("%j is shown as %s", (value, shown) => {
    expect(quote(value)).toBe(shown);
  });

  it("reads a list of a million strings only as far as it shows", () => {
    const lols = Array<string>(1_000_000).fill("lol");
    const read = new Set<PropertyKey>();
    const watched = new Proxy(lols, { get: (target, key) => (read.add(key), Reflect.get(target, key)) });
    expect(quote(watched)).toBe(`${JSON.stringify(lols.slice(0, 20)).slice(0, 57)}...`);
    expect([...read].filter((key) => typeof key === "string" && /^\d+$/.test(key)).length).toBeLessThan(20);
  });

  it("stops early in a value nested a million levels deep", () => {
    let deep: unknown = "bottom";
    for (let level = 0; level < 1_000_000; level++) deep = [deep];
    expect(quote(deep)).toBe(`${"[".repeat(57)}...`);
  });
});

describe("series part numbers are bounded", () => {
  it.each([20180110, 200000, 101])("part: %i is one error naming the file, line and the bound", async (number) => {
    const started = Date.now();
    const { issues, message } = await contentErrors({ series: SERIES, posts: { "move-1.md": part(1), "move-2.md": part(number) } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(issues).toEqual([expect.objectContaining({ file: "posts/move-2.md", line: 5, field: "part", expected: "expected a part number from 1 to 100" })]);
    expect(message.length).toBeLessThan(500);
  });

  it("a series may declare at most 100 planned parts", async () => {
    const { issues } = await contentErrors({ series: { "moving-house": { ...SERIES["moving-house"], parts: 5000 } }, posts: { "move-1.md": part(1) } });
    expect(issues).toContainEqual(
      expect.objectContaining({ file: "_data/series.json", field: "moving-house.parts", expected: "expected at most 100 planned parts" }),
    );
  });

  it("a gap is reported once, as a range, on the part after it", async () => {
    const { issues } = await contentErrors({
      series: SERIES,
      posts: { "move-1.md": part(1), "move-2.md": part(2), "move-50.md": part(50), "move-52.md": part(52) },
    });
    expect(issues.map((issue) => [issue.file, issue.line, issue.expected.match(/parts? [\d to]+ (?:is|are) missing/)?.[0]])).toEqual([
      ["posts/move-50.md", 5, "parts 3 to 49 are missing"],
      ["posts/move-52.md", 5, "part 51 is missing"],
    ]);
  });
});

describe("permalinks are clean site paths", () => {
  it.each(["//evil.example/", "/a/../no-planned-downtime-chasm-part1/", "/./feeds/", "/https:/evil.example/", "/a b/", "/x?y/", "/%2e%2e/", "no-slash/"])(
    "permalink: %s is refused, naming the file, line and field",
    async (permalink) => {
      const { issues } = await contentErrors({ posts: { "bad.md": post({ title: "Bad", date: "2020-01-01", permalink }) } });
      expect(issues).toEqual([expect.objectContaining({ file: "posts/bad.md", line: 4, field: "permalink" })]);
    },
  );
});

describe("every output path has one owner", () => {
  const COLLIDING: Record<string, string> = {
    "/feed.xml/": "/feed.xml, the Atom feed",
    "/_headers/": "/_headers, the hosts' _headers file",
    "/sitemap.xml/": "/sitemap.xml, the sitemap",
    "/404.html/": "/404.html, the not-found page",
    "/index.html/": "/index.html, the home page",
    "/feeds/x/": "/feeds/, the site's own /feeds/ pages",
    "/images/photo.png/": "/images/photo.png, the static file images/photo.png",
    "/first/index.html/": "/first/index.html, posts/first.md",
  };

  it("a post whose folder collides with another output is an error naming the file, line, field and the path it collides with", async () => {
    const posts: Record<string, string> = { "first.md": post({ title: "First", date: "2020-01-01" }) };
    Object.keys(COLLIDING).forEach((permalink, index) => (posts[`post-${index}.md`] = post({ title: `Post ${index}`, date: "2020-01-02", permalink })));
    const dir = await makeFixtureSite({ posts });
    fixtures.push(dir);
    await mkdir(path.join(dir, "images"), { recursive: true });
    await writeFile(path.join(dir, "images/photo.png"), "not really a PNG");
    const issues = await loadErrors(dir);
    expect(issues.map((issue) => [issue.file, issue.line, issue.field, issue.expected.match(/collides with (.*?);/)?.[1]])).toEqual(
      Object.values(COLLIDING).map((collision, index) => [`posts/post-${index}.md`, 4, "permalink", collision]),
    );
  });

  it("the reported permalinks fail the build with a content error, not Eleventy's ENOTDIR or EISDIR", async () => {
    const posts: Record<string, string> = {};
    ["/feed.xml/", "/_headers/", "/sitemap.xml/", "/404.html/", "/index.html/", "/a/../x/", "/./feeds/"].forEach(
      (permalink, index) => (posts[`post-${index}.md`] = post({ title: `Post ${index}`, date: "2020-01-02", permalink })),
    );
    posts["..md"] = post({ title: "Dots", date: "2020-01-03" });
    const input = await makeFixtureSite({ posts });
    fixtures.push(input);
    const error = await buildError({ input });
    expect(error.name, fullMessage(error)).toBe("ContentError");
    expect((error as Error & { issues: ContentIssue[] }).issues).toHaveLength(8);
  });
});

describe("post file names are slugs", () => {
  it.each([
    ["My Post.md", "my-post"],
    ["..md", "post"],
    ["%2e%2e.md", "2e-2e"],
    ["Café au lait.md", "cafe-au-lait"],
    ["feed.xml.md", "feed-xml"],
  ])("posts/%s is refused, suggesting posts/%s.md", async (name, suggestion) => {
    const { issues } = await contentErrors({ posts: { [name]: post({ title: "A post", date: "2020-01-01" }) } });
    expect(issues).toEqual([
      expect.objectContaining({ file: `posts/${name}`, field: "file name", expected: expect.stringContaining(`like posts/${suggestion}.md`) }),
    ]);
  });
});

describe("files that are not posts are refused without being read", () => {
  it("a symlink out of the project, a FIFO and a post over 10 MB are errors; a link to a post inside the project is read", async () => {
    const dir = await makeFixtureSite({ posts: { "real.md": post({ title: "Real", date: "2020-01-01" }) } });
    fixtures.push(dir);
    await symlink("/dev/zero", path.join(dir, "posts/zero.md"));
    await mkdir(path.join(dir, "drafts"));
    await writeFile(path.join(dir, "drafts/linked.md"), post({ title: "Linked", date: "2020-01-02" }));
    await symlink(path.join(dir, "drafts/linked.md"), path.join(dir, "posts/linked.md"));
    execFileSync("mkfifo", [path.join(dir, "posts/pipe.md")]);
    await writeFile(path.join(dir, "posts/huge.md"), post({ title: "Huge", date: "2020-01-03" }, "word ".repeat(2_200_000)));
    const issues = await loadErrors(dir);
    expect(issues.map((issue) => [issue.file, issue.found])).toEqual([
      ["posts/huge.md", "10.5 MB"],
      ["posts/pipe.md", "a special file (a device, FIFO or socket)"],
      ["posts/zero.md", "a symbolic link out of the project (to /dev/zero)"],
    ]);
  });
});

describe("text that is not what it seems", () => {
  it("a file that is not UTF-8 is an error naming the byte offset and line", async () => {
    const dir = await makeFixtureSite();
    fixtures.push(dir);
    await mkdir(path.join(dir, "posts"), { recursive: true });
    await writeFile(
      path.join(dir, "posts/latin1.md"),
      Buffer.concat([Buffer.from("---\ntitle: Caf"), Buffer.from([0xe9]), Buffer.from("\ndate: 2020-01-01\n---\nText.\n")]),
    );
    expect(await loadErrors(dir)).toEqual([
      expect.objectContaining({ file: "posts/latin1.md", line: 2, field: "encoding", found: "byte 0xE9 at offset 14 is not UTF-8" }),
    ]);
  });

  it("a footnote tag with a space is an error: its definition, which markdown-it takes for a link reference", async () => {
    const { issues } = await contentErrors({
      posts: { "tagged-notes.md": post({ title: "Notes", date: "2020-01-01" }, "Text.[^a] More.[^c d]\n\n[^a]: A.\n\n[^c d]: C.\n") },
    });
    expect(issues.map((issue) => [issue.line, issue.field, issue.expected.split(":")[0]])).toEqual([[9, "[^c d]", "[^c d] is not a footnote"]]);
  });

  it("a footnote reference with a space and no definition is an error on its line", async () => {
    const { issues } = await contentErrors({ posts: { "tagged-notes.md": post({ title: "Notes", date: "2020-01-01" }, "Text.\n\nMore.[^c d]\n") } });
    expect(issues.map((issue) => [issue.line, issue.field, issue.expected.split(":")[0]])).toEqual([[7, "[^c d]", "[^c d] is not a footnote"]]);
  });

  it("a control character in a title, summary or tag is removed everywhere, with a warning naming the field", async () => {
    const dir = await makeFixtureSite({
      posts: { "ctl.md": post({ title: "Bell\u0001 title", summary: "Sum\u0007mary", date: "2020-01-01", tags: ["t\u0002ag"] }) },
    });
    fixtures.push(dir);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const model = await loadContent({ inputDir: dir, includeDrafts: false });
      expect(model.posts[0]).toMatchObject({ title: "Bell title", summary: "Summary", tags: ["tag"] });
      expect(model.warnings.map((warning) => [warning.line, warning.field, warning.found])).toEqual([
        [2, "title", "control character U+0001"],
        [3, "summary", "control character U+0007"],
        [5, "tags", "control character U+0002"],
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});

it("a control character in the body is removed, with a warning naming its line (found by the fuzzing harness)", async () => {
  const dir = await makeFixtureSite({ posts: { "ctl-body.md": post({ title: "Body", date: "2020-01-01" }, "First line.\n\nText \u0001 here.\n") } });
  fixtures.push(dir);
  const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
  try {
    const model = await loadContent({ inputDir: dir, includeDrafts: false });
    expect(model.posts[0]!.render(PAGE)).toContain("<p>Text  here.</p>");
    expect(model.warnings).toEqual([expect.objectContaining({ line: 7, field: "body", found: "control character U+0001" })]);
  } finally {
    warn.mockRestore();
  }
});

describe("tag slugs keep tags apart", () => {
  it.each([
    ["日本語", "日本語"],
    ["Русский", "русский"],
    ["C++", "c-plus-plus"],
    ["C#", "c-sharp"],
    ["tag", "tag"],
    ["Node.js", "node-js"],
    ["  Zero   Downtime ", "zero-downtime"],
  ])("%s has the slug %s", (tag, slug) => {
    expect(tagSlug(tag)).toBe(slug);
  });

  it("two tags that would share a page fail, naming both and both files", async () => {
    const { issues } = await contentErrors({
      posts: { "a.md": post({ title: "A", date: "2020-01-01", tags: ["C++"] }), "b.md": post({ title: "B", date: "2020-01-02", tags: ["c plus plus"] }) },
    });
    expect(issues).toEqual([
      expect.objectContaining({
        file: "posts/b.md",
        line: 4,
        field: "tags",
        expected: expect.stringContaining('"c plus plus" and "C++" (posts/a.md) would share /tags/c-plus-plus/'),
      }),
    ]);
  });

  it("tags differing only in case and spacing are one tag", async () => {
    const dir = await makeFixtureSite({
      posts: {
        "a.md": post({ title: "A", date: "2020-01-01", tags: ["Zero downtime"] }),
        "b.md": post({ title: "B", date: "2020-01-02", tags: ["zero  Downtime"] }),
      },
    });
    fixtures.push(dir);
    expect((await loadContent({ inputDir: dir, includeDrafts: false })).tags.map((tag) => [tag.slug, tag.posts.length])).toEqual([["zero-downtime", 2]]);
  });

  it("日本語, Русский, tag, C++ and C# each get a page of their own, linked from the post, in a build whose link check passes", async () => {
    const tags = ["日本語", "Русский", "tag", "C++", "C#"];
    const input = await makeFixtureSite({ posts: { "tagged.md": post({ title: "Tagged", date: "2020-01-01", tags }) } });
    fixtures.push(input);
    const site = await buildSite({ input });
    try {
      for (const slug of ["日本語", "русский", "tag", "c-plus-plus", "c-sharp"]) expect(site.paths).toContain(`/tags/${slug}/`);
      const sitemap = await site.read("/sitemap.xml");
      expect(sitemap).toContain("/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E/");
    } finally {
      await site.cleanup();
    }
  });
});

async function loadErrors(dir: string): Promise<readonly ContentIssue[]> {
  try {
    await loadContent({ inputDir: dir, includeDrafts: false });
  } catch (error) {
    if (error instanceof ContentError) return error.issues;
    throw error;
  }
  throw new Error("expected content errors, but the content loaded");
}
