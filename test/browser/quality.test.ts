import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { BrowserContext, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addAxe,
  AXE_COLOUR_RULES,
  axeViolations,
  cspViolations,
  darkSchemeProblems,
  keepOnLoopback,
  listenForCspViolations,
  useServedBlog,
} from "../helpers/browser.ts";
import { REPO, text } from "../helpers/site.ts";

/** Where the screenshots go for a person to look at; the folder is gitignored. */
const SCREENSHOTS = path.join(REPO, "test/artifacts/screenshots");
/** What arrives in the first round trip of a new connection (10 TCP segments, about 14 KB). */
const PAGE_BUDGET_BYTES = 14 * 1024;
const PART_3 = "/no-planned-downtime-chasm-part3/";
const SCHEMES = ["light", "dark"] as const;
const DESKTOP = { width: 1280, height: 720 };
const PHONE = { width: 320, height: 640 };

const real = useServedBlog();
let htmlPages: string[];
let postPages: string[];
/** Every request any page in this file made, by URL. */
const requested = new Set<string>();
/** One page, in a context that records every request, lets none leave 127.0.0.1, and has axe. */
let context: BrowserContext;
let page: Page;
let reading: SiteReading;

beforeAll(async () => {
  htmlPages = real.site.paths.filter((sitePath) => sitePath.endsWith("/") || sitePath.endsWith(".html"));
  postPages = [];
  for (const sitePath of htmlPages) {
    // A post page is one whose h1 is a post's title (the one-page series has several posts under h2s).
    if ((await real.site.document(sitePath)).querySelector("article.post > .post-header > h1")) postPages.push(sitePath);
  }
  context = await openContext();
  await addAxe(context);
  await listenForCspViolations(context);
  page = await context.newPage();
  reading = await readEveryPage();
});
afterAll(() => context?.close());

/** A browser context that records every request and lets none leave 127.0.0.1. */
async function openContext(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const context = await real.browser.newContext({ viewport: DESKTOP, ...options });
  await keepOnLoopback(context, requested);
  return context;
}

async function visit(page: Page, sitePath: string): Promise<void> {
  const response = await page.goto(real.server.origin + sitePath, { waitUntil: "load" });
  expect(response?.status(), `${sitePath} should be served`).toBe(200);
}

/** A page as a test starts: the given viewport, and no media emulated. */
async function resetPage(viewport: { width: number; height: number } = DESKTOP, reader = page): Promise<void> {
  await reader.setViewportSize(viewport);
  await reader.emulateMedia({ media: null, colorScheme: null });
}

interface PageWeight {
  sitePath: string;
  resources: Array<{ type: string; gzipped: number }>;
}

/** What one pass over every page finds; the tests below each judge a part of it. */
interface SiteReading {
  axeFailures: string[];
  /** Console errors and warnings and uncaught exceptions, by page. */
  errors: string[];
  /** Pages wider than a 320 px screen. */
  overflowing: string[];
  /** Content-Security-Policy violations, by page. */
  policyViolations: string[];
  weights: PageWeight[];
}

/** Pages read at once: a reader's time is mostly Chromium's, and the other reader's axe runs meanwhile on the other core. */
const READERS = 2;

/**
 * Loads every page once and reads it as each test needs: the bytes a post page
 * loads, axe in both colour schemes, and the page's width on a 320 px screen
 * (the page re-laid out at that width: the site's only script reads no width
 * when it loads). Loading each page once for all of them, not once per check,
 * is most of this file's time saved.
 */
async function readEveryPage(): Promise<SiteReading> {
  const found: SiteReading = { axeFailures: [], errors: [], overflowing: [], policyViolations: [], weights: [] };
  const queue = [...htmlPages];
  const readers = [page, ...(await Promise.all(Array.from({ length: READERS - 1 }, () => context.newPage())))];
  await Promise.all(
    readers.map(async (reader) => {
      let current = "";
      reader.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") found.errors.push(`${current}: ${message.text()}`);
      });
      reader.on("pageerror", (error) => found.errors.push(`${current}: ${error.message}`));
      for (let sitePath = queue.shift(); sitePath !== undefined; sitePath = queue.shift()) {
        current = sitePath;
        await readPage(reader, sitePath, found);
      }
      reader.removeAllListeners("console");
      reader.removeAllListeners("pageerror");
    }),
  );
  await Promise.all(readers.slice(1).map((reader) => reader.close()));
  found.weights.sort((first, second) => htmlPages.indexOf(first.sitePath) - htmlPages.indexOf(second.sitePath));
  return found;
}

async function readPage(reader: Page, sitePath: string, found: SiteReading): Promise<void> {
  await resetPage(DESKTOP, reader);
  if (postPages.includes(sitePath)) found.weights.push({ sitePath, resources: await visitWeighing(reader, sitePath) });
  else await visit(reader, sitePath);
  found.policyViolations.push(...(await cspViolations(reader)).map((violation) => `${sitePath}: ${violation}`));
  for (const colorScheme of SCHEMES) {
    await reader.emulateMedia({ colorScheme });
    const violations = await axeViolations(reader, { colourOnly: colorScheme === "dark" });
    found.axeFailures.push(...violations.map((line) => `${sitePath} [${colorScheme}] ${line}`));
  }
  await resetPage(PHONE, reader);
  const { scrollWidth, clientWidth } = await reader.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  if (scrollWidth > clientWidth) found.overflowing.push(`${sitePath}: ${scrollWidth}px of content in ${clientWidth}px`);
}

/** Visits a page and returns every resource it loaded, gzipped. The context's routing turns the HTTP cache off, so each page loads all of them. */
async function visitWeighing(reader: Page, sitePath: string): Promise<PageWeight["resources"]> {
  const pending: Array<Promise<{ type: string; gzipped: number }>> = [];
  const onResponse = (response: Response) =>
    void pending.push(response.body().then((body) => ({ type: response.request().resourceType(), gzipped: gzipSync(body, { level: 9 }).length })));
  reader.on("response", onResponse);
  await visit(reader, sitePath);
  // No body read may be left pending when the page moves on.
  reader.off("response", onResponse);
  return Promise.all(pending);
}

describe("the built site in Chromium", () => {
  it("has no axe violations on any page, in light and in dark colour scheme", () => {
    expect(reading.axeFailures).toEqual([]);
  });

  it(`differs in the dark scheme only by colours, so axe's colour rules (${AXE_COLOUR_RULES.join(", ")}) are all the dark scheme needs`, async () => {
    expect(await darkSchemeProblems(real.site)).toEqual([]);
  });

  it("keeps every colour pair readable in both schemes, visited links included", async () => {
    // axe cannot see :visited colours (browsers hide them from scripts), so check the tokens themselves.
    await resetPage();
    await visit(page, "/");
    const failures: string[] = [];
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      const tokens = await page.evaluate(() => {
        const style = getComputedStyle(document.documentElement);
        return Object.fromEntries(
          ["--bg", "--panel", "--text", "--muted", "--accent", "--accent-visited", "--focus"].map((name) => [name, style.getPropertyValue(name).trim()]),
        );
      });
      const pairs: Array<[string, string, number]> = [
        ["--text", "--bg", 4.5],
        ["--muted", "--bg", 4.5],
        ["--accent", "--bg", 4.5],
        ["--accent-visited", "--bg", 4.5],
        ["--text", "--panel", 4.5],
        ["--muted", "--panel", 4.5],
        ["--accent", "--panel", 4.5],
        ["--accent-visited", "--panel", 4.5],
        // A focus ring is a user-interface component: 3:1 against what surrounds it.
        ["--focus", "--bg", 3],
        ["--focus", "--panel", 3],
      ];
      for (const [foreground, background, minimum] of pairs) {
        const ratio = contrastRatio(tokens[foreground]!, tokens[background]!);
        if (ratio < minimum)
          failures.push(
            `${colorScheme}: ${foreground} ${tokens[foreground]} on ${background} ${tokens[background]} is ${ratio.toFixed(2)}:1, needs ${minimum}:1`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it("sends no request to any host but 127.0.0.1 and logs no error", () => {
    expect(requested.size).toBeGreaterThan(htmlPages.length);
    const elsewhere = [...requested].filter((url) => new URL(url).hostname !== "127.0.0.1");
    expect(elsewhere).toEqual([]);
    expect(reading.errors).toEqual([]);
  });

  it("reports no content-security-policy violation on any page, where a page with an inline script reports one", async () => {
    expect(reading.policyViolations).toEqual([]);
    // A copy of the home page with an inline script, served by the browser (the shared build stays as built):
    // the policy must block it, which proves the listener hears.
    const control = `${real.server.origin}/control-with-inline-script.html`;
    const home = (await real.site.read("/")).replace("</body>", "<script>document.title = 'ran';</script></body>");
    await context.route(control, (route) => route.fulfill({ status: 200, contentType: "text/html", body: home }));
    await resetPage();
    await page.goto(control, { waitUntil: "load" });
    expect(await cspViolations(page)).toContainEqual(expect.stringMatching(/^script-src/));
    await context.unroute(control);
  });

  it("never scrolls sideways at 320 px wide", () => {
    expect(reading.overflowing).toEqual([]);
  });

  it(`delivers each post page, with everything it loads, in at most ${PAGE_BUDGET_BYTES} bytes gzipped`, () => {
    expect(postPages.length).toBeGreaterThanOrEqual(3);
    expect(reading.weights.map((weight) => weight.sitePath)).toEqual(postPages);
    const figures: string[] = [];
    const overBudget: string[] = [];
    for (const { sitePath, resources } of reading.weights) {
      const types = new Set(resources.map((resource) => resource.type));
      expect(types, `${sitePath} should load its HTML, stylesheet and script`).toEqual(new Set(["document", "stylesheet", "script"]));
      const total = resources.reduce((sum, resource) => sum + resource.gzipped, 0);
      figures.push(`${sitePath}: ${total} bytes gzipped (${resources.map((resource) => `${resource.type} ${resource.gzipped}`).join(", ")})`);
      if (total > PAGE_BUDGET_BYTES) overBudget.push(figures.at(-1)!);
    }
    console.log(`Post page weight, budget ${PAGE_BUDGET_BYTES} bytes:\n  ${figures.join("\n  ")}`);
    expect(overBudget).toEqual([]);
  });

  it("reads fully with JavaScript off: the text and the notes are there and the notes are reachable", async () => {
    const noScript = await openContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    for (const sitePath of postPages) {
      const built = await real.site.document(sitePath);
      const paragraphs = [...built.querySelectorAll(".post-body > p")].map((paragraph) => text(paragraph));
      const notes = [...built.querySelectorAll(".footnotes li")].map((note) => note.id);
      expect(paragraphs.length, `${sitePath} has no paragraphs to read`).toBeGreaterThan(3);
      await visit(page, sitePath);
      const shown = await page
        .locator(".post-body > p")
        .evaluateAll((nodes) =>
          nodes.filter((node) => (node as HTMLElement).offsetHeight > 0).map((node) => (node as HTMLElement).innerText.replace(/\s+/g, " ").trim()),
        );
      expect(shown.length, `${sitePath}: paragraphs hidden without JavaScript`).toBe(paragraphs.length);
      for (const id of notes) await expect.poll(() => page.locator(`[id="${id}"]`).isVisible(), { message: `${sitePath}: note ${id}` }).toBe(true);
    }
    // A note reference is a plain link to its note.
    await visit(page, PART_3);
    const reference = page.locator('a[role="doc-noteref"]').first();
    const target = (await reference.getAttribute("href"))!;
    await reference.click();
    expect(new URL(page.url()).hash).toBe(target);
    const noteTop = await page.locator(`[id="${decodeURIComponent(target.slice(1))}"]`).evaluate((note) => note.getBoundingClientRect().top);
    expect(noteTop, "the note should be scrolled into view").toBeLessThan(page.viewportSize()!.height);
    expect(noteTop).toBeGreaterThanOrEqual(0);
    await noScript.close();
  });
  it("offers a skip link first and shows where keyboard focus is on every focusable element", async () => {
    await resetPage({ width: 1280, height: 800 });
    await visit(page, PART_3);
    await page.keyboard.press("Tab");
    const skip = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement;
      const box = active.getBoundingClientRect();
      return { text: active.textContent, href: active.getAttribute("href"), visible: box.top >= 0 && box.bottom <= innerHeight && box.width > 0 };
    });
    expect(skip).toEqual({ text: "Skip to content", href: "#main", visible: true });
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

    // From the top of the page, Tab through every stop and look at each focus ring.
    await visit(page, PART_3);
    const unmarked: string[] = [];
    let stops = 0;
    for (; stops < 200; stops += 1) {
      await page.keyboard.press("Tab");
      const focus = await page.evaluate(() => {
        const active = document.activeElement;
        if (!(active instanceof HTMLElement) || active === document.body) return undefined;
        const style = getComputedStyle(active);
        return { what: `${active.tagName} ${active.textContent?.trim().slice(0, 30)}`, style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      if (!focus) break; // past the last stop
      if (focus.style === "none" || focus.width < 2) unmarked.push(`${focus.what}: outline ${focus.style} ${focus.width}px`);
    }
    expect(stops).toBeGreaterThan(10);
    expect(unmarked).toEqual([]);
  });

  it("prints link targets and the notes, without the margin notes or navigation", async () => {
    await resetPage();
    await visit(page, PART_3);
    await page.emulateMedia({ media: "print" });
    const printed = await page.evaluate(() => {
      const externalLink = document.querySelector<HTMLAnchorElement>('.post-body > p a[href^="http"]')!;
      const noteLink = document.querySelector<HTMLAnchorElement>('.footnotes a[href^="http"]')!;
      const display = (selector: string) => [...document.querySelectorAll(selector)].map((node) => getComputedStyle(node).display);
      return {
        externalLink: { href: externalLink.href, after: getComputedStyle(externalLink, "::after").content },
        noteLink: { href: noteLink.href, after: getComputedStyle(noteLink, "::after").content },
        sidenotes: display(".sidenote"),
        notes: display(".footnotes li"),
        nav: display(".site-nav"),
      };
    });
    expect(printed.externalLink.after).toContain(printed.externalLink.href);
    expect(printed.noteLink.after).toContain(printed.noteLink.href);
    expect(printed.sidenotes.length).toBeGreaterThan(0);
    expect(new Set(printed.sidenotes)).toEqual(new Set(["none"]));
    expect(printed.notes.length).toBeGreaterThan(0);
    expect(printed.notes).not.toContain("none");
    expect(printed.nav).toEqual(["none"]);
  });

  it("saves screenshots of home and part 3 at 375 and 1280 px in both schemes", async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    const backgrounds: Record<string, number> = {};
    for (const width of [375, 1280]) {
      await resetPage({ width, height: 900 });
      for (const [name, sitePath] of [
        ["home", "/"],
        ["part3", PART_3],
      ] as const) {
        await visit(page, sitePath);
        for (const colorScheme of SCHEMES) {
          await page.emulateMedia({ colorScheme });
          // JPEG: a third of a full-page PNG's encoding time, and as good to look at.
          const file = path.join(SCREENSHOTS, `${name}-${width}-${colorScheme}.jpg`);
          await page.screenshot({ path: file, fullPage: true, quality: 80 });
          expect((await stat(file)).size).toBeGreaterThan(10_000);
          backgrounds[`${name}-${width}-${colorScheme}`] = await page.evaluate(() => {
            const [red = 0, green = 0, blue = 0] = getComputedStyle(document.body).backgroundColor.match(/\d+/g)!.map(Number);
            return (red + green + blue) / 3;
          });
        }
      }
    }
    // The dark screenshots really are dark and the light ones light.
    expect(Object.keys(backgrounds)).toHaveLength(8);
    for (const [shot, brightness] of Object.entries(backgrounds)) {
      if (shot.endsWith("dark")) expect(brightness, shot).toBeLessThan(64);
      else expect(brightness, shot).toBeGreaterThan(192);
    }
  });
});

/** WCAG 2 contrast ratio of two CSS colours written as #rrggbb. */
function contrastRatio(first: string, second: string): number {
  const luminance = (hex: string) => {
    const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
    if (!match) throw new Error(`expected a #rrggbb colour, got "${hex}"`);
    const [red, green, blue] = match.slice(1).map((pair) => {
      const channel = parseInt(pair, 16) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
  };
  const [lighter, darker] = [luminance(first), luminance(second)].sort((a, b) => b - a) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}
