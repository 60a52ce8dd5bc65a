import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AxeResults, RunOptions } from "axe-core";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { CHROMIUM_FLAGS, HEADLESS_CHROME_PATH } from "../../lib/tools/chromium.ts";
import { serveStatic, type StaticServer } from "../../lib/tools/static-server.ts";
import { buildSite, type BuiltSite } from "./site.ts";

let shared: Promise<Browser> | undefined;

/**
 * One Chromium for every browser suite a test worker runs: the suites share the
 * worker's module graph (vitest.config.ts turns isolation off), and a launch
 * costs more than most of their tests. Each test opens its own context, as
 * separate as a new browser's profile. Playwright closes it as the worker exits.
 */
export function sharedBrowser(): Promise<Browser> {
  shared ??= chromium.launch({ executablePath: HEADLESS_CHROME_PATH, headless: true, args: CHROMIUM_FLAGS }).then(
    (browser) => {
      browser.on("disconnected", () => (shared = undefined));
      process.once("SIGTERM", exitAtOnce);
      return browser;
    },
    (error: unknown) => {
      shared = undefined;
      throw error;
    },
  );
  return shared;
}

/**
 * vitest stops a worker with SIGTERM and kills it half a second later, which
 * can cut Playwright's graceful close short and leave the browser's profile
 * folder behind. Exiting at once runs Playwright's exit handler instead, which
 * kills the browser and removes the folder before the process ends.
 */
function exitAtOnce(): void {
  process.exit(143);
}

const axeSource = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Puts axe-core into every page the context opens, before the page's own
 * scripts. An init script is outside the page's Content-Security-Policy, which
 * stays as the site sends it, and it costs a page load next to nothing, where
 * adding axe as a script tag doubled it.
 */
export async function addAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: await axeSource });
}

/**
 * The rules of axe whose results depend on colour. The dark scheme changes
 * nothing but colours (test/browser/quality.test.ts proves it of the built
 * stylesheet), so the other rules' results are the light scheme's.
 */
export const AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"];

/**
 * axe's violations on the page as it is now, one line each, in a context set
 * up by addAxe. `colourOnly` runs only AXE_COLOUR_RULES. Fails the test when
 * axe checked nothing: a run that finds no text to check proves nothing.
 */
export async function axeViolations(page: Page, options: { colourOnly?: boolean } = {}): Promise<string[]> {
  const runOptions: RunOptions = {
    // Only violations carry every node: enough to report, and much faster to hand back.
    resultTypes: ["violations"],
    ...(options.colourOnly ? { runOnly: { type: "rule", values: AXE_COLOUR_RULES } } : {}),
  };
  const results = await page.evaluate(
    (runOptions) => (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe.run(document, runOptions),
    runOptions,
  );
  const checked = [...results.passes, ...results.violations, ...results.incomplete].map((rule) => rule.id);
  if (options.colourOnly) expect(checked, `axe checked no colour on ${page.url()}`).toContain("color-contrast");
  else expect(checked.length, `axe checked nothing on ${page.url()}`).toBeGreaterThan(10);
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n    ${violation.nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary ?? ""}`).join("\n    ")}`,
  );
}

const COLOURS_ONLY = /^@media ?\(prefers-color-scheme: ?dark\) ?\{ ?(:root ?\{ ?(--[a-z0-9-]+: ?#[0-9a-f]{3,8} ?;? ?)+\} ?)+\}$/i;

/**
 * What, in a built site, makes its dark colour scheme more than a change of
 * colours: a rule for the scheme that sets anything but colour custom
 * properties, or a mention of the scheme anywhere else (a script, a <picture>
 * source, a page). Empty when the dark scheme only re-colours the light one.
 */
export async function darkSchemeProblems(site: BuiltSite): Promise<string[]> {
  const problems: string[] = [];
  let schemeRules = 0;
  for (const sitePath of site.paths.filter((sitePath) => /\.(css|js|html)$|\/$/.test(sitePath))) {
    const source = await site.read(sitePath);
    const rules = sitePath.endsWith(".css") ? colourSchemeRules(source) : [];
    schemeRules += rules.length;
    for (const rule of rules) if (!COLOURS_ONLY.test(rule.replace(/\s+/g, " "))) problems.push(`${sitePath}: ${rule}`);
    const rest = rules.reduce((left, rule) => left.replace(rule, ""), source);
    if (rest.includes("prefers-color-scheme")) problems.push(`${sitePath} asks for the colour scheme outside a rule of colours`);
  }
  if (schemeRules === 0) problems.push("no stylesheet has a dark colour scheme");
  return problems;
}

/** Every @media rule of a stylesheet that asks for a colour scheme, whole, found by counting braces (compiled CSS has none in strings). */
function colourSchemeRules(css: string): string[] {
  const rules: string[] = [];
  for (const match of css.matchAll(/@media[^{]*prefers-color-scheme[^{]*\{/g)) {
    let depth = 0;
    let end = match.index;
    for (; end < css.length; end++) {
      if (css[end] === "{") depth++;
      else if (css[end] === "}" && --depth === 0) break;
    }
    rules.push(css.slice(match.index, end + 1));
  }
  return rules;
}

type CspListener = typeof globalThis & { cspViolations?: string[] };

/**
 * Has every page the context opens record the Content-Security-Policy
 * violations it reports (the DOM event), for cspViolations. An init script
 * runs outside the page's policy, so the policy cannot silence it.
 */
export async function listenForCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      ((globalThis as CspListener).cspViolations ??= []).push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
    });
  });
}

/** The policy violations the page has reported since it loaded, in a context set up by listenForCspViolations. */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as CspListener).cspViolations ?? []);
}

/** Keeps a context's requests on 127.0.0.1: each is recorded in `requested`, and any other host is refused. */
export async function keepOnLoopback(context: BrowserContext, requested: Set<string>): Promise<void> {
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    requested.add(url.href);
    if (url.hostname !== "127.0.0.1") return route.abort("blockedbyclient");
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
 * Registers the suite's hooks: the shared fixture blog is served and the
 * worker's browser is ready before its tests (and before hooks registered
 * after this call); the server is closed after. The returned fields are
 * readable once the tests run.
 */
export function useServedBlog(): ServedSite {
  let served: ServedSite | undefined;
  beforeAll(async () => {
    const site = await buildSite();
    served = { site, server: await serveStatic(site.outputDir), browser: await sharedBrowser() };
  });
  afterAll(async () => {
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
