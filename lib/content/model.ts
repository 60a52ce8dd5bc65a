import path from "node:path";
import { checkLedger, readLedger } from "./feed-ledger.ts";
import { formatIssue, IssueLog, quote } from "./issues.ts";
import { groupByYear, indexNotes, indexTags, newestDate, newestFirst } from "./indexes.ts";
import { loadPosts, loadSeriesDeclarations, loadSite, type PostRecord } from "./loading.ts";
import { RESERVED_PATHS } from "./paths.ts";
import { buildSeries, planSeries } from "./series.ts";
import { ImageStore } from "./images.ts";
import { listStaticFiles, staticFolders } from "./static-files.ts";
import type { ContentModel, LoadOptions, Post, SeriesPart } from "./types.ts";

/*
 * The content model: reads the posts and data files (loading.ts), checks every
 * rule across documents (permalinks, feed ids, series), makes each post once
 * and builds the indexes every page and feed reads (indexes.ts).
 */
export type * from "./types.ts";
export { jekyllPostId, tagSlug } from "./paths.ts";
export { POSTS_DIR, SERIES_FILE, SITE_FILE } from "./sources.ts";

/**
 * Reads posts and data files, validates every document and every cross-document
 * rule, and builds the indexes that pages and feeds read. Throws one ContentError
 * listing every problem found.
 */
export async function loadContent(options: LoadOptions): Promise<ContentModel> {
  const log = new IssueLog();
  const inputDir = path.resolve(options.inputDir);
  const site = await loadSite(inputDir, log, options.deploymentUrl);
  const declarations = await loadSeriesDeclarations(inputDir, log);
  if (!site) log.throwIfAny();
  const staticFiles = listStaticFiles(inputDir, staticFolders(site!));
  const staticPathOf = new Map([...staticFiles].map(([sitePath, file]) => [file, sitePath]));
  const images = new ImageStore(inputDir, (file) => staticPathOf.get(file));

  const records = await loadPosts(inputDir, { urls: site!.urls, includeDrafts: options.includeDrafts, oneOffBuild: options.oneOffBuild ?? false, inputDir, staticFiles, images }, log);
  checkPermalinks(records, log);
  const feedLedger = await readLedger(inputDir, log);
  checkLedger(feedLedger, records, log);
  const plans = planSeries(records, declarations, log);
  // Warnings first: a misspelt key (`serise:`) is often what caused the errors below it.
  for (const warning of log.warnings) console.warn(`warning: ${formatIssue(warning)}`);
  log.throwIfAny();

  const parts = new Map<PostRecord, Post>();
  const series = plans.map((plan) => buildSeries(plan, (record, seriesPart) => {
    const post = makePost(record, seriesPart);
    parts.set(record, post);
    return post;
  }));
  const all = records.map((record) => parts.get(record) ?? makePost(record, undefined));
  const posts = all.filter((post) => post.published).sort(newestFirst);
  return {
    site: site!,
    posts,
    series,
    tags: indexTags(posts),
    notes: indexNotes(posts),
    years: groupByYear(posts),
    lastUpdated: newestDate(posts),
    byFile: new Map(all.map((post) => [post.file, post])),
    bySitePath: new Map(posts.map((post) => [post.sitePath, post])),
    warnings: log.warnings,
    feedLedger,
    staticFiles,
    images,
  };
}

/** A post, complete: what its file says, and its place in a series if it is a published part. */
function makePost(record: PostRecord, seriesPart: SeriesPart | undefined): Post {
  const { seriesSlug: _named, ...fields } = record;
  return seriesPart ? { ...fields, seriesPart } : fields;
}

function checkPermalinks(posts: readonly PostRecord[], log: IssueLog): void {
  const owners = new Map<string, PostRecord>();
  for (const post of posts) {
    const reserved = RESERVED_PATHS.find((prefix) => post.sitePath.startsWith(prefix));
    if (reserved || post.sitePath === "/") {
      log.error({ file: post.file, field: "permalink", found: quote(post.sitePath), expected: `expected a URL the site does not use itself (${reserved ?? "/"} belongs to the site); choose another permalink` });
    }
    const owner = owners.get(post.sitePath);
    if (owner) log.error({ file: post.file, field: "permalink", found: quote(post.sitePath), expected: `expected a URL of its own, but ${owner.file} is published there too; rename one file or set a different permalink` });
    else owners.set(post.sitePath, post);
  }
}
