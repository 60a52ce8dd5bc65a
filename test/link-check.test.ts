import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { ContentIssue } from "../lib/content/issues.ts";
import { buildError, buildSite, fullMessage, makeFixtureSite, post } from "./helpers/site.ts";

const fixtures: string[] = [];
afterAll(() => Promise.all(fixtures.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A copy of the real site (its pages link to the real series) plus the given posts. */
async function fixture(posts: Record<string, string>): Promise<string> {
  const input = await makeFixtureSite({ blogPosts: true, posts });
  fixtures.push(input);
  return input;
}

async function linkIssues(posts: Record<string, string>): Promise<{ issues: readonly ContentIssue[]; message: string }> {
  const error = await buildError({ input: await fixture(posts) });
  expect(error.name, fullMessage(error)).toBe("ContentError");
  return { issues: (error as Error & { issues: readonly ContentIssue[] }).issues, message: fullMessage(error) };
}

const linking = (body: string) => post({ title: "Links", date: "2021-05-01" }, body);

describe("the site-wide link check", () => {
  it("passes links to pages, headings and notes that exist", async () => {
    const input = await fixture({
      "good.md": linking(
        [
          "See [part 1](/no-planned-downtime-chasm-part1/), its [data migrations](/no-planned-downtime-chasm-part1/#data-migrations),",
          "the [old address](http://blog.bittercoder.com/no-planned-downtime-chasm-part2/#fn:scientist),",
          "[below](#later) and [the notes](/notes/).",
          "",
          "## Later",
          "",
          "Done.",
        ].join("\n"),
      ),
    });
    const site = await buildSite({ input });
    try {
      const page = await site.document("/good/");
      expect([...page.querySelectorAll(".post-body p a")].map((link) => link.getAttribute("href"))).toEqual([
        "/no-planned-downtime-chasm-part1/",
        "/no-planned-downtime-chasm-part1/#data-migrations",
        "/no-planned-downtime-chasm-part2/#fn:scientist",
        "#later",
        "/notes/",
      ]);
    } finally {
      await site.cleanup();
    }
  });

  it("fails on an internal link to a page that does not exist, naming the page and the link", async () => {
    const { issues, message } = await linkIssues({ "broken.md": linking("Read [this](/no-such-post/).\n") });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: "posts/broken.md", field: "a href", found: '"/no-such-post/"' });
    expect(issues[0]!.expected).toContain("nothing is published at /no-such-post/ (linked from /broken/)");
    expect(message).toContain("posts/broken.md:5: a href:");
  });

  it("fails on a link to the old host's address when nothing is published there", async () => {
    const { issues } = await linkIssues({ "old.md": linking("Read [this](http://blog.bittercoder.com/gone-post/).\n") });
    expect(issues.map((issue) => [issue.file, issue.found])).toEqual([["posts/old.md", '"/gone-post/"']]);
  });

  it("fails on a #fragment that matches no id on the same page", async () => {
    const { issues } = await linkIssues({ "fragment.md": linking("Jump [down](#nowhere).\n") });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: "posts/fragment.md", found: '"#nowhere"' });
    expect(issues[0]!.expected).toContain('an element with id="nowhere" on /fragment/; there is none (linked from /fragment/)');
  });

  it("fails on a #fragment that matches no id on another page", async () => {
    const { issues } = await linkIssues({ "elsewhere.md": linking("See [that heading](/no-planned-downtime-chasm-part1/#no-such-heading).\n") });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: "posts/elsewhere.md", found: '"/no-planned-downtime-chasm-part1/#no-such-heading"' });
    expect(issues[0]!.expected).toContain('id="no-such-heading" on /no-planned-downtime-chasm-part1/');
  });

  it("fails on an id used twice on one page, naming the page and the id", async () => {
    const { issues } = await linkIssues({ "twin.md": linking('<p id="twin">One.</p>\n\n<p id="twin">Two.</p>\n') });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: "posts/twin.md", field: 'id="twin"' });
    expect(issues[0]!.expected).toContain("the id is used more than once on /twin/");
  });

  it("checks links the author wrote as raw HTML too", async () => {
    const { issues } = await linkIssues({ "raw.md": linking('<p><a href="/raw-nowhere/">raw</a></p>\n') });
    expect(issues.map((issue) => [issue.file, issue.found])).toEqual([["posts/raw.md", '"/raw-nowhere/"']]);
  });

  it("reports every broken link of a build together", async () => {
    const { issues } = await linkIssues({
      "a.md": linking("[x](/missing-a/) and [y](#missing-b)\n"),
      "b.md": post({ title: "B", date: "2021-05-02" }, "[z](/missing-c/)\n"),
    });
    expect(issues.map((issue) => `${issue.file} ${issue.found}`).sort()).toEqual([
      'posts/a.md "#missing-b"',
      'posts/a.md "/missing-a/"',
      'posts/b.md "/missing-c/"',
    ]);
  });

  it("does not check links to other sites", async () => {
    const input = await fixture({ "external.md": linking("[Elsewhere](https://example.org/nowhere/#nothing)\n") });
    const site = await buildSite({ input });
    await site.cleanup();
  });
});
