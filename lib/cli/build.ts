// `npm run build [-- --input <dir>] [-- --keep <n>]`: the production build.
// Builds into a new folder under .releases/ and, only when the build and all of
// its checks passed, points <input>/_site at it in one atomic step. A failed
// build leaves _site exactly as it was. See lib/publish/releases.ts.
import path from "node:path";
import { parseArgs } from "node:util";
import type { default as Eleventy, UserConfig } from "@11ty/eleventy";
import { ContentError, findContentError } from "../content/issues.ts";
import { startStylesheet } from "../plugins/assets.ts";
import { SEARCH_HASHED_FOLDERS, SearchIndexBuilder, SearchIndexError, type BuiltPage } from "../search/search-index.ts";
import { SITE_CONFIG } from "../tools/repository.ts";
import {
  carryForwardAssets,
  createRelease,
  DEFAULT_KEEP,
  discardRelease,
  markPublished,
  pruneReleases,
  publishPaths,
  readLiveSite,
  RELEASES_DIR,
  removeIncompleteReleases,
  switchLiveSite,
  type LiveSite,
} from "../publish/releases.ts";

/** Eleventy's log lines, held back: on success they are noise, on a content error the list says it all. */
class HeldLog {
  readonly lines: string[] = [];
  readonly log = (...parts: unknown[]) => this.lines.push(parts.join(" "));
  readonly info = this.log;
  readonly warn = this.log;
  readonly error = this.log;
}

function describeLive(live: LiveSite | undefined): string {
  if (live === undefined) return "_site was not touched";
  if (live.kind === "missing") return "_site was not there and still is not";
  if (live.kind === "directory") return "_site is unchanged";
  return `_site still serves ${live.target}`;
}

/** The command line and environment, checked; a number is the exit code of a refusal. */
function readOptions(): { input: string; keep: number } | number {
  const { values } = parseArgs({
    options: {
      input: { type: "string", default: "." },
      keep: { type: "string", default: String(DEFAULT_KEEP) },
    },
    strict: true,
  });
  const keep = Number(values.keep);
  if (!Number.isInteger(keep) || keep < 1) {
    console.error(`--keep: found ${JSON.stringify(values.keep)}; expected a whole number of releases to keep, at least 1`);
    return 2;
  }
  // A production build never publishes drafts; refuse rather than quietly ignore the setting.
  if (process.env.BLOG_DRAFTS !== undefined && process.env.BLOG_DRAFTS !== "" && process.env.BLOG_DRAFTS !== "0") {
    console.error(`BLOG_DRAFTS: found ${JSON.stringify(process.env.BLOG_DRAFTS)}; a production build never publishes drafts, so unset it (or set it to 0)`);
    return 2;
  }
  process.env.BLOG_DRAFTS = "0";
  return { input: values.input, keep };
}

/** A failed build's report: the author's content errors alone, or everything for a bug. */
function reportFailure(error: unknown, held: HeldLog): void {
  const issues = findContentError(error)?.issues;
  if (issues) {
    console.error(new ContentError(issues).message);
  } else if (error instanceof SearchIndexError) {
    console.error(error.message);
  } else {
    // Not the author's content: a bug or a broken template. Show everything.
    for (const line of held.lines) console.error(line);
    console.error(error);
  }
}

/** Builds the site into a release folder, then its search index once every check has passed; throws what failed. */
async function buildInto(root: string, releaseDir: string, held: HeldLog): Promise<void> {
  // Pages go to the search index as they render, so Pagefind works on the other core meanwhile.
  const search = new SearchIndexBuilder();
  startStylesheet(root);
  try {
    const Builder = await importEleventy();
    const config = (eleventyConfig: UserConfig) => {
      quietBenchmarks(eleventyConfig);
      indexEachPage(search)(eleventyConfig);
    };
    const eleventy = new Builder(root, releaseDir, { configPath: SITE_CONFIG, quietMode: true, config });
    (eleventy as unknown as { logger: { overrideLogger(logger: HeldLog): void } }).logger.overrideLogger(held);
    const [, pages] = (await eleventy.write()) as [unknown, BuiltPage[]];
    await search.write(releaseDir, pages);
  } finally {
    await search.close();
  }
}

async function main(): Promise<number> {
  const options = readOptions();
  if (typeof options === "number") return options;
  const { input, keep } = options;
  const paths = publishPaths(input);
  let before: LiveSite | undefined;
  let release: { name: string; dir: string };
  try {
    before = await readLiveSite(paths);
    const removed = await removeIncompleteReleases(paths);
    if (removed.length > 0) console.log(`Removed ${removed.length} incomplete release(s) left by an interrupted build.`);
    release = await createRelease(paths);
  } catch (error) {
    return failed(`could not make a release folder in ${RELEASES_DIR}/ (${causeOf(error)})`, before);
  }
  const started = performance.now();
  const held = new HeldLog();
  try {
    await buildInto(paths.root, release.dir, held);
  } catch (error) {
    await discardRelease(paths, release.name).catch(() => undefined);
    reportFailure(error, held);
    console.error(`Build failed; ${describeLive(before)}.`);
    return 1;
  }

  let switched: { migrated?: string };
  try {
    // The search index's hashed files too: a search page opened before the switch keeps its index.
    for (const folder of ["assets", ...SEARCH_HASHED_FOLDERS]) await carryForwardAssets(paths, release.name, folder);
    switched = await switchLiveSite(paths, release.name);
  } catch (error) {
    await discardRelease(paths, release.name).catch(() => undefined);
    return failed(`could not switch _site to the new release (${causeOf(error)})`, before);
  }
  await markPublished(paths, release.name);
  if (switched.migrated) console.log(`Moved the old _site folder to ${path.join(".releases", switched.migrated)} (a one-time step).`);
  // Published: a failure to tidy old releases is reported, not a failed build.
  const pruned = await pruneReleases(paths, keep).catch((error: unknown) => {
    console.error(`warning: could not remove old releases (${causeOf(error)})`);
    return [];
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(
    `Published release ${release.name} in ${seconds} s: _site -> .releases/${release.name}${pruned.length ? `; pruned ${pruned.length} old release(s)` : ""}.`,
  );
  return 0;
}

/** Hands each rendered page to the search index (which writes nothing until the build has passed). */
function indexEachPage(search: SearchIndexBuilder) {
  return (eleventyConfig: UserConfig) => {
    eleventyConfig.addTransform("search-index", function (content) {
      search.add({ url: this.page?.url ?? false, content });
      return content;
    });
  };
}

/**
 * Eleventy's benchmark warnings ("Benchmark 89ms 12% (Configuration)
 * commentHtml Nunjucks Filter", when a filter's first call loads the
 * sanitizer in a short build) come through a logger of their own, which quiet
 * mode leaves on: a production build reports what failed, not how long a filter took.
 */
function quietBenchmarks(eleventyConfig: UserConfig): void {
  (eleventyConfig as unknown as { benchmarkManager: { setVerboseOutput(verbose: boolean): void } }).benchmarkManager.setVerboseOutput(false);
}

/**
 * Eleventy, without its module loader hook. The hook makes the dev server
 * re-import JavaScript edited while it runs; a one-off build has no such
 * edits, and on Node 20 the hook's thread sits in the path of every module
 * loaded after it (about a tenth of a second of a 3-post build).
 */
async function importEleventy(): Promise<typeof Eleventy> {
  process.env.ELEVENTY_SKIP_ESM_RESOLVER = "1";
  return (await import("@11ty/eleventy")).default;
}

/** The cause of a failure, in one line: the system's error code and message, not a stack trace. */
function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function failed(cause: string, before: LiveSite | undefined): number {
  console.error(`Build failed: ${cause}; ${describeLive(before)}.`);
  return 1;
}

process.exitCode = await main();
