import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { ContentError, quote, type ContentIssue } from "../lib/content/issues.ts";
import { loadContent } from "../lib/content/model.ts";
import { makeFixtureSite, post, type FixtureOptions } from "./helpers/site.ts";

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
const part = (n: number, extra = "") => `---\ntitle: "Moving, part ${n}"\ndate: 2020-01-0${Math.min(n, 9)}\nseries: moving-house\npart: ${n}\n${extra}---\nText.\n`;

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
    expect(issues).toEqual([expect.objectContaining({ file: "posts/bomb.md", line: 3, field: "front matter", expected: expect.stringContaining("aliases (*name) expand to more than 100 values") })]);
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
    const huge = "x".repeat(5_000_000);
    const { issues, message } = await contentErrors({ posts: { "huge.md": `---\ntitle: [${JSON.stringify(huge)}, ${JSON.stringify(huge)}]\ndate: 2020-01-01\npermalink: ${JSON.stringify(`/${huge} /`)}\n---\nText.\n` } });
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
    expect(issues).toContainEqual(expect.objectContaining({ file: "_data/series.json", field: "moving-house.parts", expected: "expected at most 100 planned parts" }));
  });

  it("a gap is reported once, as a range, on the part after it", async () => {
    const { issues } = await contentErrors({ series: SERIES, posts: { "move-1.md": part(1), "move-2.md": part(2), "move-50.md": part(50), "move-52.md": part(52) } });
    expect(issues.map((issue) => [issue.file, issue.line, issue.expected.match(/parts? [\d to]+ (?:is|are) missing/)?.[0]])).toEqual([
      ["posts/move-50.md", 5, "parts 3 to 49 are missing"],
      ["posts/move-52.md", 5, "part 51 is missing"],
    ]);
  });
});
