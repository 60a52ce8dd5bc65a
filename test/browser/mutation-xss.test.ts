import { rm } from "node:fs/promises";
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sanitizePostHtml } from "../../lib/content/sanitize.ts";
import { MUTATION_XSS } from "../fixtures/mutation-xss.ts";
import { sharedBrowser } from "../helpers/browser.ts";
import { buildSite, makeFixtureSite, post } from "../helpers/site.ts";

/*
 * Each payload is loaded into Chromium as a feed reader shows an item: its HTML
 * in a page, scripts on, and no network (every request fails, so an <img>'s
 * onerror gets its chance). `alert` is replaced in every frame before anything
 * runs: a payload that runs calls it with its number.
 */
const RECORD_ALERTS = `
  window.__ran = [];
  window.alert = (message) => { try { top.__ran.push(String(message)); } catch { window.__ran.push(String(message)); } };
`;

const base = { postUrl: "https://blog.example/post/", siteUrl: (sitePath: string) => `https://blog.example${sitePath}` };

/**
 * Readers that take items in turn: the payloads are read concurrently, each in
 * a page of its own, since most of a reading is the wait for late events.
 */
const READERS = 4;
let context: BrowserContext;
const idle: Page[] = [];
const waiting: Array<(page: Page) => void> = [];
beforeAll(async () => {
  context = await (await sharedBrowser()).newContext();
  await context.addInitScript(RECORD_ALERTS);
  await context.route("**/*", (route) => route.abort());
  for (let reader = 0; reader < READERS; reader++) idle.push(await context.newPage());
});
afterAll(async () => {
  await context?.close();
});

/** Lends a page for one reading, and takes it back for the next test waiting. */
async function withReader<T>(use: (page: Page) => Promise<T>): Promise<T> {
  const page = idle.pop() ?? (await new Promise<Page>((resolve) => waiting.push(resolve)));
  try {
    return await use(page);
  } finally {
    const next = waiting.shift();
    if (next) next(page);
    else idle.push(page);
  }
}

interface Reading {
  /** The numbers of the payloads that ran. */
  ran: string[];
  /** What the page still holds that could run or reach out. */
  live: string[];
}

/** Loads item HTML as a reader would, hovers, focuses and clicks what it can. */
function read(html: string): Promise<Reading> {
  return withReader(async (page) => {
    // The window outlives setContent: clear the previous item's record first.
    await page.evaluate(() => ((window as unknown as { __ran: string[] }).__ran = []));
    return { ran: await whatRuns(page, html), live: await liveParts(page) };
  });
}

async function whatRuns(page: Page, html: string): Promise<string[]> {
  await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><title>item</title></head><body>${html}</body></html>`, { waitUntil: "load" });
  await page.evaluate(async () => {
    for (const element of document.querySelectorAll<HTMLElement>("body *")) {
      element.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
      element.focus?.();
      // Links and buttons would navigate away; their URLs are checked instead.
      if (!["A", "BUTTON", "INPUT", "AREA"].includes(element.tagName)) element.click?.();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
  return page.evaluate(() => (window as unknown as { __ran: string[] }).__ran);
}

/** Script URLs, handlers and elements that load or run other documents. */
async function liveParts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const element of document.querySelectorAll("body *")) {
      if (/^(script|iframe|object|embed|meta|base|style|form|svg|math|template|noscript)$/i.test(element.localName)) found.push(`<${element.localName}>`);
      for (const attribute of element.attributes) {
        if (attribute.name.startsWith("on")) found.push(`${attribute.name} on <${element.localName}>`);
        if (/^(href|src|xlink:href|action|formaction|data|poster|background)$/.test(attribute.name) && !/^(https?|mailto):/i.test(attribute.value))
          found.push(`${attribute.name}="${attribute.value}"`);
      }
    }
    return found;
  });
}

describe.concurrent("the mutation-XSS corpus, unsanitized (the detector sees a payload run)", () => {
  it.each(MUTATION_XSS.filter((payload) => payload.runsUnsanitized).map((payload) => [payload.html]))("%s runs as written", async (html) => {
    expect((await read(html)).ran.length).toBeGreaterThan(0);
  });
});

describe.concurrent("the mutation-XSS corpus through the post sanitizer", () => {
  it.each(MUTATION_XSS.map((payload) => [payload.html]))("%s: nothing runs, nothing live is left", async (html) => {
    const clean = sanitizePostHtml(html, base);
    expect(await read(clean)).toEqual({ ran: [], live: [] });
  });

  it("the whole corpus in one item, each payload undoing the one before: nothing runs", async () => {
    const clean = sanitizePostHtml(MUTATION_XSS.map((payload) => payload.html).join("\n"), base);
    expect(await read(clean)).toEqual({ ran: [], live: [] });
  });
});

describe("the reported payloads in a post, through the built feeds", () => {
  const REPORTED = [
    '<noscript><p title="</noscript><img src=https://img.example/y.png onerror=alert(20)>"></noscript>',
    '<noembed><p title="</noembed><img src=https://img.example/x.png onerror=alert(21)>"></noembed>',
    '<iframe><p title="</iframe><img src=https://img.example/x.png onerror=alert(22)>"></iframe>',
    '<iframe srcdoc="<script>parent.alert(23)</script>"></iframe>',
    '<meta http-equiv=refresh content="0;url=javascript:alert(24)">',
    "<style>body { display: none }</style>",
  ];
  let items: string[] = [];
  beforeAll(async () => {
    const dir = await makeFixtureSite({
      posts: { "hostile-html.md": post({ title: "Hostile HTML", date: new Date("2018-02-01") }, `Text.\n\n${REPORTED.join("\n\n")}\n\nEnd.\n`) },
    });
    const site = await buildSite({ input: dir });
    try {
      items = [
        parseAtomFeed(await site.read("/feed.xml")).entries?.[0]?.content?.value ?? "",
        parseRssFeed(await site.read("/rss.xml")).items?.[0]?.content?.encoded ?? "",
        parseJsonFeed(JSON.parse(await site.read("/feed.json"))).items?.[0]?.content_html ?? "",
      ];
    } finally {
      await site.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([0, 1, 2])("feed %i: the item keeps its text, and nothing runs or is left live", async (index) => {
    const html = items[index]!;
    expect(html).toContain("End.");
    expect(await read(html)).toEqual({ ran: [], live: [] });
  });
});
