import { describe, expect, it } from "vitest";
import { parseJekyllDate } from "../lib/import/jekyll-dates.ts";
import { rewriteOwnLinks, siteLinks, type OwnLinks } from "../lib/import/links.ts";
import { convertLiquid, dropAttributeLists } from "../lib/import/liquid.ts";
import { jekyllPageUrl } from "../lib/import/pages.ts";
import { jekyllPostUrl } from "../lib/import/permalinks.ts";
import { proposeSeries } from "../lib/import/series.ts";

describe("Jekyll permalink styles", () => {
  const post = { slug: "Hello_World", date: { year: 2007, month: 4, day: 9, hour: 10, minute: 5, second: 0 }, categories: ["Castle", "IoC"] };
  it.each([
    ["/:title/", "/Hello_World/"],
    ["date", "/castle/ioc/2007/04/09/Hello_World.html"],
    ["pretty", "/castle/ioc/2007/04/09/Hello_World/"],
    ["ordinal", "/castle/ioc/2007/099/Hello_World.html"],
    ["weekdate", "/castle/ioc/2007/W15/Mon/Hello_World.html"],
    ["none", "/castle/ioc/Hello_World.html"],
    ["/:year/:month/:day/:title/", "/2007/04/09/Hello_World/"],
    ["/:short_year/:i_month/:i_day/:slug", "/07/4/9/hello-world"],
    ["/blog/:year/:short_month/:title:output_ext", "/blog/2007/Apr/Hello_World.html"],
  ])("%s gives %s", (style, url) => {
    expect(jekyllPostUrl(style, post)).toBe(url);
  });

  it("leaves no double slash where a post has no categories", () => {
    expect(jekyllPostUrl("pretty", { ...post, categories: [] })).toBe("/2007/04/09/Hello_World/");
  });
});

describe("Jekyll's URLs for pages", () => {
  it.each([
    ["/:title/", "about.md", undefined, "/about/"],
    ["pretty", "about.md", undefined, "/about/"],
    ["date", "about.md", undefined, "/about.html"],
    ["/:year/:title:output_ext", "contact.html", undefined, "/contact.html"],
    ["/:title/", "about.md", "/me/", "/me/"],
    ["/:title/", "about.md", "me/", "/me/"],
    ["date", "about.md", "/:basename/", "/about/"],
    ["/:title/", "about.md", "/about", "/about.html"],
  ])("under %s, %s with permalink %s is at %s", (permalink, file, own, url) => {
    expect(jekyllPageUrl({ permalink }, file, own)).toBe(url);
  });
});

describe("Jekyll and WordPress dates", () => {
  it("keeps the time and offset as written", () => {
    expect(parseJekyllDate("2007-04-19 10:22:11 +0000")?.iso).toBe("2007-04-19T10:22:11+00:00");
    expect(parseJekyllDate("2016-09-09 08:00:00 +1200")?.wall).toEqual({ year: 2016, month: 9, day: 9, hour: 8, minute: 0, second: 0 });
    expect(parseJekyllDate("2015-03-01")?.iso).toBe("2015-03-01");
  });
  it("refuses impossible days and other text", () => {
    expect(parseJekyllDate("2018-02-30")).toBeUndefined();
    expect(parseJekyllDate("last Tuesday")).toBeUndefined();
  });
});

describe("Liquid and kramdown conversion", () => {
  const context = { site: { baseurl: "/blog", url: "https://example.com" }, postUrls: new Map([["2010-01-02-first", "/blog/first/"]]), lineOffset: 3 };

  it("turns highlight into a <pre><code> in HTML posts, escaping the code", () => {
    expect(convertLiquid("{% highlight csharp %}var x = a<b;{% endhighlight %}", "html", context).text).toBe(
      '<pre><code class="language-csharp">var x = a<b;</code></pre>',
    );
    expect(convertLiquid("{% highlight csharp %}{% raw %}a<b{% endraw %}{% endhighlight %}", "html", context).text).toBe(
      '<pre><code class="language-csharp">a&lt;b</code></pre>',
    );
  });

  it("names every tag it cannot convert, by its line in the source file", () => {
    const { errors } = convertLiquid("one\n{{ page.title }}\n{% post_url 1999-01-01-missing %}\n{% for x in y %}", "md", context);
    expect(errors.map((error) => error.line)).toEqual([5, 6, 7]);
    expect(errors[1]!.message).toMatch(/names no post in _posts/);
  });

  it("leaves Ruby hashes in code fences, and drops block and inline attribute lists outside them", () => {
    const { text, notes } = dropAttributeLists("![a](b){: .wide}\n{: .center}\n```ruby\n{:a => 1}\n{: .x}\n```\n", 0);
    expect(text).toBe("![a](b)\n\n```ruby\n{:a => 1}\n{: .x}\n```\n");
    expect(notes.map((note) => note.line)).toEqual([1, 2]);
  });
});

describe("the old blog's own links", () => {
  const own: OwnLinks = {
    hosts: new Set(["blog.example.com", "old.example.com"]),
    baseurl: "/blog",
    oldAddresses: new Map([["/?p=7", "/seven/"]]),
    postsBySlug: new Map([["eight", "/eight/"]]),
  };

  it("become site paths in markdown links, reference definitions, autolinks and HTML attributes", () => {
    const markdown =
      "[a](http://blog.example.com/blog/x/) [b][r] <https://old.example.com/y> <img src='/blog/images/z.png'>\n\n[r]: http://old.example.com/?p=7#c\n";
    const result = rewriteOwnLinks(markdown, "md", own);
    expect(result.text).toBe("[a](/x/) [b][r] [/y](/y) <img src='/images/z.png'>\n\n[r]: /seven/#c\n");
    expect(result.rewritten).toBe(4);
  });

  it("leave other hosts alone, and map WordPress's dated addresses to the post with that slug", () => {
    const html = '<a href="http://other.example.com/blog/x/">x</a> <a href="https://blog.example.com/2008/01/02/eight/#top">8</a>';
    expect(rewriteOwnLinks(html, "html", own).text).toBe('<a href="http://other.example.com/blog/x/">x</a> <a href="/eight/#top">8</a>');
    expect(siteLinks('<p>\n<a href="/eight/#top">8</a></p>', "html")).toEqual([{ line: 2, link: "/eight/#top" }]);
  });
});

describe("series proposals", () => {
  const candidate = (slug: string, title: string, tags: string[]) => ({ slug, title, tags, date: "2007-01-01" });

  it("propose posts sharing a tag whose titles say Part N, with the gaps of a real series", () => {
    const [proposal, ...rest] = proposeSeries(
      [candidate("a", "Tips - Part 1 - Start", ["tips"]), candidate("b", "Tips - Part 3 - More", ["tips", "misc"]), candidate("c", "Unrelated", ["tips"])],
      new Set(),
    );
    expect(rest).toEqual([]);
    expect(proposal).toMatchObject({ slug: "tips", title: "Tips", gaps: [2] });
    expect([...proposal!.parts]).toEqual([
      ["a", 1],
      ["b", 3],
    ]);
  });

  it("propose nothing for a tag whose posts repeat a part number", () => {
    expect(proposeSeries([candidate("a", "X part 1", ["t"]), candidate("b", "Y part 1", ["t"])], new Set())).toEqual([]);
  });
});
