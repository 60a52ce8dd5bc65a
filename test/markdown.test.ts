import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { createMarkdown, kramdownId } from "../lib/content/markdown.ts";
import { FEED, PAGE, ParsedPost } from "../lib/content/post-source.ts";
import { SiteUrls } from "../lib/content/site-urls.ts";

const md = createMarkdown();
const CANONICAL = "https://blog.bittercoder.com";

function parse(body: string, deployment = CANONICAL, sitePath = "/a-post/"): ParsedPost {
  return new ParsedPost(md, body, new SiteUrls(deployment, CANONICAL), sitePath, [PAGE]);
}

const hrefs = (html: string, selector = "a") =>
  [...parseHTML(`<div>${html}</div>`).document.querySelectorAll(selector)].map((link) => link.getAttribute("href"));

describe("heading ids", () => {
  it("follow kramdown's rule, so old #fragment links keep working", () => {
    expect(kramdownId("Migrating access tokens for 3rd party API's")).toBe("migrating-access-tokens-for-3rd-party-apis");
    expect(kramdownId("1. Numbers first")).toBe("numbers-first");
    expect(kramdownId("!!!")).toBe("section");
  });

  it("number repeated headings and take the page's prefix and shift", () => {
    const parsed = parse("## Intro\n\nA.\n\n## Intro\n\nB.\n");
    expect(parsed.render(PAGE)).toContain('<h2 id="intro"><a class="self-link" href="#intro">Intro</a></h2>');
    expect(parsed.render(PAGE)).toContain('<h2 id="intro-1"><a class="self-link" href="#intro-1">Intro</a></h2>');
    const part = parsed.render({ mode: "page", idPrefix: "part2-", headingShift: 1 });
    expect(part).toContain('<h3 id="part2-intro"><a class="self-link" href="#part2-intro">Intro</a></h3>');
    expect(part).toContain('<h3 id="part2-intro-1"><a class="self-link" href="#part2-intro-1">Intro</a></h3>');
  });

  it("link to themselves on pages, except a heading holding a link of its own, and not in feeds", () => {
    const parsed = parse("## Plain\n\n## See [the docs](https://example.org/)\n");
    expect(hrefs(parsed.render(PAGE), "h2 a")).toEqual(["#plain", "https://example.org/"]);
    expect(hrefs(parsed.render(FEED), "h2 a")).toEqual(["https://example.org/"]);
  });
});

describe("links", () => {
  it("turn the author's links to the blog's own address into site-relative ones, over http or https", () => {
    const parsed = parse("[a](http://blog.bittercoder.com/x/) [b](https://blog.bittercoder.com/y/#z) [c](https://example.org/) [d](#here)\n");
    expect(hrefs(parsed.render(PAGE))).toEqual(["/x/", "/y/#z", "https://example.org/", "#here"]);
  });

  it("carry a deployment's path prefix, so a preview under /blog/ works", () => {
    const parsed = parse("[a](http://blog.bittercoder.com/x/) [b](/y/)\n", "https://example.github.io/blog/");
    expect(hrefs(parsed.render(PAGE))).toEqual(["/blog/x/", "/blog/y/"]);
  });

  it("are absolute in feeds, including same-page fragments", () => {
    const parsed = parse("[a](http://blog.bittercoder.com/x/) [b](#here) [c](img/pic/)\n");
    expect(hrefs(parsed.render(FEED))).toEqual([`${CANONICAL}/x/`, `${CANONICAL}/a-post/#here`, `${CANONICAL}/a-post/img/pic/`]);
  });

  it("into the page take the part's prefix on a page of several posts", () => {
    const parsed = parse("[down](#later)\n\n## Later\n");
    expect(hrefs(parsed.render({ mode: "page", idPrefix: "part1-", headingShift: 1 }), "p a")).toEqual(["#part1-later"]);
  });
});

describe("tagged footnotes", () => {
  const body =
    "Claim.[^forcing-function]\n\n[^forcing-function]: [Behavior-shaping constraint](https://en.wikipedia.org/wiki/Behavior-shaping_constraint), on Wikipedia.\n";

  it("take their ids from the tag, with the page's prefix", () => {
    const parsed = parse(body);
    const page = parseHTML(`<div>${parsed.render({ mode: "page", idPrefix: "part3-", headingShift: 1 })}</div>`).document;
    expect(page.querySelector('[role="doc-noteref"]')?.getAttribute("href")).toBe("#part3-fn:forcing-function");
    expect(page.querySelector('[role="doc-noteref"]')?.id).toBe("part3-fnref:forcing-function");
    expect(page.querySelector("li.footnote-item")?.id).toBe("part3-fn:forcing-function");
    expect(page.querySelector('[role="doc-backlink"]')?.getAttribute("href")).toBe("#part3-fnref:forcing-function");
    expect(page.querySelector('[role="doc-endnotes"] > h3')?.id).toBe("part3-footnotes-heading");
  });

  it("point at the post's URL in feeds, with no sidenote copy", () => {
    const html = parse(body).render(FEED);
    expect(hrefs(html, '[role="doc-noteref"], [role="doc-backlink"]')).toEqual([
      `${CANONICAL}/a-post/#fn:forcing-function`,
      `${CANONICAL}/a-post/#fnref:forcing-function`,
    ]);
    expect(html).not.toContain("sidenote");
  });

  it("are summarised for the notes index in reading order", () => {
    const parsed = parse("B first.[^b] Then a.[^a] B again.[^b]\n\n[^a]: Note a.\n[^b]: Note *b*.\n");
    expect(parsed.footnotes).toEqual([
      { tag: "b", number: 1, references: 2, html: "Note <em>b</em>." },
      { tag: "a", number: 2, references: 1, html: "Note a." },
    ]);
    expect(parsed.footnoteProblems).toEqual([]);
  });

  it("leave a reference inside code alone", () => {
    const parsed = parse("Write `text[^tag]` to cite.\n");
    expect(parsed.footnoteProblems).toEqual([]);
    expect(parsed.render(PAGE)).toContain("<code>text[^tag]</code>");
  });

  it("count words split by any white space, as \\s would", () => {
    const spaces = ["\t", "\n", "\u00a0", "\u2003", "\u3000", "\u202f", "\ufeff"];
    const parsed = parse(`${spaces.map((space, index) => `w${index}${space}`).join("")}last — *emphasised* \`code span\`\n`);
    expect(parsed.words).toBe(spaces.length + 5);
  });

  it("do not count towards the reading time or the excerpt", () => {
    const parsed = parse("One two three.[^n]\n\n[^n]: Four five six seven eight nine ten.\n");
    expect(parsed.words).toBe(3);
    expect(parsed.excerpt).toBe("One two three.");
  });
});
