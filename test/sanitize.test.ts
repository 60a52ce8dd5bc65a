import { describe, expect, it } from "vitest";
import { sanitizeCommentHtml, sanitizePostHtml } from "../lib/content/sanitize.ts";

const base = { postUrl: "https://example.github.io/blog/post/", siteUrl: (sitePath: string) => `https://example.github.io/blog${sitePath}` };

describe("the post profile with a base (feed items)", () => {
  it.each([
    ['<img src="pic.png" alt="">', '<img src="https://example.github.io/blog/post/pic.png" alt="" />'],
    [
      '<img src="/pic.png" srcset="a.png 1x, /b.png 2x">',
      '<img src="https://example.github.io/blog/pic.png" srcset="https://example.github.io/blog/post/a.png 1x, https://example.github.io/blog/b.png 2x" />',
    ],
    ['<a href="//cdn.example.com/x">x</a>', '<a href="https://cdn.example.com/x">x</a>'],
    ['<a href="#fn:1">1</a>', '<a href="https://example.github.io/blog/post/#fn:1">1</a>'],
    ['<a href="?page=2&amp;sort=new">next</a>', '<a href="https://example.github.io/blog/post/?page=2&amp;sort=new">next</a>'],
    [
      '<video poster="still.jpg" src="clip.mp4"></video>',
      '<video poster="https://example.github.io/blog/post/still.jpg" src="https://example.github.io/blog/post/clip.mp4"></video>',
    ],
    ['<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"],
    ['<a href="java\tscript:alert(1)">x</a>', "<a>x</a>"],
    ['<a href="data:text/html,<script>alert(1)</script>">x</a>', "<a>x</a>"],
    ['<img src="data:image/svg+xml,<svg onload=alert(1)>">', "<img />"],
    ['<p ONCLICK="x()" class="c">p</p>', '<p class="c">p</p>'],
    ['a<script src="x.js"></script>b', "ab"],
    ['a<script>if (1 < 2) document.write("</p>")</script>b', "ab"],
    ["a<script>never closed", "a"],
    ['a<style>p { color: red }</style><p style="color: red">b</p>', "a<p>b</p>"],
    ['<meta http-equiv="refresh" content="0;url=javascript:alert(1)">a', "a"],
    ['<iframe srcdoc="<script>alert(1)</script>"></iframe>a', "a"],
    ['<iframe src="https://example.com/">fallback <img src=x onerror=alert(1)></iframe>a', "a"],
    ['<svg viewBox="0 0 1 1"><a xlink:href="/x/">x</a></svg>a', "a"],
    ['<form action="https://example.com/"><input name="q"><button formaction="javascript:alert(1)">go</button></form>', "go"],
  ])("%s becomes %s", (input, expected) => {
    expect(sanitizePostHtml(input, base)).toBe(expected);
  });

  it("keeps what markdown and footnotes write: ids, classes, roles, aria labels, tables, code", () => {
    const html = [
      '<h2 id="intro">Intro</h2>',
      '<p>Text &amp; <code>&lt;script&gt;</code> <sup class="fn-ref"><a href="https://example.com/p/#fn:a" id="fnref:a" role="doc-noteref" aria-label="Note 1">1</a></sup></p>',
      '<table><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>',
      '<pre><code class="language-js">if (a &lt; b) {}\n</code></pre>',
      '<section class="footnotes" role="doc-endnotes" aria-labelledby="notes"><ol class="footnotes-list"><li id="fn:a" class="footnote-item">A note.</li></ol></section>',
      '<figure><img src="https://example.com/a.png" alt="A" width="10" height="10" /><figcaption>A</figcaption></figure>',
    ].join("\n");
    expect(sanitizePostHtml(html, base)).toBe(html);
  });
});

describe("the post profile without a base", () => {
  it("leaves relative URLs relative and still drops what runs", () => {
    expect(sanitizePostHtml('<a href="/x/" onclick="y()">x</a><img src="a.png" onerror="z()"><script>1</script>')).toBe(
      '<a href="/x/">x</a><img src="a.png" />',
    );
  });
});

describe("the comment profile", () => {
  it.each([
    ['<a href="https://spam.example/">me</a>', '<a href="https://spam.example/" rel="nofollow ugc">me</a>'],
    ['<a href="https://x.example/" rel="author">me</a>', '<a href="https://x.example/" rel="nofollow ugc">me</a>'],
    ['<a href="javascript:alert(1)">me</a>', '<a rel="nofollow ugc">me</a>'],
    ['<a href="//x.example/">me</a>', '<a rel="nofollow ugc">me</a>'],
    ['<p>Nice <img src="https://x.example/track.gif"> post</p>', "<p>Nice  post</p>"],
    ['<iframe src="https://x.example/"></iframe><script>alert(1)</script><style>*{}</style>ok', "ok"],
    ['<p style="position:fixed" class="x" id="y">text</p>', "<p>text</p>"],
    ["<blockquote><p>quoted</p></blockquote><pre><code>x &lt; y</code></pre>", "<blockquote><p>quoted</p></blockquote><pre><code>x &lt; y</code></pre>"],
    ["<h1>Big</h1><table><tr><td>t</td></tr></table>", "Bigt"],
  ])("%s becomes %s", (input, expected) => {
    expect(sanitizeCommentHtml(input)).toBe(expected);
  });
});
