import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { ContentIssue } from "../lib/content/issues.ts";
import { buildError, fullMessage, makeFixtureSite, post } from "./helpers/site.ts";

const SERIES = {
  "moving-house": { title: "Moving house", description: "A series about moving house." },
  "cooking-at-scale": { title: "Cooking at scale", description: "A series about cooking for many." },
};

const fixtures: string[] = [];
afterAll(() => Promise.all(fixtures.map((dir) => rm(dir, { recursive: true, force: true }))));

/**
 * Builds a fixture that must fail with content errors, and returns them.
 * Eleventy loads lib/ through its own module loader, so the error is a
 * ContentError by name, not by this file's class.
 */
async function failingBuild(posts: Record<string, string>): Promise<{ issues: readonly ContentIssue[]; message: string }> {
  const input = await makeFixtureSite({ posts, series: SERIES });
  fixtures.push(input);
  const error = await buildError({ input });
  expect(error.name, fullMessage(error)).toBe("ContentError");
  return { issues: (error as Error & { issues: readonly ContentIssue[] }).issues, message: fullMessage(error) };
}

const part = (n: unknown, extra: Record<string, unknown> = {}) =>
  post({ title: `Moving, part ${String(n)}`, date: "2020-01-01", series: "moving-house", part: n, ...extra });

describe("series mistakes fail the build with a message naming the file and the fix", () => {
  it("an unknown series slug names the file, the slug, the nearest declared one and where to declare it", async () => {
    const { message } = await failingBuild({
      "move-1.md": part(1),
      "move-2.md": post({ title: "Typo", date: "2020-01-02", series: "moving-hose", part: 2 }),
    });
    expect(message).toMatch(/posts\/move-2\.md: series: found "moving-hose"/);
    expect(message).toContain('did you mean "moving-house"?');
    expect(message).toContain("_data/series.json");
    expect(message).not.toMatch(/posts\/move-1\.md/);
  });

  it("two posts with the same part name both files and say to renumber one", async () => {
    const { message } = await failingBuild({
      "move-1.md": part(1),
      "move-1-again.md": part(1, { title: "Moving again" }),
    });
    const line = message.split("\n").find((row) => row.includes("renumber one of")) ?? "";
    expect(line).toContain("posts/move-1.md");
    expect(line).toContain("posts/move-1-again.md");
    expect(line).toMatch(/part: found part 1/);
  });

  it("a gap in the parts names the missing part and the file after it", async () => {
    const { message } = await failingBuild({
      "move-1.md": part(1),
      "move-3.md": part(3),
    });
    expect(message).toMatch(/posts\/move-3\.md:5: part: found part 3 of "moving-house";.*part 2 is missing/);
    expect(message).toContain("add part 2, as a draft if it is not ready");
  });

  for (const [typed, found] of [
    ["0", "number 0"],
    ["-1", "number -1"],
    ["1.5", "number 1.5"],
    ['"two"', 'string "two"'],
  ] as const) {
    it(`a part of ${typed} is rejected as not a positive whole number`, async () => {
      const body = `---\ntitle: Moving\ndate: 2020-01-01\nseries: moving-house\npart: ${typed}\n---\nText.\n`;
      const { message } = await failingBuild({ "move-odd.md": body });
      // Line 5 of the file is the part: line.
      expect(message).toContain(`posts/move-odd.md:5: part: found ${found};`);
      expect(message).toMatch(/expected (a positive whole number|a whole number|the part number as a whole number), like 2/);
    });
  }

  it("a part without a series names the file and the declared series to choose from", async () => {
    const { message } = await failingBuild({
      "loose.md": post({ title: "Loose", date: "2020-01-01", part: 2 }),
    });
    expect(message).toMatch(
      /posts\/loose\.md: part: found part 2 without a series; expected a series: field naming one of _data\/series\.json \(moving-house, cooking-at-scale\), or no part/,
    );
  });

  it("a series without a part names the file and the series", async () => {
    const { message } = await failingBuild({
      "move-1.md": post({ title: "Moving", date: "2020-01-01", series: "moving-house" }),
    });
    expect(message).toMatch(/posts\/move-1\.md: part: found nothing; expected part: N, this post's position in series "moving-house"/);
  });

  it("every series mistake of a build is reported at once", async () => {
    const { issues } = await failingBuild({
      "loose.md": post({ title: "Loose", date: "2020-01-01", part: 2 }),
      "typo.md": post({ title: "Typo", date: "2020-01-02", series: "moving-hose", part: 1 }),
      "cook-2.md": post({ title: "Cook 2", date: "2020-01-03", series: "cooking-at-scale", part: 2 }),
    });
    expect(issues.map((issue) => issue.file).sort()).toEqual(["posts/cook-2.md", "posts/loose.md", "posts/typo.md"]);
  });
});
