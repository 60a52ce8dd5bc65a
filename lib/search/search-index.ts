import { randomBytes } from "node:crypto";
import { readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import * as pagefind from "pagefind";

/**
 * The site search: a Pagefind index of the built site, at `/pagefind/`
 * (Pagefind's own bundle path, which its script finds under any path prefix).
 * Pagefind indexes only the pages that mark their text `data-pagefind-body`,
 * which the post layout does, so listing pages, tag pages and the notes index
 * stay out; the layout's other `data-pagefind-*` attributes give the results
 * their date, series part, summary and filters.
 */
export const SEARCH_BUNDLE_PATH = "/pagefind/";
/** The bundle's folder in a built site. */
export const SEARCH_BUNDLE_FOLDER = SEARCH_BUNDLE_PATH.slice(1, -1);
export const SEARCH_PAGE_PATH = "/search/";

/**
 * Where the bundle's content-hashed files are (its word index, page fragments,
 * filters and metadata): carried into the next release, like the stylesheet,
 * so a search page opened before a switch still finds the index it started with.
 * Its unhashed files (script, entry point) are always in the new release.
 */
export const SEARCH_HASHED_FOLDERS = [SEARCH_BUNDLE_FOLDER, ...["index", "fragment", "filter"].map((part) => `${SEARCH_BUNDLE_FOLDER}/${part}`)];

/** Pagefind's ready-made interfaces: our search page renders results itself, so they are not published. */
const UNUSED_BUNDLE_FILE = /^pagefind-(?:ui|modular-ui|component-ui|highlight)\.(?:js|css)$/;

export class SearchIndexError extends Error {
  constructor(problems: readonly string[]) {
    super(`The search index could not be built:\n  ${problems.join("\n  ")}`);
    this.name = "SearchIndexError";
  }
}

export interface SearchIndexSummary {
  /** Pages handed to Pagefind (from a folder, every HTML file; only those with a body are indexed). */
  pagesIndexed: number;
  bundleDir: string;
}

/** A built page, as Eleventy hands it back from a build. */
export interface BuiltPage {
  url: string | false;
  content: string;
}

/**
 * Indexes a built site and writes the bundle to `<siteDir>/pagefind/`. Given
 * the build's pages, only those that mark a body for the index are handed to
 * Pagefind, from memory; without them, it reads every HTML file under
 * `siteDir` (the dev server's output, which a rebuild only partly rewrites).
 * The bundle is written beside the old one and swapped in by rename, so a
 * reader searching while it is rebuilt meets a whole index.
 */
export async function writeSearchIndex(siteDir: string, pages?: Iterable<BuiltPage>): Promise<SearchIndexSummary> {
  const bundleDir = path.join(siteDir, SEARCH_BUNDLE_FOLDER);
  const next = `${bundleDir}.next-${randomBytes(4).toString("hex")}`;
  try {
    const { index, errors } = await pagefind.createIndex({});
    if (!index) throw new SearchIndexError(errors);
    const added = pages ? await addPages(index, pages) : await index.addDirectory({ path: siteDir });
    if (added.errors.length > 0) throw new SearchIndexError(added.errors);
    const written = await index.writeFiles({ outputPath: next });
    if (written.errors.length > 0) throw new SearchIndexError(written.errors);
    for (const name of await readdir(next)) {
      if (UNUSED_BUNDLE_FILE.test(name)) await rm(path.join(next, name));
    }
    await swapIn(next, bundleDir);
    return { pagesIndexed: added.page_count, bundleDir };
  } finally {
    await rm(next, { recursive: true, force: true });
    // Pagefind runs as a child process; left running it would keep Node alive.
    await pagefind.close();
  }
}

/** Cheaper than letting Pagefind parse every listing page only to skip it: at thousands of posts, tag pages are large. */
async function addPages(index: pagefind.PagefindIndex, pages: Iterable<BuiltPage>): Promise<{ errors: string[]; page_count: number }> {
  const marked = [...pages].filter((page): page is BuiltPage & { url: string } => typeof page.url === "string" && page.content.includes("data-pagefind-body"));
  const added = await Promise.all(marked.map(({ url, content }) => index.addHTMLFile({ url, content })));
  return { errors: added.flatMap((response) => response.errors), page_count: added.length };
}

async function swapIn(next: string, bundleDir: string): Promise<void> {
  const old = `${next}.old`;
  const hadOld = await rename(bundleDir, old).then(() => true, (error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return false;
    throw error;
  });
  await rename(next, bundleDir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}
