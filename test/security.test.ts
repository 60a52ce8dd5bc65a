import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, type StaticServer } from "../lib/tools/static-server.ts";
import { sharedBrowser } from "./helpers/browser.ts";
import { buildSite, type BuiltSite } from "./helpers/site.ts";

const SEARCH_PAGE = "/search/";

let site: BuiltSite;
let htmlPages: string[];

beforeAll(async () => {
  site = await buildSite();
  htmlPages = site.paths.filter((sitePath) => sitePath.endsWith("/") || sitePath.endsWith(".html"));
});
afterAll(() => site?.cleanup());

/** A policy as a map of directive name to its sources. */
function parsePolicy(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!.toLowerCase(), sources]),
  );
}

/** The sources that govern scripts: script-src, or default-src when there is none. */
function scriptSources(policy: Map<string, string[]>): string[] | undefined {
  return policy.get("script-src") ?? policy.get("default-src");
}

describe("the content security policy in the markup", () => {
  it("has no inline script and no event-handler attribute on any page", async () => {
    expect(htmlPages.length).toBeGreaterThan(15);
    const found: string[] = [];
    for (const sitePath of htmlPages) {
      const page = await site.document(sitePath);
      for (const script of page.querySelectorAll("script")) {
        const isDataBlock = script.getAttribute("type") === "application/ld+json";
        if (!script.hasAttribute("src") && !isDataBlock) found.push(`${sitePath}: inline <script>${script.textContent?.slice(0, 40)}`);
        if (isDataBlock) expect(() => JSON.parse(script.textContent ?? ""), `${sitePath}: ld+json must be data`).not.toThrow();
      }
      for (const element of page.querySelectorAll("*")) {
        for (const attribute of element.getAttributeNames()) {
          if (/^on/i.test(attribute)) found.push(`${sitePath}: <${element.tagName.toLowerCase()} ${attribute}>`);
        }
        const link = element.getAttribute("href") ?? element.getAttribute("src") ?? "";
        if (/^\s*javascript:/i.test(link)) found.push(`${sitePath}: javascript: URL on <${element.tagName.toLowerCase()}>`);
      }
    }
    expect(found).toEqual([]);
  });

  it("ships the same policy in a meta tag on every page but the search page, forbidding inline and foreign scripts", async () => {
    const policies = new Set<string>();
    for (const sitePath of htmlPages) {
      const metas = (await site.document(sitePath)).querySelectorAll('head > meta[http-equiv="Content-Security-Policy"]');
      expect(metas.length, `${sitePath} should carry one CSP meta tag`).toBe(1);
      if (sitePath !== SEARCH_PAGE) policies.add(metas[0]!.getAttribute("content") ?? "");
    }
    expect(policies.size).toBe(1);
    const policy = parsePolicy([...policies][0]!);
    const scripts = scriptSources(policy);
    expect(scripts, "a policy must govern scripts").toBeDefined();
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(scripts).not.toContain("*");
    expect(
      scripts!.every((source) => source === "'self'" || source === "'none'"),
      `script sources: ${scripts!.join(" ")}`,
    ).toBe(true);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
  });

  it("allows the search page, and it alone, to compile WebAssembly: the same policy plus 'wasm-unsafe-eval'", async () => {
    const policyOf = async (sitePath: string) =>
      parsePolicy((await site.document(sitePath)).querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute("content")!);
    const general = await policyOf("/");
    const search = await policyOf(SEARCH_PAGE);
    expect(search.get("script-src")).toEqual([...scriptSources(general)!, "'wasm-unsafe-eval'"]);
    for (const [directive, sources] of general) if (directive !== "script-src") expect(search.get(directive), directive).toEqual(sources);
    const withWasm = [];
    for (const sitePath of htmlPages) if ((await site.read(sitePath)).includes("wasm-unsafe-eval")) withWasm.push(sitePath);
    expect(withWasm).toEqual([SEARCH_PAGE]);
  });

  it("ships the policy, and more, in _headers for hosts that read it", async () => {
    const meta = (await site.document("/")).querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute("content")!;
    const headers = await site.read("/_headers");
    const rules = headers.split(/\n(?=\S)/);
    const everyPage = rules.find((rule) => rule.startsWith("/*\n"));
    expect(everyPage, "_headers needs a rule for every path").toBeDefined();
    const header = /^\s+Content-Security-Policy:\s*(.+)$/m.exec(everyPage!)?.[1];
    const headerPolicy = parsePolicy(header ?? "");
    for (const [directive, sources] of parsePolicy(meta)) expect(headerPolicy.get(directive), directive).toEqual(sources);
    // frame-ancestors only works as a header.
    expect(headerPolicy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(everyPage).toMatch(/^\s+X-Content-Type-Options: nosniff$/m);
    // Hashed asset names make long-lived caching safe.
    // The search page's rule replaces the general policy (two policies would both apply) with its meta policy as a header.
    const searchRule = rules.find((rule) => rule.startsWith(`${SEARCH_PAGE}\n`));
    expect(searchRule).toMatch(/^\s+! Content-Security-Policy$/m);
    const searchPolicy = parsePolicy(/^\s+Content-Security-Policy:\s*(.+)$/m.exec(searchRule ?? "")?.[1] ?? "");
    const searchMeta = (await site.document(SEARCH_PAGE)).querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute("content")!;
    for (const [directive, sources] of parsePolicy(searchMeta)) expect(searchPolicy.get(directive), directive).toEqual(sources);
    expect(searchPolicy.get("frame-ancestors")).toEqual(["'none'"]);
    const assets = rules.find((rule) => rule.startsWith("/assets/*\n"));
    expect(assets).toMatch(/Cache-Control: .*immutable/);
  });
});

describe("the content security policy in Chromium", () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await serveStatic(site.outputDir);
    browser = await sharedBrowser();
  });
  afterAll(async () => {
    await server?.close();
  });

  // That no page reports a violation, and that a page with an inline script does, is checked in
  // test/browser/quality.test.ts, in its one pass over every page.

  it("lets the page's own stylesheet and script work under the policy", async () => {
    // Narrower than the margin-note layout, so a note reference opens the script's dialog.
    const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.origin}/no-planned-downtime-chasm-part3/`);
    const bodyMargin = await page.evaluate(() => getComputedStyle(document.body).margin);
    await page.locator('a[role="doc-noteref"]').first().click();
    const dialogOpen = await page.locator("dialog[open]").count();
    await context.close();
    expect(bodyMargin, "the stylesheet did not apply").toBe("0px");
    expect(dialogOpen, "the footnote script did not run").toBe(1);
  });
});
