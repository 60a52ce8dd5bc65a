import { readdir, readFile, readlink, realpath, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { BrowserContext, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, type StaticServer } from "../../lib/tools/static-server.ts";
import { addAxe, axeViolations, cspViolations, keepOnLoopback, listenForCspViolations, sharedBrowser } from "../helpers/browser.ts";
import { runBuildCli } from "../helpers/publish.ts";
import { makeFixtureSite, post } from "../helpers/site.ts";
/*
 * The search page in Chromium, on a fixture site indexed as a release is.
 * Each word below is in one post only, so a result for it names that post.
 */
const SERIES = "no-planned-downtime-chasm";
const SERIES_TITLE = "Crossing the no-downtime chasm";
const UNIQUE = "kestrelvanq";
const DRAFT_WORD = "draftoqueb";
const SHARED = "migration";

const posts = {
  "moving-kestrel-tables.md": post(
    { title: "Moving the kestrel tables", date: "2022-05-10", series: SERIES, part: 1, tags: ["databases", "migrations"], summary: "How the tables moved." },
    `The ${UNIQUE} back-fill ran for a week, one ${SHARED} batch at a time.\n`,
  ),
  "second-part.md": post({ title: "After the move", date: "2022-05-20", series: SERIES, part: 2, tags: ["migrations"] }, `Another ${SHARED} story.\n`),
  "feature-flags.md": post({ title: "Feature flags", date: "2022-06-01", tags: ["feature-flags"] }, `A ${SHARED} of flags, step by step.\n`),
  "unfinished.md": post(
    { title: "Unfinished", date: "2022-06-02", tags: ["databases"], draft: true },
    `The ${DRAFT_WORD} is a secret, as is this ${SHARED}.\n`,
  ),
};

/**
 * The fixture published by `npm run build`, as a release that `_site` links
 * to, and served by following that link per request, as a web server does:
 * at the root, where the searches below run on its first release, and under
 * /blog/, where the prefix test reads the second release, built for that
 * address by the test that publishes it under a page left open.
 */
const MOUNT = "/blog/";
let input: string;
let server: StaticServer;
let base: string;
let prefixedServer: StaticServer;
let prefixedBase: string;
/** One page for the tests that need no other, in a context with axe that records every request and CSP violation. */
let context: BrowserContext;
let page: Page;
/** Every request any page made, by URL. */
const requested = new Set<string>();

beforeAll(async () => {
  input = await makeFixtureSite({ posts });
  const live = path.join(input, "_site");
  server = await serveStatic(() => live);
  base = `${server.origin}/`;
  prefixedServer = await serveStatic(() => live, MOUNT);
  prefixedBase = prefixedServer.origin + MOUNT;
  expect((await runBuildCli(input, { SITE_URL: base })).status).toBe(0);
  context = await openContext();
  await addAxe(context);
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await server?.close();
  await prefixedServer?.close();
  if (input) await rm(input, { recursive: true, force: true });
});

/** A context that records every request, lets none leave 127.0.0.1, and collects CSP violations. */
async function openContext(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const context = await (await sharedBrowser()).newContext(options);
  await keepOnLoopback(context, requested);
  await listenForCspViolations(context);
  return context;
}

/** Opens the search page for a query string and waits until the live region has its answer. */
async function searchFor(page: Page, query: string, at = base): Promise<string> {
  await page.goto(`${at}search/?${query}`);
  const status = page.locator("#search-status");
  await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/found|not available/);
  return (await status.textContent()) ?? "";
}

/** Every page's site path in a built folder (`/x/` for x/index.html). */
async function htmlPagesIn(dir: string): Promise<string[]> {
  const files = await readdir(dir, { recursive: true });
  return files.filter((file) => file.endsWith(".html")).map((file) => `/${file.replace(/(^|\/)index\.html$/, "$1")}`);
}

describe("the search page in Chromium", () => {
  it("finds the one post that has a word first, with its date, series part and the word marked", async () => {
    expect(await searchFor(page, `q=${UNIQUE}`)).toBe(`1 post found for “${UNIQUE}”.`);
    const first = page.locator("#search-results > li").first();
    await expect.poll(() => first.locator("h2 a").getAttribute("href")).toBe("/moving-kestrel-tables/");
    expect(await first.locator("h2 a").textContent()).toBe("Moving the kestrel tables");
    expect(await first.locator("time").getAttribute("datetime")).toBe("2022-05-10");
    expect(await first.locator("time").textContent()).toMatch(/2022/);
    expect(await first.locator(".post-meta").textContent()).toContain(`Part 1 of 2 in ${SERIES_TITLE}`);
    expect(await first.locator(".post-summary-text").textContent()).toBe("How the tables moved.");
    expect(await first.locator(".search-excerpt mark").allTextContents()).toEqual([UNIQUE]);
  });

  it("narrows the results to a tag, and says so, with the tag kept in the address", async () => {
    expect(await searchFor(page, `q=${SHARED}`)).toBe(`3 posts found for “${SHARED}”.`);
    await page.selectOption("#search-tag", "databases");
    await page.click('form[role="search"] button[type="submit"]');
    await expect.poll(() => page.locator("#search-status").textContent(), { timeout: 15_000 }).toBe(`1 post found for “${SHARED}” in tag databases.`);
    expect(new URL(page.url()).searchParams.get("tag")).toBe("databases");
    expect(await page.locator("#search-results h2 a").allTextContents()).toEqual(["Moving the kestrel tables"]);
    // The back button returns to the unfiltered search.
    await page.goBack();
    await expect.poll(() => page.locator("#search-results > li").count(), { timeout: 15_000 }).toBe(3);
    expect(await page.inputValue("#search-tag")).toBe("");
  });

  it("lists a series' posts by its filter alone", async () => {
    expect(await searchFor(page, `series=${SERIES}`)).toBe(`2 posts found in series ${SERIES_TITLE}.`);
  });

  it("finds nothing for a draft's word", async () => {
    expect(await searchFor(page, `q=${DRAFT_WORD}`)).toBe(`No posts found for “${DRAFT_WORD}”.`);
    expect(await page.locator("#search-results > li").count()).toBe(0);
  });

  it("works from the keyboard alone: focus the box, type, tab to a result and open it", async () => {
    await page.goto(`${base}search/`);
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? "");
    for (let presses = 0; presses < 30 && (await focusedId()) !== "search-query"; presses++) await page.keyboard.press("Tab");
    expect(await focusedId()).toBe("search-query");
    await page.keyboard.type(UNIQUE);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#search-status").textContent(), { timeout: 15_000 }).toContain("1 post found");
    const focusedHref = () => page.evaluate(() => (document.activeElement instanceof HTMLAnchorElement ? document.activeElement.getAttribute("href") : null));
    const passed: string[] = [];
    for (let presses = 0; presses < 10 && (await focusedHref()) !== "/moving-kestrel-tables/"; presses++) {
      await page.keyboard.press("Tab");
      passed.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName || ""));
    }
    expect(passed.slice(0, 3), "the button and the filters come between the box and the results").toEqual(["BUTTON", "search-tag", "search-series"]);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}moving-kestrel-tables/`);
  });

  it("has no axe violations with results shown, in light and in dark", async () => {
    await searchFor(page, `q=${SHARED}`);
    expect(await page.locator("#search-results > li").count()).toBe(3);
    const failures: string[] = [];
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      // The dark scheme changes colours alone (test/browser/quality.test.ts): its colour rules are what can differ.
      failures.push(...(await axeViolations(page, { colourOnly: colorScheme === "dark" })).map((violation) => `[${colorScheme}] ${violation}`));
    }
    await page.emulateMedia({ colorScheme: null });
    expect(failures).toEqual([]);
  });

  it("says, with JavaScript off, that search needs it, and links to the archive and the tags", async () => {
    const noScript = await openContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(`${base}search/?q=${UNIQUE}`);
    const message = plain.locator(".search-needs-js");
    expect(await message.isVisible()).toBe(true);
    expect(await message.textContent()).toContain("needs JavaScript");
    expect(await message.locator("a").evaluateAll((links) => links.map((link) => link.getAttribute("href")))).toEqual(["/archive/", "/tags/"]);
    await noScript.close();
  });
});

describe("what search costs the other pages, and where it connects", () => {
  it("loads no search code on any page but /search/, and nothing from Pagefind before a query", async () => {
    const built = await realpath(path.join(input, "_site"));
    const offenders = [];
    for (const sitePath of await htmlPagesIn(built)) {
      const html = await readFile(path.join(built, sitePath.endsWith("/") ? `${sitePath}index.html` : sitePath), "utf8");
      if (sitePath !== "/search/" && /search\.[0-9a-f]+\.js|pagefind/.test(html.replace(/data-pagefind-[a-z-]+(="[^"]*")?/g, ""))) offenders.push(sitePath);
    }
    expect(offenders).toEqual([]);

    const loaded: Array<{ url: string; body: Buffer }> = [];
    const pending: Array<Promise<void>> = [];
    const onResponse = (response: Response) => void pending.push(response.body().then((body) => void loaded.push({ url: response.url(), body })));
    page.on("response", onResponse);
    await page.goto(`${base}search/`, { waitUntil: "networkidle" });
    // No body read may be left pending once the page moves on.
    page.off("response", onResponse);
    await Promise.all(pending);
    expect(loaded.filter((resource) => resource.url.includes("/search/")).length, "the search page itself should be counted").toBeGreaterThan(0);
    expect(loaded.filter((resource) => resource.url.includes("/pagefind/"))).toEqual([]);
    const bytes = loaded.reduce((sum, resource) => sum + gzipSync(resource.body, { level: 9 }).length, 0);
    console.log(`Search page before a query: ${bytes} bytes gzipped (${loaded.length} files)`);
    expect(bytes).toBeLessThanOrEqual(14 * 1024);
  });

  it("reports no CSP violation on /search/ while searching, nor on other pages, which may not run WebAssembly", async () => {
    await searchFor(page, `q=${SHARED}`);
    expect(await page.locator("#search-results > li").count()).toBe(3);
    const found = (await cspViolations(page)).map((violation) => `/search/: ${violation}`);
    for (const sitePath of ["/", "/moving-kestrel-tables/", "/archive/", "/tags/"]) {
      await page.goto(base + sitePath.slice(1));
      found.push(...(await cspViolations(page)).map((violation) => `${sitePath}: ${violation}`));
    }
    // The control: compiling WebAssembly on a page other than /search/ is refused, and heard.
    const compiled = await page.evaluate(() =>
      WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(
        () => "compiled",
        () => "refused",
      ),
    );
    const control = await cspViolations(page);
    expect(found).toEqual([]);
    expect(compiled).toBe("refused");
    expect(control.some((violation) => violation.startsWith("script-src"))).toBe(true);
  });

  it("made no request that left 127.0.0.1, and did fetch the index from the site", () => {
    expect([...requested].filter((url) => url.includes("/pagefind/")).length).toBeGreaterThan(3);
    expect([...requested].filter((url) => new URL(url).hostname !== "127.0.0.1")).toEqual([]);
  });
});

describe("a search page left open while a new release is published", () => {
  it("keeps searching after the switch with the index it started with, whose files the new release carries", async () => {
    const site = path.join(input, "_site");
    const before = await readlink(site);
    expect(await searchFor(page, `q=${UNIQUE}`)).toBe(`1 post found for “${UNIQUE}”.`);
    // Marks this document: the search after the switch must be answered in it, not by a page loaded from the new release.
    await page.evaluate(() => ((window as unknown as { openedBeforeTheSwitch?: boolean }).openedBeforeTheSwitch = true));

    // A new release in which every post's page, and so every index file, has changed: new text, and
    // a new address, under /blog/, which the next test reads.
    await writeFile(
      path.join(input, "_data/site.json"),
      (await readFile(path.join(input, "_data/site.json"), "utf8")).replace(/"tagline": "[^"]*"/, '"tagline": "A new tagline"'),
    );
    await writeFile(path.join(input, "posts/feature-flags.md"), posts["feature-flags.md"].replace("step by step", "step by careful step"));
    expect((await runBuildCli(input, { SITE_URL: prefixedBase })).status).toBe(0);
    expect(await readlink(site)).not.toBe(before);

    await page.fill("#search-query", SHARED);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#search-status").textContent(), { timeout: 15_000 }).toBe(`3 posts found for “${SHARED}”.`);
    expect(await page.evaluate(() => (window as unknown as { openedBeforeTheSwitch?: boolean }).openedBeforeTheSwitch)).toBe(true);
  });
});

describe("the search page under the /blog/ path prefix", () => {
  it("is linked from the navigation, finds a post and opens it, all under /blog/", async () => {
    await page.goto(prefixedBase);
    await page.click('nav a:text-is("Search")');
    await page.waitForURL(`${prefixedBase}search/`);
    await page.fill("#search-query", UNIQUE);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#search-status").textContent(), { timeout: 15_000 }).toBe(`1 post found for “${UNIQUE}”.`);
    expect(new URL(page.url()).pathname).toBe("/blog/search/");
    const link = page.locator("#search-results h2 a");
    expect(await link.getAttribute("href")).toBe("/blog/moving-kestrel-tables/");
    await link.click();
    await page.waitForURL(`${prefixedBase}moving-kestrel-tables/`);
    expect(await page.locator("h1").textContent()).toBe("Moving the kestrel tables");
    expect(await cspViolations(page)).toEqual([]);
  });
});
