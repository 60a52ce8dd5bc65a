import path from "node:path";
import { checkLedger, readLedger, type FeedLedger } from "./feed-ledger.ts";
import { formatIssue, IssueLog, quote } from "./issues.ts";
import { groupByYear, indexNotes, indexTags, newestDate, newestFirst } from "./indexes.ts";
import { loadPosts, loadSeriesDeclarations, loadSite, type PostRecord } from "./loading.ts";
import { OutputPaths, tagPath, tagSlug } from "./paths.ts";
import { buildSeries, planSeries, type SeriesPlan } from "./series.ts";
import { ImageStore } from "./images.ts";
import { excuseKnownMissingImages, readKnownBrokenLinks } from "./known-broken-links.ts";
import { pagePermalinks } from "./site-pages.ts";
import { listStaticFiles, staticFolders } from "./static-files.ts";
import type { ContentModel, LoadOptions, Post, SeriesPart, Site } from "./types.ts";

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
  const checked = await readAndCheck(options, log);
  // Warnings first: a misspelt key (`serise:`) is often what caused the errors below it.
  for (const warning of log.warnings) console.warn(`warning: ${formatIssue(warning)}`);
  log.throwIfAny();
  return buildModel(checked, log.warnings);
}

/** What the model is made of, once every document and every rule across them is checked. */
interface CheckedContent {
  site: Site;
  records: PostRecord[];
  plans: SeriesPlan[];
  feedLedger: FeedLedger;
  staticFiles: Map<string, string>;
  images: ImageStore;
}

/** Reads every input and checks it, each problem into `log`; throws only when the site settings cannot be read. */
async function readAndCheck(options: LoadOptions, log: IssueLog): Promise<CheckedContent> {
  const inputDir = path.resolve(options.inputDir);
  const site = await loadSite(inputDir, log, options.deploymentUrl);
  const declarations = await loadSeriesDeclarations(inputDir, log);
  if (!site) log.throwIfAny();
  const staticFiles = listStaticFiles(inputDir, staticFolders(site!));
  const staticPathOf = new Map([...staticFiles].map(([sitePath, file]) => [file, sitePath]));
  const images = new ImageStore(inputDir, (file) => staticPathOf.get(file));

  const reading = {
    urls: site!.urls,
    includeDrafts: options.includeDrafts,
    oneOffBuild: options.oneOffBuild ?? false,
    inputDir,
    staticFiles,
    images,
    now: options.now ?? new Date(),
    timeZone: site!.timeZone ?? "UTC",
  };
  const records = await loadPosts(inputDir, reading, log);
  excuseKnownMissingImages(log, await readKnownBrokenLinks(inputDir, log));
  checkOutputPaths(records, new OutputPaths(staticFiles.keys(), pagePermalinks(inputDir)), log);
  checkTagSlugs(records, log);
  const feedLedger = await readLedger(inputDir, log);
  checkLedger(feedLedger, records, log);
  const plans = planSeries(records, declarations, log);
  return { site: site!, records, plans, feedLedger, staticFiles, images };
}

/** Makes each post once, with its place in a series, and the indexes pages and feeds read. */
function buildModel({ site, records, plans, feedLedger, staticFiles, images }: CheckedContent, warnings: ContentModel["warnings"]): ContentModel {
  const parts = new Map<PostRecord, Post>();
  const series = plans.map((plan) =>
    buildSeries(plan, (record, seriesPart) => {
      const post = makePost(record, seriesPart);
      parts.set(record, post);
      return post;
    }),
  );
  const all = records.map((record) => parts.get(record) ?? makePost(record, undefined));
  const posts = all.filter((post) => post.published).sort(newestFirst);
  return {
    site,
    posts,
    scheduled: all.filter((post) => post.scheduled && !post.draft).sort((a, b) => a.date.getTime() - b.date.getTime()),
    series,
    tags: indexTags(posts),
    notes: indexNotes(posts),
    years: groupByYear(posts),
    lastUpdated: newestDate(posts),
    byFile: new Map(all.map((post) => [post.file, post])),
    bySitePath: new Map(posts.map((post) => [post.sitePath, post])),
    warnings,
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

/** Every post's folder against every other output path: the generator's files and folders, static files, pages, other posts. */
function checkOutputPaths(posts: readonly PostRecord[], outputs: OutputPaths, log: IssueLog): void {
  for (const post of posts) {
    const taken = outputs.claimFolder(post.sitePath, post.file);
    if (!taken) continue;
    const field = post.permalink === undefined ? "file name" : "permalink";
    log.error({
      file: post.file,
      line: post.fieldLines.permalink,
      field,
      found: quote(post.sitePath),
      expected: `expected a path of its own, but it collides with ${taken.path}, ${taken.owner}; ${field === "permalink" ? "choose another permalink" : "rename the file or set a permalink"}`,
    });
  }
}

/** Tags whose names differ beyond case and spacing but share a page: both named, so the author can rename one. */
function checkTagSlugs(posts: readonly PostRecord[], log: IssueLog): void {
  const bySlug = new Map<string, { name: string; post: PostRecord }>();
  const sameTag = (a: string, b: string) => a.replace(/\s+/g, " ").trim().toLowerCase() === b.replace(/\s+/g, " ").trim().toLowerCase();
  for (const post of posts) {
    for (const name of post.tags) {
      const slug = tagSlug(name);
      const first = bySlug.get(slug);
      if (!first) bySlug.set(slug, { name, post });
      else if (!sameTag(first.name, name)) {
        log.error({
          file: post.file,
          line: post.fieldLines.tags,
          field: "tags",
          found: quote(name),
          expected: `expected tags with pages of their own, but ${quote(name)} and ${quote(first.name)} (${first.post.file}) would share ${tagPath(name)}; rename one of them`,
        });
      }
    }
  }
}
