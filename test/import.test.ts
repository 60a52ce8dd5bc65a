import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitFrontMatter } from "../lib/content/front-matter.ts";
import { FIXTURE_EMAILS, OLD_HOST, runImport, snapshot, WORDPRESS_ERA_SITE, type ImportRun } from "./helpers/import.ts";
import { makeFixtureSite, post, REPO } from "./helpers/site.ts";

const AUTHORS_OWN_POST = post({ title: "My own post", date: "2016-06-01" }, "The author's text.\n");

async function freshSite(): Promise<string> {
  return makeFixtureSite({ posts: { "existing-post.md": AUTHORS_OWN_POST } });
}

async function frontMatter(site: string, file: string): Promise<{ data: Record<string, unknown>; body: string }> {
  const document = splitFrontMatter(await readFile(path.join(site, file), "utf8"));
  return { data: document.data as Record<string, unknown>, body: document.body };
}

describe("npm run import from a WordPress-era Jekyll blog", () => {
  let site: string;
  let run: ImportRun;

  beforeAll(async () => {
    site = await freshSite();
    run = await runImport(WORDPRESS_ERA_SITE, site, "--host", OLD_HOST);
  });
  afterAll(() => rm(site, { recursive: true, force: true }));

  it("writes each _posts file as posts/<slug>.html or .md, and leaves the author's post alone", async () => {
    const written = [...(await snapshot(path.join(site, "posts"))).keys()].sort();
    expect(written).toEqual([
      "an-old-address.html",
      "an-unfinished-thought.html",
      "container-tutorials-part-1.html",
      "container-tutorials-part-2.html",
      "container-tutorials-part-4.html",
      "container-tutorials-part-5.md",
      "existing-post.md",
      "kramdown-notes.md",
    ]);
    expect(await readFile(path.join(site, "posts/existing-post.md"), "utf8")).toBe(AUTHORS_OWN_POST);
  });

  it("maps WordPress front matter: title, the date with its offset, tags and categories, comments without emails", async () => {
    const { data, body } = await frontMatter(site, "posts/container-tutorials-part-1.html");
    expect(Object.keys(data)).toEqual(["title", "date", "tags", "comments"]);
    expect(data.title).toBe("Container Tutorials - Part 1 - Simple configuration");
    expect(data.date).toBe("2007-04-19T10:22:11+12:00");
    expect(data.tags).toEqual(["IoC", "Windsor", "Castle"]);
    expect(data.comments).toEqual([
      {
        author: "Jane Reader",
        url: "http://jane.example.org/",
        date: "2007-04-20T08:15:00+12:00",
        content: "<p>Great intro, thanks!<br />\r\nLooking forward to part 2.</p>",
      },
      { author: "Bob", date: "2007-04-21T09:00:00+12:00", content: "Mail me at [email removed] if you want the sample project." },
      { author: "Anonymous coward", date: "2007-04-22T11:30:00+12:00", content: "First!" },
    ]);
    // The HTML body is kept as WordPress wrote it: <br> runs, <pre> with <br>, inline styles, iframes.
    expect(body).toContain('<pre>&lt;component id="calculator"&gt;<br />  &lt;parameters&gt;');
    expect(body).toContain('<p style="color: #333;">');
    expect(body).toContain('<iframe width="420"');
  });

  it("rewrites links on the old hosts (http, https, the older name, and old WordPress addresses) to site paths", async () => {
    const part1 = (await frontMatter(site, "posts/container-tutorials-part-1.html")).body;
    expect(part1).toContain('src="/wp-content/uploads/2007/04/container-diagram.png"');
    expect(part1).toContain('<a href="/images/logo.png">logo</a>');
    expect(part1).toContain('<a href="/about/">about page</a>');
    const part2 = (await frontMatter(site, "posts/container-tutorials-part-2.html")).body;
    expect(part2).toContain('<a href="/container-tutorials-part-1/">part 1</a>');
    expect(part2).toContain('src="/wp-content/uploads/2007/04/console-output.png"');
    const part4 = (await frontMatter(site, "posts/container-tutorials-part-4.html")).body;
    expect(part4).toContain('<a href="/container-tutorials-part-2/">the WordPress-style link</a>');
    expect(part4).toContain('href="http://www.google.com/search?q=windsor"');
    expect(part4).not.toMatch(/bittercoder\.com/);
  });

  it("converts kramdown and Liquid: footnotes kept, site.* and post_url resolved, highlight fenced, raw unwrapped, attribute lists dropped", async () => {
    const { data, body } = await frontMatter(site, "posts/kramdown-notes.md");
    expect(data).toEqual({ title: "Notes on kramdown", date: "2015-03-01", summary: "What changed when the blog moved to Jekyll." });
    expect(body).toContain("The blog moved to Jekyll[^1]");
    expect(body).toContain("[^1]: Jekyll Now, to be exact.");
    expect(body).toContain("![The logo](/images/logo.png)");
    expect(body).toContain("[here](/container-tutorials-part-1/)");
    expect(body).toContain("[about page](/about/)");
    expect(body).toContain('```ruby\nconfig = { :permalink => "/:title/" }\n```');
    expect(body).toContain("Liquid looks like {{ page.title }} and {% if x %}.");
    expect(body).not.toContain("{:");
    expect(body).not.toMatch(/\{%-?\s*(?:raw|endraw|highlight|endhighlight)/);
  });

  it('imports an image without alt text with alt="" and a mark, and lists it by the line of the written post', async () => {
    const lines = (await readFile(path.join(site, "posts/container-tutorials-part-2.html"), "utf8")).split("\n");
    const line = lines.findIndex((candidate) => candidate.includes("wp-image-7")) + 1;
    expect(lines[line - 1]).toBe(
      '<p><img alt="" data-alt-missing class="alignnone size-full wp-image-7" src="/wp-content/uploads/2007/04/container-diagram.png" width="400" height="300" /></p>',
    );
    expect(lines.filter((candidate) => candidate.includes("data-alt-missing"))).toHaveLength(1);
    expect(run.stdout).toContain(
      `posts/container-tutorials-part-2.html:${line}: an image without alt text on the old blog, imported with alt="" and data-alt-missing`,
    );
    // An image on another site is left as it was.
    expect(lines).toContain('<p><img src="http://www.example.com/badge.gif" alt="A badge from another site" /></p>');
  });

  it("keeps drafts as drafts and old dated addresses as permalinks", async () => {
    expect((await frontMatter(site, "posts/an-unfinished-thought.html")).data).toMatchObject({ draft: true, tags: ["drafts"] });
    expect((await frontMatter(site, "posts/an-old-address.html")).data).toMatchObject({
      permalink: "/2009/07/15/an-old-address/",
      tags: ["Windsor", "Castle"],
    });
  });

  it("writes the Jekyll pages as Eleventy pages at the URLs they had, converted as posts are, and no page whose URL is taken", async () => {
    const sitesOwnPages = new Set((await snapshot(path.join(REPO, "pages"))).keys());
    expect([...(await snapshot(path.join(site, "pages"))).keys()].filter((file) => !sitesOwnPages.has(file)).sort()).toEqual(["contact.njk", "projects.md"]);
    await expect(readFile(path.join(site, "pages/about.md"))).rejects.toThrow(/ENOENT/);
    await expect(readFile(path.join(site, "pages/tutorials.md"))).rejects.toThrow(/ENOENT/);
    const projects = await frontMatter(site, "pages/projects.md");
    expect(projects.data).toEqual({
      layout: "layouts/page.njk",
      title: "Projects",
      description: "Things I have built.",
      permalink: "/projects/",
      templateEngineOverride: "md",
    });
    expect(projects.body).toContain("Code I wrote for The bitter coder, mostly about [Windsor](/container-tutorials-part-1/).");
    expect(projects.body).toContain("![The logo](/images/logo.png)");
    expect(projects.body).toContain("A note on templates: {{ page.title }} is Liquid");
    expect(projects.body).not.toContain("{:");
    // A page without a permalink: Jekyll's own, /contact/ under the /:title/ style.
    const contact = await frontMatter(site, "pages/contact.njk");
    expect(contact.data).toEqual({ layout: "layouts/page.njk", title: "Contact", permalink: "/contact/", templateEngineOverride: "html" });
    expect(contact.body).toContain('<a href="/container-tutorials-part-1/">the first tutorial</a>');
    expect(contact.body).toContain('<img src="/wp-content/uploads/2007/04/console-output.png" alt="Console output">');
  });

  it("records feed ids by jekyll-feed's rule for the published posts, and the old broken references", async () => {
    const ledger = JSON.parse(await readFile(path.join(site, "_data/feed-ids.json"), "utf8")) as Record<string, { file: string }>;
    expect(Object.fromEntries(Object.entries(ledger).map(([id, entry]) => [id, entry.file]))).toEqual({
      "/2009/07/15/an-old-address": "posts/an-old-address.html",
      "/container-tutorials-part-1": "posts/container-tutorials-part-1.html",
      "/container-tutorials-part-2": "posts/container-tutorials-part-2.html",
      "/container-tutorials-part-4": "posts/container-tutorials-part-4.html",
      "/container-tutorials-part-5": "posts/container-tutorials-part-5.md",
      "/kramdown-notes": "posts/kramdown-notes.md",
    });
    const broken = JSON.parse(await readFile(path.join(site, "_data/known-broken-links.json"), "utf8")) as Array<{ file: string; line: number; link: string }>;
    expect(broken.map((entry) => [entry.file, entry.link])).toEqual([
      ["pages/contact.njk", "/guestbook/"],
      ["posts/container-tutorials-part-4.html", "/wp-content/uploads/2007/05/never-uploaded.png"],
      ["posts/container-tutorials-part-4.html", "/category/castle/"],
    ]);
    for (const entry of broken) {
      const lines = (await readFile(path.join(site, entry.file), "utf8")).split("\n");
      expect(lines[entry.line - 1]).toContain(entry.link);
    }
  });

  it("copies the static folders to the same paths, and publishes the ones beyond images/ through site.json", async () => {
    const copied = [...(await snapshot(site)).keys()].filter((file) => /^(?:images|wp-content)\//.test(file)).sort();
    expect(copied).toEqual(["images/logo.png", "wp-content/uploads/2007/04/console-output.png", "wp-content/uploads/2007/04/container-diagram.png"]);
    expect(JSON.parse(await readFile(path.join(site, "_data/site.json"), "utf8")).staticFolders).toEqual(["wp-content"]);
    expect(run.stdout).toContain("Published wp-content/ as static folders");
  });

  it("never writes a reader's email address", async () => {
    for (const [file, bytes] of await snapshot(site)) {
      const text = bytes.toString("latin1");
      for (const email of FIXTURE_EMAILS) expect(text.includes(email), `${email} in ${file}`).toBe(false);
      expect(text.includes("author_email"), `author_email in ${file}`).toBe(false);
    }
  });

  it("reports counts, then what needs the author's eyes by file and line, and exits non-zero for the bad inputs", () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Posts: +7 \(2 markdown, 5 HTML\)/);
    expect(run.stdout).toMatch(/Drafts: +1\n/);
    expect(run.stdout).toMatch(/Comments archived: +4 /);
    expect(run.stdout).toMatch(/Images copied: +3 /);
    expect(run.stdout).toMatch(/Pages: +2 /);
    expect(run.stdout).toMatch(/Links rewritten: +15\n/);
    expect(run.stdout).toMatch(/Broken references: +3 /);
    expect(run.stdout).toMatch(/Skipped: +3\n/);
    expect(run.stdout).toMatch(/Not imported: +5 /);
    // WordPress-only keys are listed once, with the number of posts, not once per post.
    expect(run.stdout.match(/wordpress_id/g)).toHaveLength(1);
    expect(run.stdout).toContain("wordpress_id (4 posts)");
    const review = run.stdout.slice(run.stdout.indexOf("Needs your eyes:"));
    for (const expected of [
      /_posts\/undated-post\.md: not imported: found a file name without a date/,
      /_posts\/2010-01-01-broken-yaml\.md:3: not imported: invalid YAML/,
      /_posts\/2019-01-01-kramdown-notes\.html: not imported: found the slug "kramdown-notes", which _posts\/2015-03-01-kramdown-notes\.md has too/,
      /_posts\/2010-03-03-windows-1252\.html: not imported: found bytes that are not UTF-8/,
      /_posts\/2010-04-04-liquid-include\.md:6: not imported: cannot convert the Liquid tag "\{% include note\.html/,
      /_posts\/2015-03-01-kramdown-notes\.md:11: dropped the kramdown attribute list "\{: \.center\}"/,
      /_posts\/2016-06-01-existing-post\.md: skipped: posts\/existing-post\.md already exists/,
      /posts\/container-tutorials-part-4\.html:7: broken reference "\/wp-content\/uploads\/2007\/05\/never-uploaded\.png"/,
      /about\.md: skipped: its URL \/about\/ is taken: \/about\/ belongs to the site's own \/about\/ pages/,
      /tutorials\.md: skipped: its URL \/container-tutorials-part-1\/ is taken: \/container-tutorials-part-1\/index\.html belongs to the post posts\/container-tutorials-part-1\.html/,
      /projects\.md:8: dropped the kramdown attribute list "\{: \.lead\}"/,
    ]) {
      expect(review).toMatch(expected);
    }
  });

  it("proposes the run of 'Part N' posts sharing a tag as a series, gaps included, without applying it", async () => {
    expect(run.stdout).toContain(
      '_data/series.json: {"ioc":{"title":"Container Tutorials","description":"Posts tagged \\"IoC\\" from the old blog, in parts.","gaps":[3]}}',
    );
    expect(run.stdout).toMatch(/container-tutorials-part-4: series: ioc, part: 4/);
    expect((await frontMatter(site, "posts/container-tutorials-part-4.html")).data.series).toBeUndefined();
  });

  it("changes nothing when the same site is imported again", async () => {
    const before = await snapshot(site);
    const again = await runImport(WORDPRESS_ERA_SITE, site, "--host", OLD_HOST);
    expect(again.stdout).toMatch(/^Wrote 0 files\./);
    expect(again.stdout).toMatch(/Skipped: +3\n/);
    expect(await snapshot(site)).toEqual(before);
  });
});

describe("npm run import --dry-run", () => {
  it("writes nothing and prints the plan", async () => {
    const site = await freshSite();
    try {
      const before = await snapshot(site);
      const run = await runImport(WORDPRESS_ERA_SITE, site, "--host", OLD_HOST, "--dry-run");
      expect(run.stdout).toMatch(/^Dry run: nothing was written\. The import would write 1\d files:/);
      expect(run.stdout).toContain("  posts/container-tutorials-part-1.html\n");
      expect(run.stdout).toContain("  wp-content/uploads/2007/04/container-diagram.png\n");
      expect(run.stdout).toContain("  pages/projects.md\n");
      expect(run.stdout).toContain("  pages/contact.njk\n");
      expect(run.stdout).toContain("It would publish wp-content/ as static folders");
      expect(await snapshot(site)).toEqual(before);
    } finally {
      await rm(site, { recursive: true, force: true });
    }
  });
});

describe("npm run import on a source it cannot read", () => {
  it("names the problem and writes nothing when the folder is not a Jekyll site", async () => {
    const site = await freshSite();
    try {
      const before = await snapshot(site);
      const run = await runImport(path.join(WORDPRESS_ERA_SITE, "_posts"), site);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/found no _config\.yml; expected the folder of a Jekyll site/);
      expect(await snapshot(site)).toEqual(before);
    } finally {
      await rm(site, { recursive: true, force: true });
    }
  });

  it("writes nothing when one of the site's own data files is unreadable", async () => {
    const site = await freshSite();
    try {
      await writeFile(path.join(site, "_data/feed-ids.json"), "{ not json");
      const before = await snapshot(site);
      const run = await runImport(WORDPRESS_ERA_SITE, site);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/_data\/feed-ids\.json: found invalid JSON/);
      expect(await snapshot(site)).toEqual(before);
    } finally {
      await rm(site, { recursive: true, force: true });
    }
  });
});
