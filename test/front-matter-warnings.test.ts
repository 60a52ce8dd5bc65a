import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { loadContent } from "../lib/content/model.ts";
import { commandLine, CONFIG, makeFixtureSite, REPO } from "./helpers/site.ts";

/** tsx by absolute URL: the fixture folder has no node_modules to resolve it from. */
const TSX = pathToFileURL(createRequire(path.join(REPO, "package.json")).resolve("tsx")).href;
const ELEVENTY = path.join(REPO, "node_modules/@11ty/eleventy/cmd.cjs");

/** A production build with the Eleventy command line, run in the fixture folder as an author would. */
async function buildWithCli(input: string): Promise<{ code: number; output: string }> {
  const outputDir = await mkdtemp(path.join(tmpdir(), "blog-warnings-"));
  const args = ["--import", TSX, ELEVENTY, `--config=${CONFIG}`, `--output=${outputDir}`];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { cwd: input, env: { ...process.env, BLOG_DRAFTS: "0" } });
    return { code: 0, output: stderr + stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stderr + failed.stdout };
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}

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

  it("is printed by a build, which still succeeds", async () => {
    const input = await makeFixtureSite({ blogPosts: true, posts: { "misspelt.md": TYPO_POST } });
    fixtures.push(input);
    const build = await buildWithCli(input);
    expect(build.code, build.output).toBe(0);
    expect(build.output).toContain(WARNING);
  });

  it("is printed by npm run build, which still publishes", async () => {
    const input = await makeFixtureSite({ blogPosts: true, posts: { "misspelt.md": TYPO_POST } });
    fixtures.push(input);
    const env = { ...process.env };
    delete env.BLOG_DRAFTS;
    const build = await promisify(execFile)(process.execPath, commandLine("cli/build", "--input", input), { cwd: REPO, env });
    expect(build.stderr + build.stdout).toContain(WARNING);
    expect(build.stdout).toMatch(/Published release/);
  });

  it("is printed before the errors it causes, when the build fails", async () => {
    // With `part:` the misspelt series turns into an error; the warning explains it.
    const withPart = TYPO_POST.replace("tags: []", "part: 4\ntags: []");
    const input = await makeFixtureSite({ blogPosts: true, posts: { "misspelt.md": withPart } });
    fixtures.push(input);
    const build = await buildWithCli(input);
    expect(build.code).not.toBe(0);
    const warningAt = build.output.indexOf(WARNING);
    const errorAt = build.output.indexOf("posts/misspelt.md: part: found part 4 without a series");
    expect(warningAt, build.output).toBeGreaterThanOrEqual(0);
    expect(errorAt, build.output).toBeGreaterThan(warningAt);
  });

  it("does not warn for the keys the schema knows", async () => {
    const input = await makeFixtureSite({ blogPosts: true });
    fixtures.push(input);
    const model = await loadContent({ inputDir: input, includeDrafts: false });
    expect(model.warnings).toEqual([]);
  });
});
