import { randomBytes } from "node:crypto";
import { readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import * as pagefind from "pagefind";
import { PAGE_PATHS, SEARCH_BUNDLE_PATH } from "../content/paths.ts";

/**
 * The site search: a Pagefind index of the built site, at `/pagefind/`
 * (Pagefind's own bundle path, which its script finds under any path prefix).
 * Pagefind indexes only the pages that mark their text `data-pagefind-body`,
 * which the post layout does, so listing pages, tag pages and the notes index
 * stay out; the layout's other `data-pagefind-*` attributes give the results
 * their date, series part, summary and filters.
 */
export { SEARCH_BUNDLE_PATH };
/** The bundle's folder in a built site. */
export const SEARCH_BUNDLE_FOLDER = SEARCH_BUNDLE_PATH.slice(1, -1);
export const SEARCH_PAGE_PATH = PAGE_PATHS.search;

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
 */
export async function writeSearchIndex(siteDir: string, pages?: Iterable<BuiltPage>): Promise<SearchIndexSummary> {
  const builder = new SearchIndexBuilder();
  try {
    if (!pages) return await builder.writeDirectory(siteDir);
    for (const page of pages) builder.add(page);
    // Added from the final pages themselves: nothing to confirm (and `pages` may be read only once).
    return await builder.write(siteDir);
  } finally {
    await builder.close();
  }
}

type AddResponse = { errors: string[] };

/**
 * A search index fed page by page while the build renders: Pagefind runs as a
 * child process, so it parses and indexes pages on the second core while
 * Eleventy renders the rest on this one. Nothing is written until `write`,
 * which a build calls only once every check has passed.
 */
export class SearchIndexBuilder {
  readonly #index = createIndex();
  /** What each page was indexed with, to confirm it is what the build finally wrote. */
  readonly #added = new Map<string, { content: string; response: Promise<AddResponse> }>();

  /** Hands a page to Pagefind if it marks a body for the index (listing, tag and notes pages do not). */
  add({ url, content }: BuiltPage): void {
    if (typeof url !== "string" || !content.includes("data-pagefind-body")) return;
    const response = this.#index.then((index) => index.addHTMLFile({ url, content }));
    // Settled by `write`; until then a rejection must not count as unhandled.
    response.catch(() => undefined);
    this.#added.set(url, { content, response });
  }

  /**
   * Writes the bundle beside the old one and swaps it in by rename, so a reader
   * searching while it is rebuilt meets a whole index. Given the build's final
   * pages, it first confirms each indexed page is the one written (a transform
   * after indexing could have changed it) and otherwise indexes them afresh.
   */
  async write(siteDir: string, finalPages?: Iterable<BuiltPage>): Promise<SearchIndexSummary> {
    if (finalPages && !this.#matches(finalPages)) return this.#rebuiltFrom(siteDir, finalPages);
    const added = await Promise.all([...this.#added.values()].map(({ response }) => response));
    const errors = added.flatMap((response) => response.errors);
    if (errors.length > 0) throw new SearchIndexError(errors);
    return { pagesIndexed: added.length, bundleDir: await this.#writeBundle(siteDir) };
  }

  /** Indexes every HTML file under `siteDir` (the dev server's output, which a rebuild only partly rewrites). */
  async writeDirectory(siteDir: string): Promise<SearchIndexSummary> {
    const added = await (await this.#index).addDirectory({ path: siteDir });
    if (added.errors.length > 0) throw new SearchIndexError(added.errors);
    return { pagesIndexed: added.page_count, bundleDir: await this.#writeBundle(siteDir) };
  }

  /** Stops Pagefind's child process: left running it would keep Node alive. */
  async close(): Promise<void> {
    await this.#index.catch(() => undefined);
    await pagefind.close();
  }

  /**
   * Whether the pages indexed are the build's final pages, in the same order:
   * Pagefind's files depend on the order pages were added, and a page renders
   * sooner or later with the machine's load, so the order must be the build's own.
   */
  #matches(finalPages: Iterable<BuiltPage>): boolean {
    const added = this.#added.entries();
    for (const { url, content } of finalPages) {
      if (typeof url !== "string" || !content.includes("data-pagefind-body")) continue;
      const next = added.next();
      if (next.done || next.value[0] !== url || next.value[1].content !== content) return false;
    }
    return added.next().done === true;
  }

  async #rebuiltFrom(siteDir: string, finalPages: Iterable<BuiltPage>): Promise<SearchIndexSummary> {
    const fresh = new SearchIndexBuilder();
    for (const page of finalPages) fresh.add(page);
    return fresh.write(siteDir);
  }

  async #writeBundle(siteDir: string): Promise<string> {
    const bundleDir = path.join(siteDir, SEARCH_BUNDLE_FOLDER);
    const next = `${bundleDir}.next-${randomBytes(4).toString("hex")}`;
    try {
      const written = await (await this.#index).writeFiles({ outputPath: next });
      if (written.errors.length > 0) throw new SearchIndexError(written.errors);
      for (const name of await readdir(next)) {
        if (UNUSED_BUNDLE_FILE.test(name)) await rm(path.join(next, name));
      }
      await swapIn(next, bundleDir);
      return bundleDir;
    } finally {
      await rm(next, { recursive: true, force: true });
    }
  }
}

/** Pagefind's index; a failure to start it is reported when the index is used, never as an unhandled rejection. */
function createIndex(): Promise<pagefind.PagefindIndex> {
  const created = pagefind.createIndex({}).then(({ index, errors }) => {
    if (!index) throw new SearchIndexError(errors);
    return index;
  });
  created.catch(() => undefined);
  return created;
}

async function swapIn(next: string, bundleDir: string): Promise<void> {
  const old = `${next}.old`;
  const hadOld = await rename(bundleDir, old).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return false;
      throw error;
    },
  );
  await rename(next, bundleDir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}
