import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { CHROME_PATH, CHROMIUM_FLAGS } from "../../lib/tools/chromium.ts";
import { serveStatic, type StaticServer } from "../../lib/tools/static-server.ts";
import { buildSite, type BuiltSite } from "./site.ts";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROME_PATH, headless: true, args: CHROMIUM_FLAGS });
}

/** Served by the tests from the site's own origin, so axe runs under the page's real CSP. */
export const AXE_PATH = "/__browser-test__/axe.js";
const axeSource = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Keeps a context's requests on 127.0.0.1: each is recorded in `requested`, any
 * other host is refused, and AXE_PATH serves axe-core.
 */
export async function keepOnLoopback(context: BrowserContext, requested: Set<string>): Promise<void> {
  const axe = await axeSource;
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    requested.add(url.href);
    if (url.hostname !== "127.0.0.1") return route.abort("blockedbyclient");
    if (url.pathname === AXE_PATH) return route.fulfill({ body: axe, contentType: "text/javascript" });
    return route.continue();
  });
}

/** The fixture blog built, served on 127.0.0.1 and open to a browser: the setup every reader test shares. */
export interface ServedSite {
  readonly site: BuiltSite;
  readonly server: StaticServer;
  readonly browser: Browser;
}

/**
 * Registers the suite's hooks: the site is built, served and a browser launched
 * before its tests (and before hooks registered after this call), all closed
 * after. The returned fields are readable once the tests run.
 */
export function useServedBlog(): ServedSite {
  let served: ServedSite | undefined;
  beforeAll(async () => {
    const site = await buildSite();
    const server = await serveStatic(site.outputDir);
    served = { site, server, browser: await launchBrowser() };
  });
  afterAll(async () => {
    await served?.browser.close();
    await served?.server.close();
    await served?.site.cleanup();
  });
  const current = (): ServedSite => {
    if (!served) throw new Error("the served site is read before the suite's beforeAll ran");
    return served;
  };
  return {
    get site() {
      return current().site;
    },
    get server() {
      return current().server;
    },
    get browser() {
      return current().browser;
    },
  };
}
