import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ContentIssue } from "../lib/content/issues.ts";
import { addStaticFolder, readStaticFolders } from "../lib/content/static-files.ts";
import { buildError, buildSite, fullMessage, makeFixtureSite, post } from "./helpers/site.ts";

const fixtures: string[] = [];
afterAll(() => Promise.all(fixtures.map((dir) => rm(dir, { recursive: true, force: true }))));

async function fixture(posts: Record<string, string>, files: Record<string, string>, site?: Record<string, unknown>): Promise<string> {
  const input = await makeFixtureSite({ posts, site });
  fixtures.push(input);
  for (const [name, body] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(input, name)), { recursive: true });
    await writeFile(path.join(input, name), body);
  }
  return input;
}

const linking = (body: string) => post({ title: "Files", date: "2021-05-01" }, body);

describe("static folders", () => {
  it("publishes images/ and the folders site.json names as they are, and the link check knows every file", async () => {
    const input = await fixture(
      { "files.md": linking("Get [the slides](/images/talks/slides.pdf) and [the old upload](/wp-content/uploads/2009/notes.txt).\n") },
      {
        "images/talks/slides.pdf": "%PDF-1.4 slides",
        "wp-content/uploads/2009/notes.txt": "old notes",
        "images/.DS_Store": "junk",
        "unlisted/secret.txt": "not published",
      },
      { staticFolders: ["wp-content"] },
    );
    const site = await buildSite({ input });
    try {
      expect(await readFile(path.join(site.outputDir, "images/talks/slides.pdf"), "utf8")).toBe("%PDF-1.4 slides");
      expect(await readFile(path.join(site.outputDir, "wp-content/uploads/2009/notes.txt"), "utf8")).toBe("old notes");
      await expect(readFile(path.join(site.outputDir, "unlisted/secret.txt"))).rejects.toThrow();
      await expect(readFile(path.join(site.outputDir, "images/.DS_Store"))).rejects.toThrow();
    } finally {
      await site.cleanup();
    }
  });

  it("fails on a link to a missing file, naming the post, the line and the path", async () => {
    const input = await fixture({ "missing.md": linking("First line.\n\nSee [the diagram](/images/nowhere.pdf).\n") }, { "images/here.pdf": "x" });
    const error = await buildError({ input });
    expect(error.name, fullMessage(error)).toBe("ContentError");
    const issues = (error as Error & { issues: readonly ContentIssue[] }).issues;
    expect(issues).toEqual([expect.objectContaining({ file: "posts/missing.md", line: 7, found: '"/images/nowhere.pdf"' })]);
    expect(fullMessage(error)).toContain("posts/missing.md:7: a href:");
  });

  it("rejects a static folder the generator owns, naming the field", async () => {
    const input = await fixture({ "a.md": linking("Text.\n") }, {}, { staticFolders: ["posts"] });
    const error = await buildError({ input });
    expect(fullMessage(error)).toMatch(/_data\/site\.json: staticFolders\.0:.*belong to the generator/);
  });

  it("lets the importer add a folder to site.json, once", async () => {
    const input = await fixture({ "a.md": linking("Text.\n") }, {});
    await addStaticFolder(input, "wp-content");
    await addStaticFolder(input, "wp-content");
    expect(readStaticFolders(input)).toEqual(["images", "wp-content"]);
    await expect(addStaticFolder(input, "../elsewhere")).rejects.toThrow(/cannot be a static folder/);
  });
});
