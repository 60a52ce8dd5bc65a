import { rm } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import type { AxeResults } from "axe-core";
import type { Browser, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, type StaticServer } from "../../lib/tools/static-server.ts";
import { AXE_PATH, keepOnLoopback, launchBrowser } from "../helpers/browser.ts";
import { MEDIA_POST_BODY, writeMediaImages } from "../helpers/media.ts";
import { buildSite, makeFixtureSite, post, type BuiltSite } from "../helpers/site.ts";

/*
 * A post with images, highlighted code (one line of 300 columns), a table and
 * a figure, read in Chromium at a phone's width and a desktop's, in light and
 * dark colour schemes.
 */
const PAGE_PATH = "/media/";
/** What arrives in the first round trip of a new connection (10 TCP segments, about 14 KB). */
const PAGE_BUDGET_BYTES = 14 * 1024;
const VIEWPORTS = [375, 1280] as const;
const SCHEMES = ["light", "dark"] as const;

let input: string;
let site: BuiltSite;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  input = await makeFixtureSite({
    posts: { "media.md": post({ title: "Media", date: "2021-05-01", summary: "A post with images and code." }, MEDIA_POST_BODY) },
  });
  await writeMediaImages(input);
  site = await buildSite({ input });
  server = await serveStatic(site.outputDir);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site?.cleanup();
  await rm(input, { recursive: true, force: true });
});

async function openPage(width: number, colorScheme: (typeof SCHEMES)[number]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme });
  await keepOnLoopback(context, new Set());
  const page = await context.newPage();
  // Layout shifts from the first paint on, before any script of the page runs.
  await page.addInitScript(() => {
    const shifts: number[] = [];
    (window as unknown as { layoutShifts: number[] }).layoutShifts = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) {
        if (!entry.hadRecentInput) shifts.push(entry.value);
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  return page;
}

/** Scrolls to the end so every lazy image loads, then waits until each has decoded. */
async function loadEveryImage(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let y = 0; y <= document.documentElement.scrollHeight; y += 300) {
      window.scrollTo(0, y);
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    await Promise.all([...document.images].map((image) => image.decode()));
  });
}

describe("a post with images and code in Chromium", () => {
  for (const width of VIEWPORTS) {
    for (const colorScheme of SCHEMES) {
      it(`at ${width} px in ${colorScheme}: no sideways scroll, no layout shift, every image shown, no axe violation`, async () => {
        const page = await openPage(width, colorScheme);
        const response = await page.goto(server.origin + PAGE_PATH, { waitUntil: "load" });
        expect(response?.status()).toBe(200);
        await loadEveryImage(page);

        const { scrollWidth, clientWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
        }));
        expect(scrollWidth, "the page must not scroll sideways").toBeLessThanOrEqual(clientWidth);
        const code = await page.evaluate(() => {
          const block = document.querySelector("pre.code")!;
          return { scrollWidth: block.scrollWidth, clientWidth: block.clientWidth };
        });
        expect(code.scrollWidth, "the long line scrolls inside its block").toBeGreaterThan(code.clientWidth);

        const shifts = await page.evaluate(() => (window as unknown as { layoutShifts: number[] }).layoutShifts);
        expect(shifts.reduce((sum, value) => sum + value, 0)).toBe(0);

        const images = await page.evaluate(() =>
          [...document.querySelectorAll(".post-body img")].map((image) => ({
            src: (image as HTMLImageElement).currentSrc,
            shown: (image as HTMLImageElement).naturalWidth > 0,
          })),
        );
        expect(
          images.every((image) => image.shown),
          JSON.stringify(images),
        ).toBe(true);
        // Chromium takes the first source it can show: AVIF.
        expect(images.filter((image) => image.src.endsWith(".avif"))).toHaveLength(3);

        await page.addScriptTag({ url: server.origin + AXE_PATH });
        const results = await page.evaluate(() =>
          (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, { resultTypes: ["violations"] }),
        );
        const violations = results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
        expect(violations).toEqual([]);
        await page.context().close();
      });
    }
  }

  it("scrolls an overflowing code block from the keyboard", async () => {
    const page = await openPage(375, "light");
    await page.goto(server.origin + PAGE_PATH, { waitUntil: "load" });
    const block = page.locator("pre.code").first();
    await block.focus();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("C# code");
    for (let press = 0; press < 5; press++) await page.keyboard.press("ArrowRight");
    expect(await block.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
    await page.context().close();
  });

  it(`stays within ${PAGE_BUDGET_BYTES} bytes gzipped, images aside`, async () => {
    const page = await openPage(1280, "light");
    const loaded: Array<Promise<{ type: string; bytes: number }>> = [];
    // Images are left out, and their bodies never asked for: a lazy image can
    // arrive after the load event, and its body read once the page is closed
    // would reject after the test.
    const onResponse = (response: Response) => {
      const type = response.request().resourceType();
      if (type !== "image") loaded.push(response.body().then((body) => ({ type, bytes: gzipSync(body, { level: 9 }).length })));
    };
    page.on("response", onResponse);
    await page.goto(server.origin + PAGE_PATH, { waitUntil: "load" });
    page.off("response", onResponse);
    const counted = await Promise.all(loaded);
    expect(new Set(counted.map((resource) => resource.type))).toEqual(new Set(["document", "stylesheet", "script"]));
    const total = counted.reduce((sum, resource) => sum + resource.bytes, 0);
    console.log(`Media post weight without images: ${total} bytes gzipped (${counted.map((resource) => `${resource.type} ${resource.bytes}`).join(", ")})`);
    expect(total).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
    await page.context().close();
  });
});
