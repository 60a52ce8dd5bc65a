import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildError, buildSite, fullMessage, makeFixtureSite, text, type BuiltSite } from "./helpers/site.ts";

/** An HTML post: front matter, then HTML the site publishes as written. */
const htmlPost = (fields: string, body: string) => `---\n${fields}\n---\n${body}`;

const PART_ONE = htmlPost(
  'title: "Moving house - Part 1"\ndate: "2007-04-19T10:22:11+12:00"\nseries: moving\npart: 1\ntags: [IoC]',
  [
    "<p>First &amp; foremost, the <em>container</em>.<br />\nIt is small.</p>",
    "<!--more-->",
    '<h2 id="setup">Setup</h2>',
    '<p>See <a href="#setup">the setup</a> and <a href="https://blog.bittercoder.com/2007/05/01/moving-2.html">part 2</a>.</p>',
    '<script>document.write("<a href=\\"/nowhere/\\">")</script>',
  ].join("\n"),
);
const PART_TWO = htmlPost(
  'title: "Moving house - Part 2"\ndate: 2007-05-01\nseries: moving\npart: 2\npermalink: /2007/05/01/moving-2.html',
  '<p>Second. Back to <a href="/moving-1/#setup">the setup</a>.</p>\n',
);

describe("HTML posts", () => {
  let input: string;
  let site: BuiltSite;

  beforeAll(async () => {
    input = await makeFixtureSite({
      posts: { "moving-1.html": PART_ONE, "moving-2.html": PART_TWO },
      series: { moving: { title: "Moving house", description: "Moving a blog." } },
    });
    site = await buildSite({ input });
  });
  afterAll(async () => {
    await site?.cleanup();
    await rm(input, { recursive: true, force: true });
  });

  it("are published at /<slug>/ or their own .html permalink, with their HTML as written", async () => {
    const page = await site.document("/moving-1/");
    expect(page.querySelector(".post-body p")!.innerHTML).toBe("First &amp; foremost, the <em>container</em>.<br>\nIt is small.");
    expect(text((await site.document("/2007/05/01/moving-2.html")).querySelector("h1"))).toBe("Moving house - Part 2");
    expect(page.querySelector('.post-body a[href="/2007/05/01/moving-2.html"]')).not.toBeNull();
  });

  it("take their description from the text before <!--more-->, entities read", async () => {
    const page = await site.document("/moving-1/");
    expect(page.querySelector('meta[name="description"]')!.getAttribute("content")).toBe("First & foremost, the container. It is small.");
  });

  it("join series: on the one-page series their ids and same-page links are prefixed and headings move down", async () => {
    const all = await site.document("/series/moving/all/");
    const heading = all.querySelector("#part1-setup")!;
    expect(heading.tagName).toBe("H3");
    expect(all.querySelector('a[href="#part1-setup"]')).not.toBeNull();
  });

  it("are absolute in feeds, and leave scripts' text alone", async () => {
    const feed = await site.read("/feed.xml");
    expect(feed).toContain("https://blog.bittercoder.com/moving-1/#setup");
    expect(feed).toContain("https://blog.bittercoder.com/2007/05/01/moving-2.html");
    expect(await site.read("/moving-1/")).toContain('document.write("<a href=\\"/nowhere/\\">")');
  });
});

describe("HTML posts are checked like any post", () => {
  const fixtures: string[] = [];
  afterAll(() => Promise.all(fixtures.map((dir) => rm(dir, { recursive: true, force: true }))));
  const failure = async (posts: Record<string, string>, series?: Record<string, unknown>) => {
    const input = await makeFixtureSite({ posts, series });
    fixtures.push(input);
    return fullMessage(await buildError({ input }));
  };

  it("fails on a broken link, naming the file and line", async () => {
    expect(await failure({ "old.html": htmlPost("title: Old\ndate: 2007-01-01", '<p>Hi.</p>\n<p><a href="/gone/">gone</a></p>\n') })).toMatch(
      /posts\/old\.html:6: a href: found "\/gone\/"/,
    );
  });

  it("fails on a missing image, naming the file and line, as the image pipeline reads it", async () => {
    expect(await failure({ "old.html": htmlPost("title: Old\ndate: 2007-01-01", '<p>Hi.</p>\n<p><img src="/images/gone.png" alt=""></p>\n') })).toMatch(
      /posts\/old\.html:6: image: found "\/images\/gone\.png"; a file that exists/,
    );
  });

  it("fails on an image without alt text, naming the file and line, wherever the image is", async () => {
    const message = await failure({
      "old.html": htmlPost(
        "title: Old\ndate: 2007-01-01",
        '<p>Hi.</p>\n<p><img src="https://elsewhere.example/a.png"></p>\n<p><img src="/images/b.png" alt=""></p>\n',
      ),
    });
    expect(message).toMatch(/posts\/old\.html:6: img alt: found "https:\/\/elsewhere\.example\/a\.png"; an alt attribute: alt="what the image shows"/);
    expect(message).not.toMatch(/img alt: found "\/images\/b\.png"/);
  });

  it("refuses a comment that carries an email address, and an empty body", async () => {
    const message = await failure({
      "commented.html": htmlPost(
        'title: Commented\ndate: 2007-01-01\ncomments:\n  - author: Jane\n    author_email: jane@example.org\n    date: "2007-01-02"\n    content: Hi',
        "<p>Text.</p>\n",
      ),
      "empty.html": htmlPost("title: Empty\ndate: 2007-01-01", "\n"),
    });
    expect(message).toMatch(/posts\/commented\.html:\d+: comments\.0: .*expected only author, url, date and content, found author_email/);
    expect(message).toMatch(/posts\/empty\.html:\d+: body: found no text/);
  });

  it("refuses a .md and an .html post with one slug", async () => {
    expect(
      await failure({ "same.md": "---\ntitle: A\ndate: 2020-01-01\n---\nA.\n", "same.html": htmlPost("title: B\ndate: 2020-01-02", "<p>B.</p>\n") }),
    ).toMatch(/posts\/same\.md: file name: found "\/same\/"; expected a path of its own, but it collides with \/same\/index\.html, posts\/same\.html/);
  });
});
