import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAxe, axeViolations, useServedBlog } from "../helpers/browser.ts";
import { REPO } from "../helpers/site.ts";

const PART_3 = "/no-planned-downtime-chasm-part3/";
const REFERENCE = "#fnref\\:forcing-function";
const SCREENSHOTS = path.join(REPO, "test/artifacts/screenshots");

const real = useServedBlog();

/**
 * Registers hooks that open one page of the given width, with axe, for the
 * describe block's tests; `open()` loads part 3 afresh in it, which resets
 * focus, scroll and the address as a new page would.
 */
function usePart3(width: number, options: { javaScript?: boolean } = {}): { open(): Promise<Page> } {
  let context: BrowserContext | undefined;
  let page: Page;
  beforeAll(async () => {
    context = await real.browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: options.javaScript ?? true });
    await addAxe(context);
    page = await context.newPage();
  });
  afterAll(() => context?.close());
  return {
    async open() {
      await page.goto(`${real.server.origin}${PART_3}`);
      return page;
    },
  };
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

describe("footnotes on a wide screen (1400 px)", () => {
  const part3 = usePart3(1400);

  it("shows the sidenote in the margin beside its reference", async () => {
    const page = await part3.open();
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
  });

  it("lets a keyboard user go from the reference to the note and back", async () => {
    const page = await part3.open();
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
  });

  it("has no axe violation", async () => {
    expect(await axeViolations(await part3.open())).toEqual([]);
  });
});

describe("footnotes on a narrow screen (375 px)", () => {
  const part3 = usePart3(375);
  const noScript = usePart3(375, { javaScript: false });

  it("hides the sidenote and keeps the note at the end of the post", async () => {
    const page = await part3.open();
    expect(await page.locator(".sidenote").isVisible()).toBe(false);
    const note = page.locator('[id="fn:forcing-function"]');
    expect(await note.isVisible()).toBe(true);
    const lastParagraph = await page.locator(".post-body > p").last().boundingBox();
    const noteBox = await note.boundingBox();
    expect(noteBox!.y).toBeGreaterThan(lastParagraph!.y);
    expect(noteBox!.x + noteBox!.width).toBeLessThanOrEqual(375);
  });

  it("opens the note in a modal dialog with Enter, with focus inside, and Escape returns focus to the reference", async () => {
    const page = await part3.open();
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
  });

  it("closes the dialog with its Close button, returning focus to the reference", async () => {
    const page = await part3.open();
    await tabTo(page, REFERENCE);
    await page.keyboard.press("Enter");
    await tabTo(page, "dialog button", 5);
    await page.keyboard.press("Enter");
    expect(await page.locator("dialog.note-popover").evaluate((element) => (element as HTMLDialogElement).open)).toBe(false);
    expect((await focused(page)).id).toBe("fnref:forcing-function");
  });

  it("without JavaScript, the reference is a link to the note and the back link returns", async () => {
    const page = await noScript.open();
    await tabTo(page, REFERENCE);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toBe("#fn:forcing-function");
    await tabTo(page, 'a[role="doc-backlink"]', 3);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toBe("#fnref:forcing-function");
  });

  it("has no axe violation", async () => {
    expect(await axeViolations(await part3.open())).toEqual([]);
  });
});
