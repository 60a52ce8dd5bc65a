import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useServedBlog } from "../helpers/browser.ts";

const PARTS = [1, 2, 3].map((n) => `/no-planned-downtime-chasm-part${n}/`);

const real = useServedBlog();

/** Where the reader is, and which part the series box marks as the current one. */
async function whereAmI(page: Page) {
  return {
    path: new URL(page.url()).pathname,
    current: await page.locator('.series-box [aria-current="page"]').getAttribute("href"),
    heading: await page.locator("h1").innerText(),
  };
}

describe("reading the series in Chromium", () => {
  it("goes from the home page to the series, reads parts 1 to 3 by Next and comes back by Previous", async () => {
    const context = await real.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${real.server.origin}/`);
      // Home → the list of series → the series.
      await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Series", exact: true }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe("/series/");
      await page.getByRole("link", { name: "Crossing the no-downtime chasm", exact: true }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe("/series/no-planned-downtime-chasm/");
      await page.getByRole("link", { name: /^Start with part 1/ }).click();

      const titles: string[] = [];
      for (const [index, sitePath] of PARTS.entries()) {
        await expect.poll(() => new URL(page.url()).pathname).toBe(sitePath);
        const here = await whereAmI(page);
        expect(here.current).toBe(sitePath);
        titles.push(here.heading);
        const next = page.locator(".series-pager").getByRole("link", { name: /^Next: part/ });
        if (index < PARTS.length - 1) await next.click();
        else expect(await next.count(), "the last part has no next link").toBe(0);
      }
      expect(titles).toEqual([
        "Crossing the no-downtime chasm - part 1 - Migrations",
        "Crossing the no-downtime chasm - part 2 - Moving and breaking",
        "Crossing the no-downtime chasm - part 3 - Finishing thoughts",
      ]);

      for (const sitePath of [...PARTS].reverse().slice(1)) {
        await page
          .locator(".series-pager")
          .getByRole("link", { name: /^Previous: part/ })
          .click();
        await expect.poll(() => new URL(page.url()).pathname).toBe(sitePath);
        expect((await whereAmI(page)).current).toBe(sitePath);
      }
      expect(
        await page
          .locator(".series-pager")
          .getByRole("link", { name: /^Previous: part/ })
          .count(),
        "part 1 has no previous link",
      ).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("lets a keyboard user move between parts through the series box", async () => {
    const context = await real.browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    try {
      await page.goto(`${real.server.origin}${PARTS[0]}`);
      for (let presses = 0; presses < 40; presses++) {
        await page.keyboard.press("Tab");
        const label = await page.evaluate(() => (document.activeElement?.closest(".series-box") ? document.activeElement.getAttribute("href") : null));
        if (label === PARTS[2]) break;
      }
      await page.keyboard.press("Enter");
      await expect.poll(() => new URL(page.url()).pathname).toBe(PARTS[2]);
      expect((await whereAmI(page)).current).toBe(PARTS[2]);
    } finally {
      await context.close();
    }
  });
});
