import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { LEDGER_FILE, type FeedLedger } from "../content/feed-ledger.ts";
import { jekyllPostId, POSTS_DIR, SERIES_FILE, SITE_FILE } from "../content/model.ts";
import { ALT_MISSING_MARK } from "../content/alt-text.ts";
import { isGeneratorPath, OutputPaths } from "../content/paths.ts";
import { BROKEN_LINKS_FILE, linkSitePath, type KnownBrokenLink } from "../content/known-broken-links.ts";
import { pagePermalinks } from "../content/site-pages.ts";
import { listStaticFiles, readStaticFolders, staticSitePath } from "../content/static-files.ts";
import { ImportError, listFiles, readJekyllSite, type JekyllSite } from "./jekyll-site.ts";
import { siteLinks, type OwnLinks } from "./links.ts";
import { convertPage, type ConvertedPage } from "./pages.ts";
import { convertPost, isBadInput, oldAddressOf, readSourcePost, type BadInput, type ConvertedPost, type SourcePost } from "./posts.ts";
import { proposeSeries, type SeriesProposal } from "./series.ts";
import { writeFrontMatter } from "./yaml.ts";

export interface ImportOptions {
  /** The Jekyll site's folder. */
  source: string;
  /** This site's folder. */
  target: string;
  /** Older hosts the blog was served from, besides `url` in _config.yml. */
  hosts?: readonly string[];
  /** Apply the proposed series (front matter and _data/series.json). */
  applySeries?: boolean;
}

/** One file the import writes; nothing is written until every file is planned. */
export interface PlannedWrite {
  /** Relative to the target site. */
  path: string;
  content: string | Buffer;
}

export interface Attention {
  file: string;
  line?: number;
  message: string;
}

export interface ImportReport {
  posts: { markdown: number; html: number };
  drafts: number;
  comments: number;
  imagesCopied: number;
  filesCopied: number;
  linksRewritten: number;
  brokenReferences: KnownBrokenLink[];
  /** Posts and files left alone because the site already has a different one. */
  skipped: Attention[];
  /** Files the import would write exactly as they are. */
  unchanged: number;
  badInputs: BadInput[];
  attention: Attention[];
  /** Source keys dropped, with the number of posts that carried each. */
  droppedKeys: Map<string, number>;
  /** Pages imported (or already as the import would write them). */
  pages: number;
  series: SeriesProposal[];
}

export interface ImportPlan {
  writes: PlannedWrite[];
  /** Static folders to add to `_data/site.json`, so the build publishes them. */
  staticFolders: string[];
  report: ImportReport;
}

const IMAGE = /\.(?:png|jpe?g|gif|webp|avif|svg|bmp|ico)$/i;

/** Reads the whole Jekyll site and decides every file to write, without writing any. */
export function planImport(options: ImportOptions): ImportPlan {
  const site = readJekyllSite(options.source);
  const report = emptyReport();
  const sources = readSources(site, report);
  const own = ownLinks(site, sources, options.hosts ?? []);
  const postUrls = new Map(sources.map((post) => [post.name, site.baseurl + post.url]));
  const converted: ConvertedPost[] = [];
  for (const post of sources) {
    const result = convertPost(site, post, own, postUrls);
    if (Array.isArray(result)) report.badInputs.push(...result);
    else converted.push(result);
  }

  const declaredSeries = new Set(Object.keys(readJson<Record<string, unknown>>(options.target, SERIES_FILE) ?? {}));
  report.series = proposeSeries(
    converted.map((post) => ({ slug: post.slug, title: post.title, tags: post.tags, date: post.date.iso })),
    declaredSeries,
  );
  const writes: PlannedWrite[] = [];
  const written = planPosts(converted, options, report, writes);
  const copied = planStaticFiles(site, options.target, report, writes);
  const staticFolders = newStaticFolders(site, options.target, report);
  const pages = planPages(site, { own, postUrls, posts: converted, copied }, options.target, report, writes);

  const known = knownPaths(options.target, converted, copied, pages);
  report.brokenReferences = [...written, ...pages].flatMap((document) => brokenReferences(document, known));
  planDataFiles(options, written, pages, report, writes);
  planTimeZone(site, options.target, report, writes);
  return { writes, staticFolders, report };
}

function emptyReport(): ImportReport {
  return {
    posts: { markdown: 0, html: 0 },
    drafts: 0,
    comments: 0,
    imagesCopied: 0,
    filesCopied: 0,
    linksRewritten: 0,
    brokenReferences: [],
    skipped: [],
    unchanged: 0,
    badInputs: [],
    attention: [],
    droppedKeys: new Map(),
    pages: 0,
    series: [],
  };
}

/** What makes a link one to the blog itself: its hosts, its base URL, and its posts' old addresses and slugs. */
function ownLinks(site: JekyllSite, sources: readonly SourcePost[], extraHosts: readonly string[]): OwnLinks {
  const hosts = ownHosts(site, extraHosts);
  return {
    hosts,
    baseurl: site.baseurl,
    oldAddresses: new Map(
      sources.flatMap((post) => {
        const old = oldAddressOf(post, hosts);
        return old === undefined ? [] : [[old, post.url] as const];
      }),
    ),
    postsBySlug: new Map(sources.map((post) => [post.slug, post.url])),
  };
}

/** The old site's static folders this site does not publish yet; those it cannot publish are named in the report. */
function newStaticFolders(site: JekyllSite, target: string, report: ImportReport): string[] {
  const registered = readStaticFolders(target);
  for (const folder of site.unpublishableFolders)
    report.attention.push({
      file: `${folder}/`,
      message: `a folder of static files, not copied: ${folder}/ belongs to this site's generator; move what is still linked into images/ and change the links`,
    });
  return site.staticFolders.filter((folder) => !registered.includes(folder));
}

function ownHosts(site: JekyllSite, extra: readonly string[]): Set<string> {
  const hosts = new Set<string>();
  for (const value of [site.url, ...extra]) {
    if (!value) continue;
    const host = /^(?:https?:\/\/)?([^/?#]+)/i.exec(value.trim())?.[1];
    if (host) hosts.add(host.toLowerCase().replace(/:\d+$/, ""));
  }
  return hosts;
}

/** Every readable `_posts` file; bad ones are named, and two files with one slug keep only the first. */
function readSources(site: JekyllSite, report: ImportReport): SourcePost[] {
  const bySlug = new Map<string, SourcePost>();
  for (const file of site.postFiles) {
    const post = readSourcePost(site, file, readFileSync(path.join(site.root, file)));
    if (isBadInput(post)) {
      report.badInputs.push(post);
      continue;
    }
    const first = bySlug.get(post.slug.toLowerCase());
    if (first)
      report.badInputs.push({
        file,
        message: `found the slug "${post.slug}", which ${first.source} has too; only ${first.source} was imported (rename one file, or give it a slug:, and import again)`,
      });
    else bySlug.set(post.slug.toLowerCase(), post);
  }
  return [...bySlug.values()];
}

/** The file text of a post, with or without its part of a proposed series. */
function postFile(post: ConvertedPost, series?: { slug: string; part: number }): string {
  const fields = series ? { ...post.fields, series: series.slug, part: series.part } : post.fields;
  return `${writeFrontMatter(fields)}${post.text}`;
}

/**
 * A post is written unless the site has another text under its slug: an
 * author's post is never overwritten. The import's own earlier output, still
 * as it wrote it, may be brought up to date (to add its series).
 */
function planPosts(
  posts: readonly ConvertedPost[],
  options: ImportOptions,
  report: ImportReport,
  writes: PlannedWrite[],
): Array<ConvertedPost & { file: string; content: string; created: boolean }> {
  const parts = new Map<string, { slug: string; part: number }>();
  if (options.applySeries) for (const proposal of report.series) for (const [slug, part] of proposal.parts) parts.set(slug, { slug: proposal.slug, part });
  const planned: Array<ConvertedPost & { file: string; content: string; created: boolean }> = [];
  for (const post of posts) {
    const file = `${POSTS_DIR}/${post.slug}.${post.format}`;
    const content = postFile(post, parts.get(post.slug));
    const other = `${POSTS_DIR}/${post.slug}.${post.format === "md" ? "html" : "md"}`;
    const existing = readText(options.target, file);
    if (existsSync(path.join(options.target, other)) || (existing !== undefined && existing !== content && existing !== postFile(post))) {
      report.skipped.push({
        file: post.source,
        message: `${existsSync(path.join(options.target, other)) ? other : file} already exists and was left as it is`,
      });
      continue;
    }
    const created = existing !== content;
    if (created) writes.push({ path: file, content });
    else report.unchanged++;
    planned.push({ ...post, file, content, created });
    report.posts[post.format === "md" ? "markdown" : "html"]++;
    if (post.draft) report.drafts++;
    report.comments += post.comments.length;
    report.linksRewritten += post.linksRewritten;
    for (const key of post.droppedKeys) report.droppedKeys.set(key, (report.droppedKeys.get(key) ?? 0) + 1);
    for (const note of post.notes) report.attention.push({ file: post.source, line: note.line, message: note.message });
    const bodyStart = bodyStartLine(content, post.text);
    for (const line of post.imagesWithoutAlt)
      report.attention.push({
        file,
        line: bodyStart + line,
        message: `an image without alt text on the old blog, imported with alt="" and ${ALT_MISSING_MARK}: write what it shows in alt (or keep alt="" if it is decorative) and remove the mark`,
      });
  }
  return planned;
}

/** Static folders are copied to the same paths; a different file already there is kept. */
function planStaticFiles(site: JekyllSite, target: string, report: ImportReport, writes: PlannedWrite[]): string[] {
  const copied: string[] = [];
  for (const folder of site.staticFolders) {
    for (const file of listFiles(site.root, folder)) {
      const bytes = readFileSync(path.join(site.root, file));
      const existing = existsSync(path.join(target, file)) ? readFileSync(path.join(target, file)) : undefined;
      copied.push(file);
      if (existing?.equals(bytes)) {
        report.unchanged++;
        continue;
      }
      if (existing) {
        report.skipped.push({ file, message: `${file} already exists with other content and was left as it is` });
        continue;
      }
      writes.push({ path: file, content: bytes });
      report.filesCopied++;
      if (IMAGE.test(file)) report.imagesCopied++;
    }
  }
  return copied;
}

/** Every site path a link may point at once the import is done: posts, static files, pages, the site's own pages. */
function knownPaths(target: string, posts: readonly ConvertedPost[], copied: readonly string[], pages: readonly ConvertedPage[]): Set<string> {
  const known = new Set<string>(["/"]);
  for (const post of posts) known.add(post.url);
  for (const file of copied) known.add(staticSitePath(file));
  for (const url of sitePostUrls(target).keys()) known.add(url);
  for (const sitePath of listStaticFiles(target, readStaticFolders(target)).keys()) known.add(sitePath);
  for (const page of pages) known.add(page.url);
  return known;
}

/** The URLs of the site's own posts, each with its file. */
function sitePostUrls(target: string): Map<string, string> {
  const urls = new Map<string, string>();
  for (const file of existsSync(path.join(target, POSTS_DIR)) ? listFiles(target, POSTS_DIR) : []) {
    urls.set(literalPermalink(readText(target, file)) ?? `/${path.posix.basename(file).replace(/\.[^.]+$/, "")}/`, file);
  }
  return urls;
}

function literalPermalink(text: string | undefined): string | undefined {
  return /^permalink:\s*["']?([^"'\n]+)/m.exec(text ?? "")?.[1]?.trim();
}

/**
 * Pages keep the URL Jekyll gave them, as Eleventy pages in pages/. A page
 * whose URL a post, a static file, another page or the site's own pages
 * already have is skipped and listed, as is one whose file the author has
 * written differently.
 */
function planPages(
  site: JekyllSite,
  sources: { own: OwnLinks; postUrls: ReadonlyMap<string, string>; posts: readonly ConvertedPost[]; copied: readonly string[] },
  target: string,
  report: ImportReport,
  writes: PlannedWrite[],
): ConvertedPage[] {
  const converted: ConvertedPage[] = [];
  for (const file of site.pageFiles) {
    const page = convertPage(site, file, readFileSync(path.join(site.root, file)), sources.own, sources.postUrls);
    if (Array.isArray(page)) report.badInputs.push(...page);
    else if (page) converted.push(page);
    else report.attention.push({ file, message: "a page with published: false, not imported" });
  }
  const outputs = new OutputPaths([...listStaticFiles(target, readStaticFolders(target)).keys(), ...sources.copied.map(staticSitePath)]);
  for (const [url, file] of sitePostUrls(target)) outputs.claimFolder(url, `the post ${file}`);
  for (const post of sources.posts) outputs.claimFolder(post.url, `the post ${POSTS_DIR}/${post.slug}.${post.format}`);
  const ownFiles = new Set(converted.map((page) => page.file));
  for (const [url, file] of pagePermalinks(target)) if (!ownFiles.has(file)) outputs.claimFolder(url, `the page ${file}`);

  const planned: ConvertedPage[] = [];
  for (const page of converted) {
    const taken = outputs.claimFolder(page.url, `the page ${page.file}`);
    const existing = readText(target, page.file);
    if (taken)
      report.skipped.push({
        file: page.source,
        message: `its URL ${page.url} is taken: ${taken.path} belongs to ${taken.owner}. It was not imported; move what is still wanted there`,
      });
    else if (existing !== undefined && existing !== page.content)
      report.skipped.push({ file: page.source, message: `${page.file} already exists and was left as it is` });
    else {
      if (existing === undefined) writes.push({ path: page.file, content: page.content });
      else report.unchanged++;
      planned.push(page);
      report.pages++;
      report.linksRewritten += page.linksRewritten;
      for (const note of page.notes) report.attention.push({ file: page.source, line: note.line, message: note.message });
    }
  }
  return planned;
}

/** Lines of a written file before its body (the front matter's). */
function bodyStartLine(content: string, body: string): number {
  return content.slice(0, content.length - body.length).split("\n").length - 1;
}

function brokenReferences(document: { file: string; content: string; text: string; format: "md" | "html" }, known: ReadonlySet<string>): KnownBrokenLink[] {
  const bodyStart = bodyStartLine(document.content, document.text);
  return siteLinks(document.text, document.format).flatMap(({ line, link }) => {
    const sitePath = linkSitePath(link);
    // Links into what the generator makes itself are for the build's link check to judge.
    if (isGeneratorPath(sitePath)) return [];
    const candidates = [sitePath, `${sitePath}/`, sitePath.replace(/index\.html?$/, "")];
    return candidates.some((candidate) => known.has(candidate)) ? [] : [{ file: document.file, line: bodyStart + line, link }];
  });
}

/** The feed-id ledger, the known-broken-links ledger and the series, merged with what the site has. */
function planDataFiles(
  options: ImportOptions,
  posts: ReadonlyArray<ConvertedPost & { file: string; created: boolean }>,
  pages: readonly ConvertedPage[],
  report: ImportReport,
  writes: PlannedWrite[],
): void {
  const created = posts.filter((post) => post.created);
  const planJson = (file: string, before: unknown, after: unknown) => {
    const text = `${JSON.stringify(after, null, 2)}\n`;
    if (readText(options.target, file) === text || (before === undefined && isEmpty(after))) return;
    writes.push({ path: file, content: text });
  };

  const ledger = readJson<FeedLedger>(options.target, LEDGER_FILE) ?? {};
  const nextLedger: FeedLedger = { ...ledger };
  for (const post of created.filter((candidate) => !candidate.draft)) {
    const id = jekyllPostId(post.url, post.slug);
    const holder = nextLedger[id];
    if (holder && holder.file !== post.file)
      report.attention.push({
        file: post.file,
        message: `its feed id ${id} is recorded for ${holder.file} in ${LEDGER_FILE}; the build will refuse one of them until one is renamed`,
      });
    else nextLedger[id] = { file: post.file, title: post.title };
  }
  planJson(LEDGER_FILE, ledger, sortKeys(nextLedger));

  const broken = readJson<KnownBrokenLink[]>(options.target, BROKEN_LINKS_FILE);
  const rewrittenFiles = new Set([
    ...created.map((post) => post.file),
    ...pages.filter((page) => writes.some((write) => write.path === page.file)).map((page) => page.file),
  ]);
  const createdReferences = report.brokenReferences.filter((entry) => rewrittenFiles.has(entry.file));
  const nextBroken = [...(broken ?? []).filter((entry) => !rewrittenFiles.has(entry.file)), ...createdReferences].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.link.localeCompare(b.link),
  );
  planJson(BROKEN_LINKS_FILE, broken, nextBroken);

  if (options.applySeries && report.series.length > 0) {
    const series = readJson<Record<string, unknown>>(options.target, SERIES_FILE) ?? {};
    const next = { ...series };
    for (const proposal of report.series) next[proposal.slug] = seriesDeclaration(proposal);
    planJson(SERIES_FILE, series, next);
  }
}

/**
 * Dates are shown in the site's zone. A site still on the default (UTC) takes
 * the old blog's `timezone:`, so every post shows on the day it did there; a
 * site with a zone of its own keeps it, and the report says so.
 */
function planTimeZone(site: JekyllSite, target: string, report: ImportReport, writes: PlannedWrite[]): void {
  const settings = readJson<Record<string, unknown>>(target, SITE_FILE);
  if (site.timeZone === undefined || settings === undefined || settings.timeZone === site.timeZone) return;
  if (settings.timeZone === undefined || settings.timeZone === "UTC") {
    writes.push({ path: SITE_FILE, content: `${JSON.stringify({ ...settings, timeZone: site.timeZone }, null, 2)}\n` });
    report.attention.push({
      file: SITE_FILE,
      message: `timeZone set to ${JSON.stringify(site.timeZone)}, the old blog's timezone: in _config.yml, so posts show on the days they did there`,
    });
  } else {
    report.attention.push({
      file: SITE_FILE,
      message: `timeZone is ${JSON.stringify(settings.timeZone)}, but the old blog's _config.yml has timezone: ${site.timeZone}; posts with a plain day may show a day apart from the old blog. Set timeZone to ${JSON.stringify(site.timeZone)} if that is where the posts were written`,
    });
  }
}

export function seriesDeclaration(proposal: SeriesProposal): Record<string, unknown> {
  return { title: proposal.title, description: proposal.description, ...(proposal.gaps.length > 0 ? { gaps: proposal.gaps } : {}) };
}

const isEmpty = (value: unknown) =>
  Array.isArray(value) ? value.length === 0 : typeof value === "object" && value !== null && Object.keys(value).length === 0;
const sortKeys = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

function readText(root: string, file: string): string | undefined {
  try {
    return readFileSync(path.join(root, file), "utf8");
  } catch {
    return undefined;
  }
}

function readJson<T>(root: string, file: string): T | undefined {
  const text = readText(root, file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text.replace(/^\uFEFF/, "")) as T;
  } catch (error) {
    throw new ImportError(`${file}: found invalid JSON (${(error as Error).message}); restore it from version control and import again`);
  }
}
