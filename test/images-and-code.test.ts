import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { parseFeed as parseWithRowanmanning } from "@rowanmanning/feed-parser";
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { parseHTML } from "linkedom";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageEncodes } from "../lib/content/images.ts";
import type { ContentIssue } from "../lib/content/issues.ts";
import { itemHtmlProblems, strictXmlProblems } from "./helpers/feeds.ts";
import { MEDIA_POST_BODY as POST_BODY, MEDIA_SVG as SVG, writeMediaImages as writeImages } from "./helpers/media.ts";
import { buildError, buildSite, fullMessage, makeFixtureSite, post, type BuiltSite } from "./helpers/site.ts";

/*
 * A fixture site with images in images/ (one shown by a path relative to the
 * post), an SVG, a figure, and fenced code in several languages.
 */
const fixtures: string[] = [];
afterAll(() => Promise.all(fixtures.map((dir) => rm(dir, { recursive: true, force: true }))));

async function fixture(posts: Record<string, string>): Promise<string> {
  const input = await makeFixtureSite({ posts });
  fixtures.push(input);
  await writeImages(input);
  return input;
}

const PAGE = "/media/";

describe("a post with images and code", () => {
  let input: string;
  let site: BuiltSite;
  let document: Document;
  let encodesOfFirstBuild: number;

  beforeAll(async () => {
    input = await fixture({ "media.md": post({ title: "Media", date: "2021-05-01" }, POST_BODY) });
    const before = imageEncodes();
    site = await buildSite({ input });
    encodesOfFirstBuild = imageEncodes() - before;
    document = await site.document(PAGE);
  });
  afterAll(() => site?.cleanup());

  it("gives each raster image a picture of AVIF, WebP and its own format, never upscaled, every source decoding at its stated width", async () => {
    const pictures = [...document.querySelectorAll(".post-body picture")];
    expect(pictures).toHaveLength(3); // the PNG, the JPEG, and the PNG again in raw HTML
    const expected = [
      { types: ["image/avif", "image/webp"], fallback: "png", width: 1200, height: 800, widths: [480, 960, 1200] },
      { types: ["image/avif", "image/webp"], fallback: "jpeg", width: 700, height: 500, widths: [480, 700] },
    ];
    for (const [index, picture] of pictures.slice(0, 2).entries()) {
      const want = expected[index]!;
      const sources = [...picture.querySelectorAll("source")];
      expect(sources.map((source) => source.getAttribute("type"))).toEqual(want.types);
      const img = picture.querySelector("img")!;
      expect([Number(img.getAttribute("width")), Number(img.getAttribute("height"))]).toEqual([want.width, want.height]);
      const candidates = [...sources.map((source) => source.getAttribute("srcset")!), img.getAttribute("srcset")!];
      for (const [position, srcset] of candidates.entries()) {
        const entries = srcset.split(", ").map((entry) => entry.split(" "));
        expect(entries.map(([, width]) => Number(width!.slice(0, -1)))).toEqual(want.widths);
        for (const [url, width] of entries) {
          const file = await readFile(path.join(site.outputDir, url!));
          const metadata = await sharp(file).metadata();
          expect(metadata.format).toBe(position < 2 ? ["heif", "webp"][position] : want.fallback);
          expect(metadata.width).toBe(Number(width!.slice(0, -1)));
          expect(metadata.height).toBe(Math.round((want.height * metadata.width!) / want.width));
        }
      }
      const fallback = await sharp(await readFile(path.join(site.outputDir, img.getAttribute("src")!))).metadata();
      expect([fallback.width, fallback.height]).toEqual([want.width, want.height]);
    }
  });

  it("loads the first image at once and every later one lazily", () => {
    const images = [...document.querySelectorAll(".post-body img")];
    expect(images.length).toBe(4);
    expect(images[0]!.hasAttribute("loading")).toBe(false);
    for (const image of images.slice(1)) {
      expect(image.getAttribute("loading")).toBe("lazy");
      expect(image.getAttribute("decoding")).toBe("async");
    }
  });

  it("publishes the static image files as they are, and SVG as-is with its size", async () => {
    const svg = document.querySelector('.post-body img[src$=".svg"]')!;
    expect(svg.getAttribute("src")).toBe("/images/logo.svg");
    expect([svg.getAttribute("width"), svg.getAttribute("height")]).toEqual(["120", "40"]);
    expect(svg.closest("picture")).toBeNull();
    expect(await readFile(path.join(site.outputDir, "images/logo.svg"), "utf8")).toBe(SVG);
    expect((await sharp(await readFile(path.join(site.outputDir, "images/pipeline.png"))).metadata()).width).toBe(1200);
  });

  it("makes an image with a title alone in its paragraph a figure with a caption", () => {
    const figures = [...document.querySelectorAll(".post-body figure")];
    expect(figures).toHaveLength(1);
    expect(figures[0]!.querySelector("figcaption")!.textContent).toBe("The whiteboard after the retrospective");
    expect(figures[0]!.querySelector("img")!.getAttribute("alt")).toBe("A photo of the whiteboard");
    expect(figures[0]!.parentElement!.tagName).not.toBe("P");
  });

  it("keeps a raw HTML image's own empty alt and class", () => {
    const decorative = document.querySelector(".post-body img.decoration")!;
    expect(decorative.getAttribute("alt")).toBe("");
    expect(decorative.closest("picture")).not.toBeNull();
  });

  it("highlights fenced code by class, with no style attributes, and leaves raw HTML pre alone", () => {
    const blocks = [...document.querySelectorAll(".post-body pre.code")];
    expect(blocks).toHaveLength(6);
    const [csharp, ts, sql, bash, yaml, unknown] = blocks;
    const classesOf = (block: Element, word: string) =>
      [...block.querySelectorAll("span")].filter((span) => span.textContent!.includes(word)).map((span) => span.className);
    expect(classesOf(csharp!, "async")).toEqual(["k"]);
    expect(classesOf(csharp!, "// x")).toEqual(["c"]);
    expect(classesOf(ts!, "42")).toEqual(["m"]);
    expect(classesOf(sql!, "SELECT")).toEqual(["k"]);
    expect(classesOf(sql!, "'2020-01-01'")).toEqual(["s"]);
    expect(classesOf(bash!, "grep")).toEqual(["nf"]);
    expect(bash!.querySelector("span.s")!.textContent).toBe('"');
    expect(classesOf(yaml!, "name")).toEqual(["nf"]);
    expect(unknown!.querySelectorAll("span")).toHaveLength(0);
    expect(unknown!.textContent).toBe("+++[>++<-]\n");
    expect(document.querySelectorAll(".post-body [style]")).toHaveLength(0);
    const raw = [...document.querySelectorAll(".post-body pre")].find((pre) => !pre.classList.contains("code"))!;
    expect(raw.outerHTML).toBe("<pre>raw <b>html</b> pre</pre>");
  });

  it("lets a block with a line too long for a phone take keyboard focus, with a name", () => {
    const csharp = document.querySelector(".post-body pre.code")!;
    expect(csharp.getAttribute("tabindex")).toBe("0");
    expect(csharp.getAttribute("aria-label")).toBe("C# code");
    const short = [...document.querySelectorAll(".post-body pre.code")][1]!;
    expect(short.hasAttribute("tabindex")).toBe(false);
  });

  it("gives headings a self-link and wraps tables to scroll", () => {
    const heading = document.querySelector(".post-body h2#code")!;
    const link = heading.querySelector("a.self-link")!;
    expect(link.getAttribute("href")).toBe("#code");
    expect(link.textContent).toBe("Code");
    expect(document.querySelector(".post-body .table-scroll > table")).not.toBeNull();
  });

  it("encodes each image once, and a second build encodes nothing", async () => {
    expect(encodesOfFirstBuild).toBe(2);
    const before = imageEncodes();
    const again = await buildSite({ input });
    try {
      expect(imageEncodes() - before).toBe(0);
      expect(await again.read(PAGE)).toBe(await site.read(PAGE));
      const firstSrc = document.querySelector(".post-body picture img")!.getAttribute("src")!;
      await readFile(path.join(again.outputDir, firstSrc));
    } finally {
      await again.cleanup();
    }
  });

  it("gives feed items one plain img with an absolute URL to the original and its size, and plain code", async () => {
    const atom = parseHTML(await site.read("/feed.xml")).document;
    const entry = [...atom.querySelectorAll("entry")].find((candidate) => candidate.querySelector("title")!.textContent === "Media")!;
    const content = parseHTML(`<div>${entry.querySelector("content")!.textContent}</div>`).document;
    expect(content.querySelectorAll("picture, source")).toHaveLength(0);
    const images = [...content.querySelectorAll("img")].map((img) => [
      img.getAttribute("src"),
      img.getAttribute("alt"),
      img.getAttribute("width"),
      img.getAttribute("height"),
    ]);
    expect(images).toEqual([
      ["https://blog.bittercoder.com/images/pipeline.png", "The release pipeline, stage by stage", "1200", "800"],
      ["https://blog.bittercoder.com/images/whiteboard.jpg", "A photo of the whiteboard", "700", "500"],
      ["https://blog.bittercoder.com/images/logo.svg", "logo of the team", "120", "40"],
      ["https://blog.bittercoder.com/images/pipeline.png", "", "1200", "800"],
    ]);
    const code = [...content.querySelectorAll("pre code")].map((block) => block.textContent);
    expect(code).toContain("SELECT id, name FROM users WHERE created_at > '2020-01-01';\n");
    expect(content.querySelectorAll("pre span")).toHaveLength(0);
  });

  it("keeps every feed valid, its items' URLs absolute, and the parsers agreeing on the images and code", async () => {
    const [atom, rss, json] = await Promise.all(["/feed.xml", "/rss.xml", "/feed.json"].map((feedPath) => site.read(feedPath)));
    expect(await strictXmlProblems(atom!)).toBe("");
    expect(await strictXmlProblems(rss!)).toBe("");
    // The fixture's one post is every feed's one item.
    const contents: Record<string, string | undefined> = {
      "feedsmith Atom": parseAtomFeed(atom!).entries?.[0]?.content?.value,
      "feedsmith RSS": parseRssFeed(rss!).items?.[0]?.content?.encoded,
      "feedsmith JSON": parseJsonFeed(JSON.parse(json!)).items?.[0]?.content_html,
      "feed-parser Atom": parseWithRowanmanning(atom!).items[0]?.content ?? undefined,
      "feed-parser RSS": parseWithRowanmanning(rss!).items[0]?.content ?? undefined,
    };
    const seen = Object.entries(contents).map(([parser, html]) => {
      expect(html, `${parser} should read the item's content`).toBeTypeOf("string");
      expect(itemHtmlProblems(html!), parser).toEqual([]);
      const content = parseHTML(`<div>${html}</div>`).document;
      return {
        images: [...content.querySelectorAll("img")].map((img) => `${img.getAttribute("src")} ${img.getAttribute("width")}x${img.getAttribute("height")}`),
        code: [...content.querySelectorAll("pre code")].map((block) => block.textContent),
      };
    });
    expect(seen[0]!.images).toHaveLength(4);
    expect(seen[0]!.code).toHaveLength(6);
    const parsers = Object.keys(contents);
    for (const [index, other] of seen.entries()) {
      // @rowanmanning/feed-parser 2.1.5 decodes an item's HTML content twice (Atom and RSS),
      // so `Task&lt;int&gt;` in code reads as a tag: its images agree, its code cannot.
      if (parsers[index]!.startsWith("feed-parser")) expect(other.images, parsers[index]).toEqual(seen[0]!.images);
      else expect(other, parsers[index]).toEqual(seen[0]);
    }
    // Written right: escaped once as HTML inside the content, and once more as XML.
    expect(atom).toContain("Task&amp;lt;int&amp;gt;");
  });
});

describe("mistakes with images and code", () => {
  it("fails on a missing image and on empty alt text, naming file, line and image, and warns of an unknown language", async () => {
    const body = ["Text.", "", "![A diagram](/images/nowhere.png)", "", "![](/images/pipeline.png)", "", "![Beside](missing-beside.png)", ""].join("\n");
    const input = await fixture({ "broken.md": post({ title: "Broken", date: "2021-05-01" }, body) });
    const error = await buildError({ input });
    expect(error.name, fullMessage(error)).toBe("ContentError");
    const issues = (error as Error & { issues: readonly ContentIssue[] }).issues;
    expect(issues).toEqual([
      expect.objectContaining({ file: "posts/broken.md", line: 7, field: "image", found: '"/images/nowhere.png"' }),
      expect.objectContaining({
        file: "posts/broken.md",
        line: 9,
        field: "image",
        found: '"/images/pipeline.png"',
        expected: expect.stringContaining("alt text"),
      }),
      expect.objectContaining({
        file: "posts/broken.md",
        line: 11,
        field: "image",
        found: '"missing-beside.png"',
        expected: expect.stringContaining("posts/missing-beside.png"),
      }),
    ]);
  });
});
