import { rm } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { loadContent } from "../lib/content/model.ts";
import { runBuildCli } from "./helpers/publish.ts";
import { makeFixtureSite } from "./helpers/site.ts";

const TYPO_POST = ["---", "title: A post with a misspelt key", "date: 2020-03-01", "serise: no-planned-downtime-chasm", "tags: []", "---", "Text.", ""].join(
  "\n",
);
const WARNING = 'warning: posts/misspelt.md:4: serise: unknown front-matter field; did you mean "series"?';

const fixtures: string[] = [];
afterEach(async () => {
  for (const dir of fixtures.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("an unknown front-matter key", () => {
  it("is a warning in the content model naming the file, line and the nearest known key", async () => {
    const input = await makeFixtureSite({ blogPosts: true, posts: { "misspelt.md": TYPO_POST } });
    fixtures.push(input);
    const model = await loadContent({ inputDir: input, includeDrafts: false });
    expect(model.warnings).toEqual([{ file: "posts/misspelt.md", line: 4, field: "serise", expected: 'unknown front-matter field; did you mean "series"?' }]);
  });

  it("is any key the site does not read, Eleventy's included, but not a migrated post's Jekyll layout", async () => {
    const post = [
      "---",
      "title: A migrated post",
      "date: 2020-03-01",
      "layout: post",
      "eleventyComputed:",
      "  title: Other",
      "tags: []",
      "---",
      "Text.",
      "",
    ].join("\n");
    const input = await makeFixtureSite({ blogPosts: true, posts: { "migrated.md": post } });
    fixtures.push(input);
    const model = await loadContent({ inputDir: input, includeDrafts: false });
    expect(model.warnings.map((warning) => [warning.file, warning.line, warning.field])).toEqual([["posts/migrated.md", 5, "eleventyComputed"]]);
  });

  it("is printed by npm run build, which still publishes", async () => {
    const input = await makeFixtureSite({ blogPosts: true, posts: { "misspelt.md": TYPO_POST } });
    fixtures.push(input);
    const build = await runBuildCli(input);
    expect(build.status, build.stderr).toBe(0);
    expect(build.stderr + build.stdout).toContain(WARNING);
    expect(build.stdout).toMatch(/Published release/);
  });

  it("is printed before the errors it causes, when the build fails", async () => {
    // With `part:` the misspelt series turns into an error; the warning explains it.
    const withPart = TYPO_POST.replace("tags: []", "part: 4\ntags: []");
    const input = await makeFixtureSite({ blogPosts: true, posts: { "misspelt.md": withPart } });
    fixtures.push(input);
    const build = await runBuildCli(input);
    const output = build.stderr + build.stdout;
    expect(build.status).not.toBe(0);
    const warningAt = output.indexOf(WARNING);
    const errorAt = output.indexOf("posts/misspelt.md: part: found part 4 without a series");
    expect(warningAt, output).toBeGreaterThanOrEqual(0);
    expect(errorAt, output).toBeGreaterThan(warningAt);
  });

  it("does not warn for the keys the schema knows", async () => {
    const input = await makeFixtureSite({ blogPosts: true });
    fixtures.push(input);
    const model = await loadContent({ inputDir: input, includeDrafts: false });
    expect(model.warnings).toEqual([]);
  });
});
