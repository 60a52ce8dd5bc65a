import { describe, expect, it } from "vitest";
import { scanPage } from "../lib/plugins/link-check.ts";

describe("the link check's page scanner", () => {
  it("reads ids and link targets in every quoting style, decoding entities", () => {
    const page = scanPage(`<p id="a">x</p><P ID='b'></P><div id=c></div><a href="/x/?q=1&amp;r=2#f">l</a><A HREF='/y/'>l</A><img src=/z.png alt="a > b"><link rel="stylesheet" href="/s.css">`);
    expect([...page.ids]).toEqual(["a", "b", "c"]);
    expect(page.links).toEqual([
      { attribute: "a href", value: "/x/?q=1&r=2#f" },
      { attribute: "a href", value: "/y/" },
      { attribute: "img src", value: "/z.png" },
      { attribute: "link href", value: "/s.css" },
    ]);
  });

  it("finds repeated ids", () => {
    expect([...scanPage(`<h2 id="notes">a</h2><section><h3 id="notes">b</h3></section>`).duplicateIds]).toEqual(["notes"]);
    // Written without a value, an id is still an id (here an empty one, twice).
    expect([...scanPage(`<p id>a</p><p class="x" ID>b</p>`).duplicateIds]).toEqual([""]);
  });

  it("ignores what is not markup: comments and the text of scripts and styles", () => {
    const page = scanPage(`<!-- <a href="/commented/">x</a> --><script>document.write('<a href="/scripted/">')</script><style>a[id="styled"]{}</style><a href="/real/">r</a>`);
    expect(page.links.map((link) => link.value)).toEqual(["/real/"]);
    expect(page.ids.size).toBe(0);
  });

  it("still sees a script's own src", () => {
    expect(scanPage(`<script src="/assets/app.js" defer></script>`).links).toEqual([{ attribute: "script src", value: "/assets/app.js" }]);
  });
});
