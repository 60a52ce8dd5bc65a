import { rm } from "node:fs/promises";
import { XMLParser } from "fast-xml-parser";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, makeFixtureSite, post, text, type BuiltSite } from "./helpers/site.ts";

const PART2 = "/no-planned-downtime-chasm-part2/";
const PART3 = "/no-planned-downtime-chasm-part3/";
const ALL = "/series/no-planned-downtime-chasm/all/";

/** The element an in-page href (`#x`) points at, found by id exactly as a browser does. */
function target(page: Document, href: string | null | undefined): Element | null {
  expect(href, "a same-page link").toMatch(/^#/);
  return page.getElementById(decodeURIComponent(href!.slice(1)));
}

/** Follows one tagged note on a page: reference → note → back link → reference. */
function followNote(page: Document, tag: string, prefix = "") {
  const reference = page.getElementById(`${prefix}fnref:${tag}`);
  expect(reference, `reference ${prefix}fnref:${tag}`).not.toBeNull();
  const note = target(page, reference!.getAttribute("href"));
  expect(note, `the reference's link reaches a note`).not.toBeNull();
  expect(note!.id).toBe(`${prefix}fn:${tag}`);
  const backLinks = [...note!.querySelectorAll('a[role="doc-backlink"]')];
  return { reference: reference!, note: note!, backLinks };
}

describe("tagged footnotes in the real posts", () => {
  let site: BuiltSite;
  beforeAll(async () => {
    site = await buildSite();
  });
  afterAll(() => site.cleanup());

  it("links part 3's forcing-function reference to its note, the note back to it, and on to Wikipedia", async () => {
    const page = await site.document(PART3);
    const { reference, note, backLinks } = followNote(page, "forcing-function");
    expect(backLinks).toHaveLength(1);
    expect(target(page, backLinks[0]!.getAttribute("href"))).toBe(reference);
    const links = [...note.querySelectorAll("a:not([role])")].map((link) => [text(link), link.getAttribute("href")]);
    expect(links).toEqual([["Behavior-shaping constraint", "https://en.wikipedia.org/wiki/Behavior-shaping_constraint"]]);
    // The reference sits right after the words it annotates.
    expect(reference.closest("p")?.textContent).toMatch(/fairly brutal forcing function\s*1/);
  });

  it("links part 2's scientist reference to its note, the note back to it, and on to GitHub", async () => {
    const page = await site.document(PART2);
    const { reference, note, backLinks } = followNote(page, "scientist");
    expect(target(page, backLinks[0]!.getAttribute("href"))).toBe(reference);
    expect(note.querySelector('a[href="https://github.com/github/scientist"]')).not.toBeNull();
    expect(reference.closest("li")?.textContent).toContain("Scientist-style experiments");
  });

  it("derives every footnote id from its tag, never from a counter", async () => {
    for (const sitePath of [PART2, PART3]) {
      const page = await site.document(sitePath);
      const ids = [...page.querySelectorAll(".footnotes [id], sup [id]")].map((element) => element.id);
      expect(ids.length, sitePath).toBeGreaterThan(0);
      for (const id of ids) expect(id, sitePath).toMatch(/^(fn|fnref):(forcing-function|scientist)$|^footnotes-heading$/);
      expect(page.querySelector('[id^="fn1"], [id^="fnref1"], [href="#fn1"]')).toBeNull();
    }
  });

  it("marks up the reference as a numbered link inside <sup> with an accessible name", async () => {
    const page = await site.document(PART3);
    const reference = page.getElementById("fnref:forcing-function")!;
    expect(reference.tagName).toBe("A");
    expect(reference.parentElement?.tagName).toBe("SUP");
    expect(reference.getAttribute("role")).toBe("doc-noteref");
    expect(text(reference)).toBe("1");
    expect(reference.getAttribute("aria-label")).toBe("Note 1");
  });

  it("puts the notes in an ordered list in a section labelled by a Notes heading, with named back links", async () => {
    const page = await site.document(PART3);
    const section = page.querySelector('[role="doc-endnotes"]')!;
    expect(section.tagName).toBe("SECTION");
    const heading = page.getElementById(section.getAttribute("aria-labelledby") ?? "");
    expect(heading && section.contains(heading)).toBe(true);
    expect(heading!.tagName).toBe("H2");
    expect(text(heading)).toBe("Notes");
    const list = section.querySelector("ol")!;
    expect([...list.children].map((item) => item.id)).toEqual(["fn:forcing-function"]);
    const back = list.querySelector('a[role="doc-backlink"]')!;
    expect(back.getAttribute("aria-label")).toBe("Back to reference 1");
    // The notes come last in the post's text.
    const body = page.querySelector(".post-body")!;
    expect(body.lastElementChild).toBe(section);
  });

  it("repeats the note beside the text as a sidenote hidden from assistive technology and the tab order", async () => {
    const page = await site.document(PART3);
    const sidenote = page.getElementById("fnref:forcing-function")!.parentElement!.nextElementSibling!;
    expect(sidenote.classList.contains("sidenote")).toBe(true);
    expect(sidenote.getAttribute("aria-hidden")).toBe("true");
    expect(sidenote.querySelector("[id]")).toBeNull();
    const links = [...sidenote.querySelectorAll("a")];
    expect(links.map((link) => [link.getAttribute("href"), link.getAttribute("tabindex")])).toEqual([
      ["https://en.wikipedia.org/wiki/Behavior-shaping_constraint", "-1"],
    ]);
    expect(text(sidenote)).toBe("1 Behavior-shaping constraint, on Wikipedia.");
  });

  it("prefixes each part's footnote ids on the one-page series, so they resolve and never collide", async () => {
    const page = await site.document(ALL);
    const ids = [...page.querySelectorAll("[id]")].map((element) => element.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    const scientist = followNote(page, "scientist", "part2-");
    expect(target(page, scientist.backLinks[0]!.getAttribute("href"))).toBe(scientist.reference);
    const forcing = followNote(page, "forcing-function", "part3-");
    expect(target(page, forcing.backLinks[0]!.getAttribute("href"))).toBe(forcing.reference);
    // Each part's Notes heading is one level below the part's own heading.
    expect([...page.querySelectorAll('[role="doc-endnotes"] > h3')].map((heading) => heading.id)).toEqual([
      "part2-footnotes-heading",
      "part3-footnotes-heading",
    ]);
  });

  it("lists both tags on /notes/, each linking to the reference that cites it", async () => {
    const page = await site.document("/notes/");
    const groups = [...page.querySelectorAll(".note-group")];
    expect(groups.map((group) => text(group.querySelector("h2")))).toEqual(["forcing-function", "scientist"]);
    const citations = await Promise.all(
      groups.map(async (group) => {
        const link = group.querySelector(".post-meta a")!.getAttribute("href")!;
        const [sitePath, fragment] = link.split("#") as [string, string];
        const cited = await site.document(sitePath);
        return { link, found: cited.getElementById(fragment)?.getAttribute("role") ?? null };
      }),
    );
    expect(citations).toEqual([
      { link: `${PART3}#fnref:forcing-function`, found: "doc-noteref" },
      { link: `${PART2}#fnref:scientist`, found: "doc-noteref" },
    ]);
    expect(groups[0]!.querySelector('.note-text a[href="https://en.wikipedia.org/wiki/Behavior-shaping_constraint"]')).not.toBeNull();
  });

  it("makes footnote links in the Atom feed absolute: the post's URL plus the fragment", async () => {
    const feed = new XMLParser({ ignoreAttributes: false }).parse(await site.read("/feed.xml")) as { feed: { entry: Array<{ content: { "#text": string } }> } };
    const html = feed.feed.entry.map((entry) => entry.content["#text"]).join("\n");
    const { document } = parseHTML(`<div>${html}</div>`);
    const footnoteLinks = [...document.querySelectorAll('a[href*="fn"]')].map((link) => link.getAttribute("href"));
    expect(footnoteLinks.sort()).toEqual([
      `https://blog.bittercoder.com${PART2}#fn:scientist`,
      `https://blog.bittercoder.com${PART2}#fnref:scientist`,
      `https://blog.bittercoder.com${PART3}#fn:forcing-function`,
      `https://blog.bittercoder.com${PART3}#fnref:forcing-function`,
    ]);
    // Feed readers get the endnotes only: a sidenote copy would print the note twice.
    expect(document.querySelector(".sidenote")).toBeNull();
  });
});

describe("two references to one note", () => {
  let input: string;
  let site: BuiltSite;
  beforeAll(async () => {
    input = await makeFixtureSite({
      blogPosts: true,
      posts: {
        "twice.md": post(
          { title: "Twice", date: "2021-02-01" },
          [
            "First mention.[^alpha] Another note.[^beta]",
            "",
            "Second mention of the first note.[^alpha]",
            "",
            "[^beta]: The beta note.",
            "[^alpha]: The alpha note, with [a link](https://example.org/).",
          ].join("\n"),
        ),
      },
    });
    site = await buildSite({ input });
  });
  afterAll(async () => {
    await site.cleanup();
    await rm(input, { recursive: true, force: true });
  });

  it("numbers notes by first reference and gives the second reference its own id", async () => {
    const page = await site.document("/twice/");
    const references = [...page.querySelectorAll('a[role="doc-noteref"]')].map((link) => [link.id, link.getAttribute("href"), text(link)]);
    expect(references).toEqual([
      ["fnref:alpha", "#fn:alpha", "1"],
      ["fnref:beta", "#fn:beta", "2"],
      ["fnref:alpha:2", "#fn:alpha", "1"],
    ]);
    expect([...page.querySelectorAll(".footnotes li")].map((item) => item.id)).toEqual(["fn:alpha", "fn:beta"]);
  });

  it("gives the note one back link per reference, each returning to its own reference", async () => {
    const page = await site.document("/twice/");
    const backLinks = [...page.getElementById("fn:alpha")!.querySelectorAll('a[role="doc-backlink"]')];
    expect(backLinks.map((link) => [link.getAttribute("href"), link.getAttribute("aria-label")])).toEqual([
      ["#fnref:alpha", "Back to reference 1"],
      ["#fnref:alpha:2", "Back to reference 1, use 2"],
    ]);
    expect(backLinks.map((link) => target(page, link.getAttribute("href"))?.id)).toEqual(["fnref:alpha", "fnref:alpha:2"]);
  });

  it("shows the sidenote once, beside the first reference", async () => {
    const page = await site.document("/twice/");
    expect([...page.querySelectorAll(".sidenote")].map((sidenote) => text(sidenote))).toEqual(["1 The alpha note, with a link.", "2 The beta note."]);
  });

  it("lists the note once on /notes/, linking to both places that cite it", async () => {
    const page = await site.document("/notes/");
    const group = page.getElementById("note-alpha")!.closest(".note-group")!;
    expect(text(group.querySelector(".post-meta"))).toBe("Note 1 in Twice, cited 2 times: 1, 2");
    const links = [...group.querySelectorAll(".post-meta a")].map((link) => link.getAttribute("href")!);
    expect(links).toEqual(["/twice/#fnref:alpha", "/twice/#fnref:alpha", "/twice/#fnref:alpha:2"]);
    const post = await site.document("/twice/");
    for (const link of links) expect(post.getElementById(link.split("#")[1]!)?.getAttribute("role"), link).toBe("doc-noteref");
  });
});
