import { readdir } from "node:fs/promises";
import { XMLParser } from "fast-xml-parser";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, type StaticServer } from "../lib/tools/static-server.ts";
import { buildSite, type BuiltSite } from "./helpers/site.ts";

/** A project site: the blog lives under /blog/ and nothing is served outside it. */
const PREFIX = "/blog/";

let server: StaticServer;
let site: BuiltSite | undefined;
let base: string;
/** Every HTML page, feed and asset the build wrote, as URLs under the prefix. */
let pageUrls: string[];
let feedUrls: string[];

beforeAll(async () => {
  // The server starts first so the build can be told its address; it serves whatever was built.
  server = await serveStatic(() => site?.outputDir ?? "/nonexistent", PREFIX);
  base = server.origin + PREFIX;
  // The same site folder built just before for the root, in this process: nothing of that build may carry over.
  await (await buildSite({ env: { SITE_URL: undefined } })).cleanup();
  site = await buildSite({ env: { SITE_URL: base } });
  const files = (await readdir(site.outputDir, { recursive: true })).map((file) => file.split("\\").join("/"));
  const urlOf = (file: string) => new URL(file.replace(/(^|\/)index\.html$/, "$1"), base).href;
  pageUrls = files.filter((file) => file.endsWith(".html")).map(urlOf);
  feedUrls = files.filter((file) => /(^|\/)(feed|rss)\.(xml|json)$/.test(file)).map(urlOf);
});
afterAll(async () => {
  await server?.close();
  await site?.cleanup();
});

/** Fetches each URL once; the status and, for HTML, the ids a fragment may point at. */
const fetched = new Map<string, Promise<{ status: number; body: string }>>();
function get(url: string): Promise<{ status: number; body: string }> {
  const withoutFragment = url.replace(/#.*$/, "");
  let result = fetched.get(withoutFragment);
  if (!result) {
    result = fetch(withoutFragment, { redirect: "manual" }).then(async (response) => ({ status: response.status, body: await response.text() }));
    fetched.set(withoutFragment, result);
  }
  return result;
}

/** Problems with one URL found on `where`: outside the prefix, not served, or a fragment with no target. */
async function checkUrl(url: string, where: string): Promise<string[]> {
  const target = new URL(url);
  if (target.origin !== server.origin) return [];
  if (!target.pathname.startsWith(PREFIX)) return [`${where}: ${url} is outside ${PREFIX}`];
  const { status, body } = await get(url);
  if (status !== 200) return [`${where}: ${url} answered ${status}`];
  const fragment = decodeURIComponent(target.hash.slice(1));
  if (fragment && !parseHTML(body).document.getElementById(fragment)) return [`${where}: ${url} has no element with id "${fragment}"`];
  return [];
}

/** Every URL an HTML document points at: links, stylesheets, scripts, images, and the page's own metadata. */
function urlsIn(html: string, documentUrl: string): string[] {
  const { document } = parseHTML(html);
  const found = [
    ...[...document.querySelectorAll("a[href], link[href]")].map((element) => element.getAttribute("href")!),
    ...[...document.querySelectorAll("script[src], img[src], source[src]")].map((element) => element.getAttribute("src")!),
    ...[...document.querySelectorAll('meta[property="og:url"], meta[property="og:image"]')].map((element) => element.getAttribute("content")!),
  ];
  return found.filter((href) => !/^(mailto|tel|data):/i.test(href)).map((href) => new URL(href, documentUrl).href);
}

describe(`the site built for ${PREFIX}`, () => {
  it("builds pages, feeds and assets", () => {
    expect(pageUrls.length).toBeGreaterThan(15);
    expect(pageUrls).toContain(base);
    expect(feedUrls.length).toBeGreaterThanOrEqual(4);
  });

  it("resolves every link, asset and metadata URL on every page", async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const pageUrl of pageUrls) {
      const { status, body } = await get(pageUrl);
      expect(status, pageUrl).toBe(200);
      const urls = urlsIn(body, pageUrl);
      const { document } = parseHTML(body);
      // The page's own stylesheet and script are among them.
      expect(document.querySelector('link[rel="stylesheet"]')?.getAttribute("href"), pageUrl).toMatch(new RegExp(`^${PREFIX}assets/`));
      for (const url of urls) {
        checked += 1;
        problems.push(...(await checkUrl(url, pageUrl)));
      }
    }
    expect(checked).toBeGreaterThan(pageUrls.length * 10);
    expect(problems).toEqual([]);
  });

  it("resolves every URL in every feed: the feed's own, each item's and those in item content", async () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => ["entry", "item", "link"].includes(name) });
    const problems: string[] = [];
    let itemLinks = 0;
    for (const feedUrl of feedUrls) {
      const { status, body } = await get(feedUrl);
      expect(status, feedUrl).toBe(200);
      const urls: string[] = [];
      const contents: Array<{ html: string; url: string }> = [];
      if (feedUrl.endsWith(".json")) {
        const feed = JSON.parse(body) as { home_page_url: string; feed_url: string; items: Array<{ url: string; id: string; content_html?: string }> };
        urls.push(feed.home_page_url, feed.feed_url);
        for (const item of feed.items) {
          urls.push(item.url);
          itemLinks += 1;
          if (item.content_html) contents.push({ html: item.content_html, url: item.url });
        }
      } else if (body.includes("<feed")) {
        const feed = (
          parser.parse(body) as {
            feed: { link: Array<{ "@href": string }>; entry: Array<{ link: Array<{ "@href": string }>; content?: string | { "#text": string } }> };
          }
        ).feed;
        urls.push(...feed.link.map((link) => link["@href"]));
        for (const entry of feed.entry) {
          const url = entry.link[0]!["@href"];
          urls.push(url);
          itemLinks += 1;
          const content = typeof entry.content === "string" ? entry.content : entry.content?.["#text"];
          if (content) contents.push({ html: content, url });
        }
      } else {
        const channel = (
          parser.parse(body) as {
            rss: { channel: { link: Array<string | { "@href": string }>; item: Array<{ link: string[]; description?: string; "content:encoded"?: string }> } };
          }
        ).rss.channel;
        urls.push(...channel.link.map((link) => (typeof link === "string" ? link : link["@href"])));
        for (const item of channel.item) {
          urls.push(item.link[0]!);
          itemLinks += 1;
          const content = item["content:encoded"] ?? item.description;
          if (content) contents.push({ html: content, url: item.link[0]! });
        }
      }
      for (const url of urls) problems.push(...(await checkUrl(new URL(url, feedUrl).href, feedUrl)));
      for (const { html, url } of contents) {
        for (const linked of urlsIn(html, url)) problems.push(...(await checkUrl(linked, `${feedUrl} item ${url}`)));
      }
    }
    expect(itemLinks).toBeGreaterThanOrEqual(feedUrls.length * 3);
    expect(problems).toEqual([]);
  });

  it("serves nothing outside the prefix, so a link that forgot it would fail", async () => {
    const home = await fetch(`${server.origin}/`);
    expect(home.status).toBe(404);
    const unprefixed = await checkUrl(`${server.origin}/archive/`, "probe");
    expect(unprefixed).toEqual([`probe: ${server.origin}/archive/ is outside ${PREFIX}`]);
  });
});
