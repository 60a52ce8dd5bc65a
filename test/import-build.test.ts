import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FIXTURE_EMAILS, OLD_HOST, runImport, snapshot, WORDPRESS_ERA_SITE } from "./helpers/import.ts";
import { buildError, buildSite, fullMessage, makeFixtureSite, post, text, type BuiltSite } from "./helpers/site.ts";

/** The fixture blog's url in _config.yml: jekyll-feed's ids start with it. */
const JEKYLL_URL = "https://blog.bittercoder.com";

/** Every published post of the fixture blog: the URL Jekyll served it at (by its /:title/ rule or its own permalink), and its title. */
const OLD_URLS: Record<string, string> = {
  "/container-tutorials-part-1/": "Container Tutorials - Part 1 - Simple configuration",
  "/container-tutorials-part-2/": "Container Tutorials - Part 2 - Configuration parameters",
  "/container-tutorials-part-4/": "Container Tutorials - Part 4 - Switching implementations",
  "/container-tutorials-part-5/": "Container Tutorials - Part 5 - Decorators",
  "/2009/07/15/an-old-address/": "An old address",
  "/kramdown-notes/": "Notes on kramdown",
};

/** jekyll-feed's entry id: the site url, then the post's id (its URL's folder and its slug: the URL without its trailing slash here). */
const jekyllFeedId = (url: string) => `${JEKYLL_URL}${url.replace(/\/$/, "")}`;

describe("an imported WordPress-era blog, built", () => {
  let input: string;
  let site: BuiltSite;
  let warnings: string[];

  beforeAll(async () => {
    input = await makeFixtureSite({ posts: { "existing-post.md": post({ title: "My own post", date: "2016-06-01" }) } });
    const run = await runImport(WORDPRESS_ERA_SITE, input, "--host", OLD_HOST, "--series");
    expect(run.stdout).toContain("Series applied");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      site = await buildSite({ input });
      warnings = warn.mock.calls.map((call) => String(call[0]));
    } finally {
      warn.mockRestore();
    }
  });
  afterAll(async () => {
    await site?.cleanup();
    await rm(input, { recursive: true, force: true });
  });

  it("serves every old URL with its post", async () => {
    for (const [url, title] of Object.entries(OLD_URLS)) {
      expect(text((await site.document(url)).querySelector("h1")), url).toBe(title);
    }
    expect(site.paths).not.toContain("/an-unfinished-thought/");
  });

  it("serves the old blog's pages at their URLs, in the site's frame, their links checked with the rest", async () => {
    const projects = await site.document("/projects/");
    expect(text(projects.querySelector("main h1"))).toBe("Projects");
    expect(projects.querySelector("title")!.textContent).toMatch(/^Projects · /);
    expect(projects.querySelector('meta[name="description"]')!.getAttribute("content")).toBe("Things I have built.");
    const prose = projects.querySelector("main .prose")!;
    expect(prose.querySelector('a[href="/container-tutorials-part-1/"]')).not.toBeNull();
    expect(prose.querySelector('img[src="/images/logo.png"]')).not.toBeNull();
    // Jekyll's Liquid, kept as text, is text here too: no template engine reads an imported page.
    expect(text(prose)).toContain("A note on templates: {{ page.title }} is Liquid");
    const contact = await site.document("/contact/");
    expect(text(contact.querySelector("main h1"))).toBe("Contact");
    expect(contact.querySelector('main .prose img[src="/wp-content/uploads/2007/04/console-output.png"]')!.getAttribute("alt")).toBe("Console output");
    const sitemap = await site.read("/sitemap.xml");
    for (const url of ["/projects/", "/contact/"]) expect(sitemap).toContain(`${url}</loc>`);
    // The site's own about page keeps its URL; the old one was reported, not written.
    expect(text((await site.document("/about/")).querySelector("main h1"))).toBe("About");
  });

  it("publishes HTML posts as written: <br> runs and <pre> with <br> inside, not passed through markdown", async () => {
    const body = (await site.document("/container-tutorials-part-1/")).querySelector(".post-body")!;
    expect(body.querySelector("pre")!.innerHTML).toBe(
      '&lt;component id="calculator"&gt;<br>  &lt;parameters&gt;<br>    &lt;rate&gt;0.125&lt;/rate&gt;<br>  &lt;/parameters&gt;<br>&lt;/component&gt;',
    );
    expect(body.querySelectorAll("p")[0]!.querySelectorAll("br")).toHaveLength(1);
  });

  it("shows the site's own images in HTML posts as <picture>, sized, lazy after the first, and leaves other sites' images as they are", async () => {
    const body = (await site.document("/container-tutorials-part-2/")).querySelector(".post-body")!;
    const pictures = [...body.querySelectorAll("picture")];
    expect(pictures).toHaveLength(2);
    for (const picture of pictures) {
      expect([...picture.querySelectorAll("source")].map((source) => source.getAttribute("type"))).toEqual(["image/avif", "image/webp"]);
      for (const variant of picture.querySelector("img")!.getAttribute("srcset")!.split(", ")) {
        await expect(readFile(path.join(site.outputDir, variant.split(" ")[0]!)), variant).resolves.toBeDefined();
      }
    }
    const [first, second] = pictures.map((picture) => picture.querySelector("img")!);
    expect([first!.getAttribute("alt"), first!.getAttribute("loading"), first!.getAttribute("width")]).toEqual(["Console output", null, "1"]);
    // The image the old blog had no alt text for: alt="" until the author writes one, its WordPress class kept, the mark not published.
    expect([second!.getAttribute("alt"), second!.getAttribute("loading"), second!.getAttribute("class"), second!.hasAttribute("data-alt-missing")]).toEqual([
      "",
      "lazy",
      "alignnone size-full wp-image-7",
      false,
    ]);
    expect(body.querySelector('img[src="http://www.example.com/badge.gif"]')!.closest("picture")).toBeNull();
  });

  it("gives feed items a plain <img> of each image at its absolute URL", async () => {
    const feed = await site.read("/feed.xml");
    const entry = feed.split("<entry>").find((candidate) => candidate.includes("<id>https://blog.bittercoder.com/container-tutorials-part-2</id>"))!;
    expect(entry).not.toContain("picture");
    expect(entry).toContain(
      '&lt;img src="https://blog.bittercoder.com/wp-content/uploads/2007/04/console-output.png" alt="Console output" width="1" height="1" /&gt;',
    );
    expect(entry).toContain(
      '&lt;img src="https://blog.bittercoder.com/wp-content/uploads/2007/04/container-diagram.png" alt="" width="1" height="1" class="alignnone size-full wp-image-7" /&gt;',
    );
  });

  it("warns, at its line, about each image imported without alt text", async () => {
    const lines = (await readFile(path.join(input, "posts/container-tutorials-part-2.html"), "utf8")).split("\n");
    const line = lines.findIndex((candidate) => candidate.includes("data-alt-missing")) + 1;
    expect(warnings.filter((warning) => warning.includes("data-alt-missing"))).toEqual([
      `warning: posts/container-tutorials-part-2.html:${line}: img alt: found "/wp-content/uploads/2007/04/container-diagram.png"; alt text for an image imported without it: write what it shows in alt (or keep alt="" if it is decorative) and remove data-alt-missing`,
    ]);
  });

  it("gives each post the feed id jekyll-feed gave it", async () => {
    const feed = await site.read("/feed.xml");
    const ids = [...feed.matchAll(/<entry>[\s\S]*?<id>([^<]+)<\/id>/g)].map((match) => match[1]).sort();
    // The site's own post keeps its id too.
    expect(ids).toEqual([...Object.keys(OLD_URLS), "/existing-post/"].map(jekyllFeedId).sort());
  });

  it("resolves every rewritten link", async () => {
    const hrefs = new Set<string>();
    for (const url of Object.keys(OLD_URLS)) {
      const page = await site.document(url);
      for (const element of page.querySelectorAll(".post-body [href], .post-body [src]"))
        hrefs.add(element.getAttribute("href") ?? element.getAttribute("src")!);
    }
    const local = [...hrefs].filter((link) => link.startsWith("/")).map((link) => link.replace(/[?#].*$/, ""));
    // Images are shown through the image pipeline (under /assets/img/); links keep their site paths.
    expect(local).toEqual(expect.arrayContaining(["/images/logo.png", "/container-tutorials-part-1/", "/container-tutorials-part-2/", "/about/"]));
    expect(local.filter((link) => link.startsWith("/assets/img/")).length).toBeGreaterThan(0);
    const known = ["/wp-content/uploads/2007/05/never-uploaded.png", "/category/castle/"];
    for (const link of local.filter((candidate) => !known.includes(candidate))) {
      const file = path.join(site.outputDir, link.endsWith("/") ? `${link}index.html` : link);
      await expect(readFile(file), link).resolves.toBeDefined();
    }
    expect([...hrefs].filter((link) => link.includes("bittercoder.com"))).toEqual([]);
  });

  it("reports the old broken references as warnings, by the line of the post or page that holds them, and builds", async () => {
    const lines = (await readFile(path.join(input, "posts/container-tutorials-part-4.html"), "utf8")).split("\n");
    const lineOf = (link: string) => lines.findIndex((line) => line.includes(link)) + 1;
    const pageLine = (await readFile(path.join(input, "pages/contact.njk"), "utf8")).split("\n").findIndex((line) => line.includes("/guestbook/")) + 1;
    expect(warnings.filter((line) => line.includes("known broken link"))).toEqual([
      `warning: pages/contact.njk:${pageLine}: a href: found "/guestbook/"; a known broken link, recorded in _data/known-broken-links.json: it still leads nowhere`,
      `warning: posts/container-tutorials-part-4.html:${lineOf("never-uploaded.png")}: img src: found "/wp-content/uploads/2007/05/never-uploaded.png"; a known broken link, recorded in _data/known-broken-links.json: it still leads nowhere`,
      `warning: posts/container-tutorials-part-4.html:${lineOf("/category/castle/")}: a href: found "/category/castle/"; a known broken link, recorded in _data/known-broken-links.json: it still leads nowhere`,
    ]);
    expect(site.paths).toContain("/container-tutorials-part-4/");
  });

  it("shows the old comments under their post, sanitized, with commenters' links marked nofollow ugc", async () => {
    const part1 = await site.document("/container-tutorials-part-1/");
    const archive = part1.querySelector("section.comments-archive")!;
    expect(text(archive.querySelector("h2"))).toBe("Comments from the original blog");
    expect([...archive.querySelectorAll(".comment-author")].map(text)).toEqual(["Jane Reader", "Bob", "Anonymous coward"]);
    expect(archive.querySelector(".comment-author a")!.getAttribute("rel")).toBe("nofollow ugc");
    expect(archive.querySelector("time")!.getAttribute("datetime")).toMatch(/^2007-04-19/);
    expect(part1.querySelector("form")).toBeNull();

    const hostile = (await site.document("/container-tutorials-part-2/")).querySelector("section.comments-archive")!;
    const comment = hostile.querySelector(".comment-text")!;
    expect(text(hostile.querySelector(".comment-author"))).toBe("<b>Mallory</b>");
    expect(comment.querySelectorAll("script, iframe, img, [onclick], [onerror]")).toHaveLength(0);
    expect(comment.innerHTML).not.toMatch(/javascript:|alert/);
    expect([...comment.querySelectorAll("a")].map((link) => [link.getAttribute("href"), link.getAttribute("rel")])).toEqual([
      [null, "nofollow ugc"],
      ["http://spam.example/", "nofollow ugc"],
    ]);
  });

  it("keeps comments out of feed items", async () => {
    for (const feed of ["/feed.xml", "/rss.xml", "/feed.json"]) {
      const content = await site.read(feed);
      expect(content, feed).toContain("It starts from nothing");
      expect(content, feed).not.toContain("Great intro");
    }
  });

  it("publishes the 'Part N' run as a series, with the part the old blog never had left out", async () => {
    const series = await site.document("/series/ioc/");
    expect(text(series.querySelector("h1"))).toContain("Container Tutorials");
    const links = [...series.querySelectorAll("main a")].map((link) => link.getAttribute("href"));
    expect(links).toEqual(
      expect.arrayContaining(["/container-tutorials-part-1/", "/container-tutorials-part-2/", "/container-tutorials-part-4/", "/container-tutorials-part-5/"]),
    );
    expect(JSON.parse(await readFile(path.join(input, "_data/series.json"), "utf8")).ioc.gaps).toEqual([3]);
  });

  it("publishes no reader's email address in any file", async () => {
    for (const [file, bytes] of await snapshot(site.outputDir)) {
      const content = bytes.toString("latin1");
      for (const email of FIXTURE_EMAILS) expect(content.includes(email), `${email} in ${file}`).toBe(false);
    }
  });

  it("fails the build on a broken link the ledger does not know", async () => {
    const file = path.join(input, "posts/container-tutorials-part-5.md");
    const original = await readFile(file, "utf8");
    await writeFile(file, `${original}\nSee [the next part](/container-tutorials-part-6/).\n`);
    try {
      const message = fullMessage(await buildError({ input }));
      expect(message).toMatch(/^ {2}- posts\/container-tutorials-part-5\.md:\d+: a href: found "\/container-tutorials-part-6\/"/m);
      expect(message).not.toContain("never-uploaded");
    } finally {
      await writeFile(file, original);
    }
  });
});

describe("an imported blog in a draft build", () => {
  it("publishes the draft, and still no reader's email address", async () => {
    const input = await makeFixtureSite();
    try {
      await runImport(WORDPRESS_ERA_SITE, input, "--host", OLD_HOST);
      vi.spyOn(console, "warn").mockImplementation(() => {});
      const site = await buildSite({ input, env: { BLOG_DRAFTS: "1" } });
      try {
        expect(text((await site.document("/an-unfinished-thought/")).querySelector("h1"))).toBe("An unfinished thought");
        for (const [file, bytes] of await snapshot(site.outputDir)) {
          for (const email of FIXTURE_EMAILS) expect(bytes.toString("latin1").includes(email), `${email} in ${file}`).toBe(false);
        }
      } finally {
        await site.cleanup();
      }
    } finally {
      vi.restoreAllMocks();
      await rm(input, { recursive: true, force: true });
    }
  });
});
