import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { SEARCH_BUNDLE_FOLDER, SEARCH_BUNDLE_PATH, SEARCH_PAGE_PATH, writeSearchIndex, type BuiltPage } from "../search/search-index.ts";
import { CHROMIUM_FLAGS, HEADLESS_CHROME_PATH } from "../tools/chromium.ts";
import { serveStatic } from "../tools/static-server.ts";

export interface SearchIndexSample {
  ms: number;
  /** Every file of the bundle at /pagefind/. */
  bundleBytes: number;
  /** The index itself: word index, page fragments, filters and metadata, without Pagefind's script and WebAssembly. */
  indexBytes: number;
}

const INDEX_PART = /^(?:index|fragment|filter)\/|\.pf_meta$/;

async function bundleFiles(siteDir: string): Promise<Array<{ file: string; bytes: number }>> {
  const bundle = path.join(siteDir, SEARCH_BUNDLE_FOLDER);
  const files: Array<{ file: string; bytes: number }> = [];
  for (const entry of await readdir(bundle, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    files.push({ file: path.relative(bundle, absolute).split(path.sep).join("/"), bytes: (await stat(absolute)).size });
  }
  return files;
}

/** The HTML pages of a built site as the build holds them when it indexes: URL and text. */
async function readBuiltPages(siteDir: string): Promise<BuiltPage[]> {
  const files = (await readdir(siteDir, { recursive: true })).filter((file) => file.endsWith(".html") && !file.startsWith(SEARCH_BUNDLE_FOLDER));
  return Promise.all(
    files.map(async (file) => ({
      url: `/${file.split(path.sep).join("/")}`.replace(/index\.html$/, ""),
      content: await readFile(path.join(siteDir, file), "utf8"),
    })),
  );
}

/** Indexes a built site again, as the build does after its checks (from pages in memory): the time it takes and what it writes. */
export async function measureSearchIndex(siteDir: string): Promise<SearchIndexSample> {
  const pages = await readBuiltPages(siteDir);
  const started = performance.now();
  await writeSearchIndex(siteDir, pages);
  const ms = performance.now() - started;
  const files = await bundleFiles(siteDir);
  const sum = (list: typeof files) => list.reduce((total, { bytes }) => total + bytes, 0);
  return { ms, bundleBytes: sum(files), indexBytes: sum(files.filter(({ file }) => INDEX_PART.test(file))) };
}

export interface FirstQuerySample {
  query: string;
  results: number;
  /** What the browser fetched from /pagefind/ for the first query, as files (Pagefind's index files are compressed already). */
  files: number;
  bytes: number;
  /** The same, had the host gzipped Pagefind's script and worker too, as hosts do for JavaScript. */
  bytesWithGzip: number;
}

/**
 * Opens the search page of a built site in Chromium with a query and counts
 * what the first search downloads from the index: Pagefind's script, its
 * WebAssembly, the word index chunks and the shown results' fragments.
 */
export async function measureFirstQuery(siteDir: string, query: string): Promise<FirstQuerySample> {
  const server = await serveStatic(siteDir);
  const browser = await chromium.launch({ executablePath: HEADLESS_CHROME_PATH, headless: true, args: CHROMIUM_FLAGS });
  try {
    const context = await browser.newContext();
    const fetched = new Set<string>();
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.hostname !== "127.0.0.1") return route.abort("blockedbyclient");
      if (url.pathname.startsWith(SEARCH_BUNDLE_PATH)) fetched.add(url.pathname);
      return route.continue();
    });
    const page = await context.newPage();
    await page.goto(`${server.origin}${SEARCH_PAGE_PATH}?q=${encodeURIComponent(query)}`);
    await page.waitForFunction(() => /found|not available/.test(document.getElementById("search-status")?.textContent ?? ""), undefined, { timeout: 60_000 });
    await page.waitForLoadState("networkidle");
    const results = Number(/^(\d+)/.exec((await page.textContent("#search-status")) ?? "")?.[1] ?? 0);
    let bytes = 0;
    let bytesWithGzip = 0;
    for (const sitePath of fetched) {
      const body = await readFile(path.join(siteDir, sitePath));
      bytes += body.length;
      bytesWithGzip += sitePath.endsWith(".js") ? gzipSync(body, { level: 9 }).length : body.length;
    }
    return { query, results, files: fetched.size, bytes, bytesWithGzip };
  } finally {
    await browser.close();
    await server.close();
  }
}
