import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { AxeResults } from "axe-core";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useServedBlog } from "../helpers/browser.ts";
import { REPO } from "../helpers/site.ts";

const PART_3 = "/no-planned-downtime-chasm-part3/";
const REFERENCE = "#fnref\\:forcing-function";
const SCREENSHOTS = path.join(REPO, "test/artifacts/screenshots");
/** Served from the site's own origin so axe runs under the page's real Content-Security-Policy. */
const AXE_PATH = "/__footnotes-test__/axe.js";
const axeSource = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const real = useServedBlog();

async function openPage(width: number, options: { javaScript?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await real.browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: options.javaScript ?? true });
  const axe = await axeSource;
  await context.route(`${real.server.origin}${AXE_PATH}`, (route) => route.fulfill({ body: axe, contentType: "text/javascript" }));
  const page = await context.newPage();
  await page.goto(`${real.server.origin}${PART_3}`);
  return { context, page };
}

/** Presses Tab until the element matching `selector` has focus, as a keyboard user would. */
async function tabTo(page: Page, selector: string, limit = 80): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
  }
  throw new Error(`${selector} was not reached within ${limit} presses of Tab`);
}

const focused = (page: Page) =>
  page.evaluate(() => ({
    id: document.activeElement?.id ?? "",
    label: document.activeElement?.getAttribute("aria-label") ?? "",
    inDialog: Boolean(document.activeElement?.closest("dialog")),
  }));
const duplicateIds = (page: Page) =>
  page.evaluate(() => {
    const ids = [...document.querySelectorAll("[id]")].map((element) => element.id);
    return ids.filter((id, index) => ids.indexOf(id) !== index);
  });

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ url: AXE_PATH });
  const results = await page.evaluate(() => (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run());
  return results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

describe("footnotes on a wide screen (1400 px)", () => {
  it("shows the sidenote in the margin beside its reference", async () => {
    const { context, page } = await openPage(1400);
    try {
      const reference = await page.locator(REFERENCE).boundingBox();
      const sidenote = await page.locator(".sidenote").boundingBox();
      const paragraph = await page.locator(REFERENCE).locator("xpath=ancestor::p").boundingBox();
      const column = await page.locator(".post-body").boundingBox();
      expect(reference && sidenote && paragraph && column).toBeTruthy();
      // Beside the text, not over it: wholly right of the text column, inside the window.
      expect(sidenote!.x).toBeGreaterThanOrEqual(column!.x + column!.width);
      expect(sidenote!.x).toBeGreaterThanOrEqual(paragraph!.x + paragraph!.width);
      expect(sidenote!.x + sidenote!.width).toBeLessThanOrEqual(1400);
      expect(sidenote!.width).toBeGreaterThan(150);
      // Level with the line of the reference.
      expect(Math.abs(sidenote!.y - reference!.y)).toBeLessThan(30);
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.locator(REFERENCE).scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollBy(0, -200));
      await page.screenshot({ path: path.join(SCREENSHOTS, "footnotes-sidenote-1400.png") });
    } finally {
      await context.close();
    }
  });

  it("lets a keyboard user go from the reference to the note and back", async () => {
    const { context, page } = await openPage(1400);
    try {
      await tabTo(page, REFERENCE);
      await page.keyboard.press("Enter");
      await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toBe("#fn:forcing-function");
      // The sidenote's copy is out of the tab order: the next stops are the note's own links.
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.closest("li")?.id)).toBe("fn:forcing-function");
      await tabTo(page, 'a[role="doc-backlink"]', 3);
      expect((await focused(page)).label).toBe("Back to reference 1");
      await page.keyboard.press("Enter");
      await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toBe("#fnref:forcing-function");
      // Back where the reader left: the reference has focus and is in view, below the top edge.
      expect((await focused(page)).id).toBe("fnref:forcing-function");
      const referenceY = (await page.locator(REFERENCE).boundingBox())!.y;
      expect(referenceY).toBeGreaterThan(16);
      expect(referenceY).toBeLessThan(900);
    } finally {
      await context.close();
    }
  });

  it("has no axe violation", async () => {
    const { context, page } = await openPage(1400);
    try {
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("footnotes on a narrow screen (375 px)", () => {
  it("hides the sidenote and keeps the note at the end of the post", async () => {
    const { context, page } = await openPage(375);
    try {
      expect(await page.locator(".sidenote").isVisible()).toBe(false);
      const note = page.locator('[id="fn:forcing-function"]');
      expect(await note.isVisible()).toBe(true);
      const lastParagraph = await page.locator(".post-body > p").last().boundingBox();
      const noteBox = await note.boundingBox();
      expect(noteBox!.y).toBeGreaterThan(lastParagraph!.y);
      expect(noteBox!.x + noteBox!.width).toBeLessThanOrEqual(375);
    } finally {
      await context.close();
    }
  });

  it("opens the note in a modal dialog with Enter, with focus inside, and Escape returns focus to the reference", async () => {
    const { context, page } = await openPage(375);
    try {
      await tabTo(page, REFERENCE);
      await page.keyboard.press("Enter");
      const dialog = page.locator("dialog.note-popover");
      await expect.poll(() => dialog.evaluate((element) => (element as HTMLDialogElement).open && element.matches(":modal"))).toBe(true);
      expect(await dialog.getAttribute("aria-label")).toBe("Note 1");
      expect(await dialog.innerText()).toContain("Behavior-shaping constraint, on Wikipedia.");
      expect((await focused(page)).inDialog).toBe(true);
      // The page did not jump to the endnote, and the copy repeats no id.
      expect(await page.evaluate(() => location.hash)).toBe("");
      expect(await duplicateIds(page)).toEqual([]);
      expect(await dialog.locator("[id]").count()).toBe(0);
      // The rest of the page is inert while it is open, so nothing is read twice.
      expect(await axeViolations(page)).toEqual([]);
      await page.keyboard.press("Escape");
      await expect.poll(() => dialog.evaluate((element) => (element as HTMLDialogElement).open)).toBe(false);
      expect((await focused(page)).id).toBe("fnref:forcing-function");
    } finally {
      await context.close();
    }
  });

  it("closes the dialog with its Close button, returning focus to the reference", async () => {
    const { context, page } = await openPage(375);
    try {
      await tabTo(page, REFERENCE);
      await page.keyboard.press("Enter");
      await tabTo(page, "dialog button", 5);
      await page.keyboard.press("Enter");
      expect(await page.locator("dialog.note-popover").evaluate((element) => (element as HTMLDialogElement).open)).toBe(false);
      expect((await focused(page)).id).toBe("fnref:forcing-function");
    } finally {
      await context.close();
    }
  });

  it("without JavaScript, the reference is a link to the note and the back link returns", async () => {
    const { context, page } = await openPage(375, { javaScript: false });
    try {
      await tabTo(page, REFERENCE);
      await page.keyboard.press("Enter");
      await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toBe("#fn:forcing-function");
      await tabTo(page, 'a[role="doc-backlink"]', 3);
      await page.keyboard.press("Enter");
      await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toBe("#fnref:forcing-function");
    } finally {
      await context.close();
    }
  });

  it("has no axe violation", async () => {
    const { context, page } = await openPage(375);
    try {
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
