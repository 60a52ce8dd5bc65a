import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { ContentIssue } from "../lib/content/issues.ts";
import { buildError, fullMessage, makeFixtureSite } from "./helpers/site.ts";

const fixtures: string[] = [];
afterAll(() => Promise.all(fixtures.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Front matter takes lines 1-4, so the body starts on line 5 of the file. */
const withBody = (...lines: string[]) => ["---", "title: Notes", "date: 2021-01-01", "---", ...lines, ""].join("\n");

async function failingBuild(posts: Record<string, string>): Promise<{ issues: readonly ContentIssue[]; message: string }> {
  const input = await makeFixtureSite({ posts });
  fixtures.push(input);
  const error = await buildError({ input });
  expect(error.name, fullMessage(error)).toBe("ContentError");
  return { issues: (error as Error & { issues: readonly ContentIssue[] }).issues, message: fullMessage(error) };
}

describe("footnote mistakes fail the build with file, line and tag", () => {
  it("a reference to a tag with no definition", async () => {
    const { issues, message } = await failingBuild({
      "undefined-ref.md": withBody("Intro.", "", "A claim.[^missing-tag]", "", "More.[^real]", "", "[^real]: A real note."),
    });
    expect(issues).toEqual([
      {
        file: "posts/undefined-ref.md",
        line: 7,
        field: "[^missing-tag]",
        expected: 'footnote reference [^missing-tag] has no definition; add a line "[^missing-tag]: ..." to the post, or fix the tag',
      },
    ]);
    expect(message).toContain("posts/undefined-ref.md:7: [^missing-tag]: footnote reference [^missing-tag] has no definition");
  });

  it("names the line inside a paragraph where the undefined reference is", async () => {
    const { issues } = await failingBuild({ "long.md": withBody("One line,", "another line,", "and the mistake.[^gone]") });
    expect(issues.map((issue) => [issue.line, issue.field])).toEqual([[7, "[^gone]"]]);
  });

  it("a definition that is never referenced", async () => {
    const { issues } = await failingBuild({
      "unused.md": withBody("Text.[^used]", "", "[^used]: Used.", "[^orphan]: Nobody cites me."),
    });
    expect(issues.map((issue) => [issue.file, issue.line, issue.field])).toEqual([["posts/unused.md", 8, "[^orphan]"]]);
    expect(issues[0]!.expected).toBe(
      "footnote [^orphan] is defined but never referenced; add [^orphan] where it belongs in the text, or delete the definition",
    );
  });

  it("the same tag defined twice in one post, naming both lines", async () => {
    const { issues } = await failingBuild({
      "twice.md": withBody("Text.[^dup]", "", "[^dup]: First.", "", "[^dup]: Second."),
    });
    expect(issues.map((issue) => [issue.file, issue.line, issue.field])).toEqual([["posts/twice.md", 9, "[^dup]"]]);
    expect(issues[0]!.expected).toBe(
      "footnote [^dup] is defined twice (the first definition is 2 lines above); keep one definition or give the other a new tag",
    );
  });

  it("an inline footnote, which has no tag for a stable id", async () => {
    const { issues } = await failingBuild({ "inline.md": withBody("Text.^[An untagged note.]") });
    expect(issues.map((issue) => [issue.file, issue.line, issue.field])).toEqual([["posts/inline.md", 5, "[^^[...]]"]]);
  });

  it("reports footnote mistakes of several posts together", async () => {
    const { issues } = await failingBuild({
      "a.md": withBody("A.[^nope]"),
      "b.md": withBody("B.", "", "[^spare]: Spare."),
    });
    expect(issues.map((issue) => `${issue.file}:${issue.line} ${issue.field}`)).toEqual(["posts/a.md:5 [^nope]", "posts/b.md:7 [^spare]"]);
  });
});
