import { describe, expect, it } from "vitest";
import type { BuildResult } from "@11ty/eleventy";
import { SiteUrls } from "../lib/content/site-urls.ts";
import type { Blog } from "../lib/plugins/content-model.ts";
import { checkLinks, scanPage } from "../lib/plugins/link-check.ts";

describe("the link check's page scanner", () => {
  it("reads ids and link targets in every quoting style, decoding entities", () => {
    const page = scanPage(
      `<p id="a">x</p><P ID='b'></P><div id=c></div><a href="/x/?q=1&amp;r=2#f">l</a><A HREF='/y/'>l</A><img src=/z.png alt="a > b"><link rel="stylesheet" href="/s.css">`,
    );
    expect([...page.ids]).toEqual(["a", "b", "c"]);
    expect(page.links).toEqual([
      { attribute: "a href", value: "/x/?q=1&r=2#f" },
      { attribute: "a href", value: "/y/" },
      { attribute: "img src", value: "/z.png" },
      { attribute: "link href", value: "/s.css" },
    ]);
  });

  it("decodes every named and numeric entity in a value, and nothing in a value without one", () => {
    const page = scanPage(`<h2 id="caf&eacute;">x</h2><a href="/caf&#xe9;/?a=1&amp;b=2">l</a><a href="/a&b/">l</a><constructor id="c">`);
    expect([...page.ids]).toEqual(["café", "c"]);
    expect(page.links.map((link) => link.value)).toEqual(["/café/?a=1&b=2", "/a&b/"]);
  });

  it("finds repeated ids", () => {
    expect([...scanPage(`<h2 id="notes">a</h2><section><h3 id="notes">b</h3></section>`).duplicateIds]).toEqual(["notes"]);
    // Written without a value, an id is still an id (here an empty one, twice).
    expect([...scanPage(`<p id>a</p><p class="x" ID>b</p>`).duplicateIds]).toEqual([""]);
  });

  it("ignores what is not markup: comments and the text of scripts and styles", () => {
    const page = scanPage(
      `<!-- <a href="/commented/">x</a> --><script>document.write('<a href="/scripted/">')</script><style>a[id="styled"]{}</style><a href="/real/">r</a>`,
    );
    expect(page.links.map((link) => link.value)).toEqual(["/real/"]);
    expect(page.ids.size).toBe(0);
  });

  it("reads past text that only looks like a tag: a lone <, a closing tag, a tag with a broken attribute", () => {
    const page = scanPage(`<p>1 < 2 and <3</p><b ="x">not a tag</b><TEXTAREA><a href="/typed/"></TEXTAREA ><a href="/after/">a</a>`);
    expect(page.links.map((link) => link.value)).toEqual(["/after/"]);
  });

  it("treats an unterminated comment as running to the end of the page", () => {
    expect(scanPage(`<a href="/before/">b</a><!-- <a href="/inside/">`).links.map((link) => link.value)).toEqual(["/before/"]);
  });

  it("still sees a script's own src", () => {
    expect(scanPage(`<script src="/assets/app.js" defer></script>`).links).toEqual([{ attribute: "script src", value: "/assets/app.js" }]);
  });
});

describe("checkLinks", () => {
  const urls = new SiteUrls("https://example.com/", "https://example.com/");
  const blog = { site: { urls }, model: { staticFiles: new Map(), images: { published: new Map() } }, postFileAt: () => undefined } as unknown as Blog;
  const page = (url: string, content: string): BuildResult => ({ url, content, inputPath: `./pages${url}index.njk`, outputPath: `_site${url}index.html` });

  it("checks a fragment on a page read before the link and on one read after it", () => {
    const results = [
      page("/a/", '<h2 id="here">A</h2><a href="/b/#there">ok</a><a href="/b/#gone">later page</a>'),
      page("/b/", '<h2 id="there">B</h2><a href="/a/#here">ok</a><a href="/a/#lost">earlier page</a>'),
    ];
    const found = checkLinks(results, blog).map((issue) => issue.found);
    expect(found.sort()).toEqual(['"/a/#lost"', '"/b/#gone"']);
  });

  it("checks no fragment on a file that is not HTML, but still that the file exists", () => {
    const results = [
      page("/a/", '<a href="/feed.xml#anything">feed</a><a href="/missing.xml">missing</a>'),
      { url: "/feed.xml", content: "<feed/>", inputPath: "./feeds/atom.11ty.js", outputPath: "_site/feed.xml" },
    ];
    expect(checkLinks(results, blog).map((issue) => issue.found)).toEqual(['"/missing.xml"']);
  });
});
