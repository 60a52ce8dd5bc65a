import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { MarkdownIt } from "markdown-it";
import { FrontMatterSyntaxError, splitFrontMatter } from "./front-matter.ts";
import { checkLedger, readLedger, type FeedLedger } from "./feed-ledger.ts";
import type { FootnoteSummary } from "./footnotes.ts";
import { formatIssue, IssueLog, nearest, quote, type ContentIssue } from "./issues.ts";
import { createMarkdown, type RenderTarget } from "./markdown.ts";
import { clip, FEED, PAGE, ParsedPost, partTarget } from "./post-source.ts";
import { describeZodIssues, JEKYLL_FIELDS, POST_FIELDS, PostFrontMatterSchema, SeriesFileSchema, SiteSchema, type PostFrontMatter, type SeriesDeclaration, type SiteDeclaration } from "./schema.ts";
import { SiteUrls } from "./site-urls.ts";
import { listStaticFiles, staticFolders } from "./static-files.ts";

export const POSTS_DIR = "posts";
export const SITE_FILE = "_data/site.json";
export const SERIES_FILE = "_data/series.json";
/** Site paths the generator owns; a post's permalink may not take them. */
const RESERVED_PATHS = ["/archive/", "/about/", "/series/", "/tags/", "/notes/", "/feeds/", "/assets/"];

export interface Site extends SiteDeclaration {
  urls: SiteUrls;
}

export interface Post extends Omit<PostFrontMatter, "series"> {
  /** Project-relative source file, e.g. `posts/hello.md`. */
  file: string;
  slug: string;
  /** Where the post is published, e.g. `/hello/` (before any path prefix). */
  sitePath: string;
  /** The entry id jekyll-feed published: Jekyll's post id made absolute. Never changes. */
  feedId: string;
  /** Jekyll's post id, site-relative (`/slug`): what the feed-id ledger records. */
  jekyllId: string;
  /** Summary, or else the excerpt: for listings, meta descriptions and feeds. */
  description: string;
  excerpt: string;
  words: number;
  readingMinutes: number;
  footnotes: readonly FootnoteSummary[];
  /** The file line of each front-matter field, for messages. */
  fieldLines: Readonly<Partial<Record<string, number>>>;
  /** The markdown holds raw HTML, which only a pass over the output can vet for feeds. */
  hasRawHtml: boolean;
  series?: SeriesPosition;
  /** The body as HTML for the given target (page, feed, or a part of a one-page series). */
  render(target?: RenderTarget): string;
}

export interface SeriesPosition {
  series: Series;
  part: number;
  previous?: Post;
  next?: Post;
}

export interface SeriesEntry {
  part: number;
  /** Absent for a part that is planned (or still a draft) but not published. */
  post?: Post;
}

export interface Series extends SeriesDeclaration {
  slug: string;
  sitePath: string;
  allPath: string;
  feedPath: string;
  /** Published parts in reading order. */
  posts: Post[];
  /** Every part from 1 to the planned or highest part, published or not. */
  entries: SeriesEntry[];
  total: number;
}

export interface TagIndex {
  name: string;
  slug: string;
  sitePath: string;
  posts: Post[];
}

export interface NoteCitation {
  post: Post;
  note: FootnoteSummary;
}

export interface NoteIndex {
  tag: string;
  citations: NoteCitation[];
}

export interface ContentModel {
  site: Site;
  /** Published posts, newest first (drafts too in a draft build). */
  posts: Post[];
  series: Series[];
  tags: TagIndex[];
  notes: NoteIndex[];
  /** Posts by year, newest year first, for the archive. */
  years: Array<{ year: number; posts: Post[] }>;
  /** The newest post's date (or its `updated` date): feeds' updated time, never the build time. */
  lastUpdated: Date | undefined;
  /** Every post, published or not, by project-relative source path. */
  byFile: ReadonlyMap<string, Post & { published: boolean }>;
  /** Published posts by site path (`/slug/`). */
  bySitePath: ReadonlyMap<string, Post>;
  warnings: readonly ContentIssue[];
  /** Feed ids recorded by earlier production builds (see feed-ledger.ts). */
  feedLedger: FeedLedger;
  /** Files published as they are (see static-files.ts): site path → project-relative file. */
  staticFiles: ReadonlyMap<string, string>;
}

export interface LoadOptions {
  inputDir: string;
  includeDrafts: boolean;
  /**
   * A one-off build renders each post for each target once: it hands each
   * rendered HTML over and forgets it, rather than hold every post's HTML to the
   * end of the build (a second request renders again), and keeps no parse for a
   * next build. The dev server keeps both for its next rebuild.
   */
  oneOffBuild?: boolean;
  /** Where this build is deployed; defaults to `SITE_URL`, then the site's own url. */
  deploymentUrl?: string;
}

/** Parsed posts survive between dev-server rebuilds; only edited files are parsed again. */
const parseCache = new Map<string, { key: string; parsed: ParsedPost }>();

function parseOnce(file: string, body: string, urls: SiteUrls, sitePath: string, part: number | undefined, targets: readonly RenderTarget[]): ParsedPost {
  const key = `${urls.origin}${urls.pathPrefix}|${sitePath}|${part}|${body}`;
  let cached = parseCache.get(file);
  if (cached?.key !== key) {
    cached = { key, parsed: new ParsedPost(markdown(), body, urls, sitePath, targets) };
    parseCache.set(file, cached);
  }
  return cached.parsed;
}

let sharedMarkdown: MarkdownIt | undefined;

export function markdown(): MarkdownIt {
  sharedMarkdown ??= createMarkdown();
  return sharedMarkdown;
}

/**
 * Reads posts and data files, validates every document and every cross-document
 * rule, and builds the indexes that pages and feeds read. Throws one ContentError
 * listing every problem found.
 */
export async function loadContent(options: LoadOptions): Promise<ContentModel> {
  const log = new IssueLog();
  const inputDir = path.resolve(options.inputDir);
  const site = await loadSite(inputDir, log, options.deploymentUrl);
  const seriesDeclarations = await loadJson(inputDir, SERIES_FILE, log, (data, file) => {
    const result = SeriesFileSchema.safeParse(data);
    if (result.success) return result.data;
    for (const problem of describeZodIssues(result.error, data)) log.error({ file, field: problem.field, found: problem.found, expected: problem.expected });
    return undefined;
  }) ?? {};
  if (!site) log.throwIfAny();
  const urls = site!.urls;
  const staticFiles = listStaticFiles(inputDir, staticFolders(site!));

  const files = await listPostFiles(inputDir, log);
  const seriesSlugs = new Map<Post, string>();
  const all: Array<Post & { published: boolean }> = [];
  for (const file of files) {
    // Read synchronously: posts are small and usually in the page cache, where
    // fs/promises spent ten times the CPU of a plain read on each file's open,
    // stat, read and close (and no less wall time reading a cold disk).
    const loaded = loadPost(() => readFileSync(path.join(inputDir, file), "utf8"), file, urls, log, options.oneOffBuild ?? false);
    if (!loaded) continue;
    const post = Object.assign(loaded.post, { published: !loaded.post.draft || options.includeDrafts });
    all.push(post);
    if (loaded.seriesSlug !== undefined) seriesSlugs.set(post, loaded.seriesSlug);
  }

  checkPermalinks(all, log);
  const feedLedger = await readLedger(inputDir, log);
  checkLedger(feedLedger, all, log);
  const series = linkSeries(all, seriesSlugs, seriesDeclarations, log);
  // Warnings first: a misspelt key (`serise:`) is often what caused the errors below it.
  for (const warning of log.warnings) console.warn(`warning: ${formatIssue(warning)}`);
  log.throwIfAny();

  const posts = all.filter((post) => post.published).sort(newestFirst);
  return {
    site: site!,
    posts,
    series,
    tags: indexTags(posts),
    notes: indexNotes(posts),
    years: groupByYear(posts),
    lastUpdated: posts.reduce<Date | undefined>((newest, post) => {
      const date = post.updated ?? post.date;
      return newest === undefined || date > newest ? date : newest;
    }, undefined),
    byFile: new Map(all.map((post) => [post.file, post])),
    bySitePath: new Map(posts.map((post) => [post.sitePath, post])),
    warnings: log.warnings,
    feedLedger,
    staticFiles,
  };
}

async function loadSite(inputDir: string, log: IssueLog, deploymentUrl: string | undefined): Promise<Site | undefined> {
  return loadJson(inputDir, SITE_FILE, log, (data, file) => {
    const result = SiteSchema.safeParse(data);
    if (!result.success) {
      for (const problem of describeZodIssues(result.error, data)) log.error({ file, field: problem.field, found: problem.found, expected: problem.expected });
      return undefined;
    }
    const deployment = deploymentUrl ?? process.env.SITE_URL ?? result.data.url;
    try {
      return { ...result.data, urls: new SiteUrls(deployment, result.data.url) };
    } catch {
      log.error({ file: "SITE_URL", found: JSON.stringify(deployment), expected: "expected an absolute URL like https://example.github.io/blog/" });
      return undefined;
    }
  });
}

async function loadJson<T>(inputDir: string, file: string, log: IssueLog, validate: (data: unknown, file: string) => T | undefined): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(inputDir, file), "utf8");
  } catch {
    log.error({ file, expected: "this file is missing; the site needs it" });
    return undefined;
  }
  try {
    return validate(JSON.parse(text.replace(/^\uFEFF/, "")), file);
  } catch (error) {
    log.error({ file, found: "invalid JSON", expected: `expected valid JSON (${(error as Error).message})` });
    return undefined;
  }
}

async function listPostFiles(inputDir: string, log: IssueLog): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string) => {
    const entries = await readdir(path.join(inputDir, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const file = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(file);
      else if (entry.name.endsWith(".md")) found.push(file);
      // Editor droppings (dot files) are not content.
      else if (!entry.name.startsWith(".")) {
        log.error({ file, found: `a ${path.extname(entry.name) || "extension-less"} file`, expected: "only markdown posts (.md) belong in posts/; rename it to .md or move it out (images go in images/, published at /images/)" });
      }
    }
  };
  await walk(POSTS_DIR);
  return found;
}

function loadPost(readSource: () => string, file: string, urls: SiteUrls, log: IssueLog, oneOffBuild: boolean): { post: Post; seriesSlug?: string } | undefined {
  const source = readSource();
  let document;
  try {
    document = splitFrontMatter(source);
  } catch (error) {
    if (!(error instanceof FrontMatterSyntaxError)) throw error;
    log.error({ file, line: error.line, field: "front matter", expected: error.message });
    return undefined;
  }

  const data = document.data;
  const lines = fieldLines(source, document.bodyLineOffset);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    log.error({ file, line: 1, field: "front matter", found: typeof data, expected: "expected fields such as title: and date: between --- lines" });
    return undefined;
  }
  for (const key of Object.keys(data)) {
    if (POST_FIELDS.includes(key) || JEKYLL_FIELDS.includes(key)) continue;
    const suggestion = nearest(key, POST_FIELDS);
    log.warn({ file, line: lines[key], field: key, expected: `unknown front-matter field${suggestion ? `; did you mean "${suggestion}"?` : `; known fields are ${POST_FIELDS.join(", ")}`}` });
  }

  const result = PostFrontMatterSchema.safeParse(data);
  if (!result.success) {
    for (const problem of describeZodIssues(result.error, data)) {
      log.error({ file, line: lines[problem.field.split(".")[0] ?? ""], field: problem.field, found: problem.found ?? "nothing", expected: problem.expected });
    }
  }
  if (document.body.trim() === "") {
    log.error({ file, line: document.bodyLineOffset + 1, field: "body", found: "no text", expected: "expected the post's markdown after the front matter" });
    return undefined;
  }
  const slug = path.basename(file, ".md");
  const reportFootnotes = (body: ParsedPost) => {
    for (const problem of body.footnoteProblems) {
      log.error({ file, line: problem.line === undefined ? undefined : problem.line + document.bodyLineOffset, field: `[^${problem.tag}]`, expected: problem.message });
    }
  };
  if (!result.success) {
    // The body is still checked, so a bad field does not hide a footnote mistake in the same file.
    reportFootnotes(new ParsedPost(markdown(), document.body, urls, `/${slug}/`, []));
    return undefined;
  }
  const frontMatter = result.data;

  const sitePath = frontMatter.permalink ?? `/${slug}/`;
  const targets = frontMatter.part === undefined ? [PAGE, FEED] : [PAGE, FEED, partTarget(frontMatter.part)];
  const body = oneOffBuild
    ? new ParsedPost(markdown(), document.body, urls, sitePath, targets, bodyRereader(file, readSource, document.body))
    : parseOnce(file, document.body, urls, sitePath, frontMatter.part, targets);
  reportFootnotes(body);

  const { series: seriesSlug, ...fields } = frontMatter;
  const post: Post = {
    ...fields,
    file,
    slug,
    sitePath,
    feedId: urls.absolute(jekyllPostId(sitePath, slug)),
    jekyllId: jekyllPostId(sitePath, slug),
    description: clip(frontMatter.summary ?? body.excerpt),
    excerpt: body.excerpt,
    words: body.words,
    readingMinutes: body.readingMinutes,
    footnotes: body.footnotes,
    fieldLines: lines,
    hasRawHtml: body.hasRawHtml,
    render: oneOffBuild ? (target) => body.take(target) : (target) => body.render(target),
  };
  return { post, seriesSlug };
}

/**
 * A one-off build lets each post's markdown go once it is rendered. Should a
 * template ask for a rendering again, the file is read again, and refused if
 * it has changed since: one build never mixes two versions of a post.
 */
function bodyRereader(file: string, readSource: () => string, body: string): () => string {
  const digest = (text: string) => createHash("sha256").update(text).digest("hex");
  const original = digest(body);
  return () => {
    const again = splitFrontMatter(readSource()).body;
    if (digest(again) !== original) throw new Error(`${file} changed while the site was being built; build again to publish the new text`);
    return again;
  };
}

/**
 * Jekyll's `Document#id`: the URL's directory joined with the slug, which
 * jekyll-feed published as each entry's <id>. For `/:title/` permalinks that is
 * `/slug` without the trailing slash. Keeping the rule keeps every old id.
 */
export function jekyllPostId(sitePath: string, slug: string): string {
  const trimmed = sitePath.replace(/\/+$/, "");
  const directory = trimmed.slice(0, trimmed.lastIndexOf("/"));
  return `${directory}/${slug}`;
}

/** The line of each top-level key in the front matter (which ends before the body's first line). */
function fieldLines(source: string, bodyLineOffset: number): Partial<Record<string, number>> {
  const lines: Partial<Record<string, number>> = {};
  const frontMatter = source.replace(/^\uFEFF/, "").split(/\r\n?|\n/, bodyLineOffset);
  frontMatter.forEach((line, index) => {
    const key = /^([^\s:#][^:]*):/.exec(line)?.[1];
    if (key !== undefined && lines[key] === undefined) lines[key] = index + 1;
  });
  return lines;
}

function checkPermalinks(posts: readonly Post[], log: IssueLog): void {
  const owners = new Map<string, Post>();
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

/** Checks every series rule across posts, then gives each published part its place and neighbours. */
function linkSeries(posts: ReadonlyArray<Post & { published: boolean }>, seriesSlugs: ReadonlyMap<Post, string>, declarations: Record<string, SeriesDeclaration>, log: IssueLog): Series[] {
  const members = new Map<string, Array<Post & { published: boolean }>>();
  const declared = Object.keys(declarations);
  for (const post of posts) {
    const slug = seriesSlugs.get(post);
    if (slug === undefined) {
      if (post.part !== undefined) log.error({ file: post.file, field: "part", found: `part ${post.part} without a series`, expected: `expected a series: field naming one of ${SERIES_FILE} (${declared.join(", ") || "none declared"}), or no part` });
      continue;
    }
    if (!(slug in declarations)) {
      const suggestion = nearest(slug, declared);
      log.error({ file: post.file, field: "series", found: quote(slug), expected: `expected a series declared in ${SERIES_FILE}${suggestion ? `; did you mean "${suggestion}"?` : ""} (declared: ${declared.join(", ") || "none"}); or add "${slug}" to ${SERIES_FILE}` });
      continue;
    }
    if (post.part === undefined) {
      log.error({ file: post.file, field: "part", found: "nothing", expected: `expected part: N, this post's position in series "${slug}"` });
      continue;
    }
    members.set(slug, [...(members.get(slug) ?? []), post]);
  }

  const result: Series[] = [];
  for (const [slug, declaration] of Object.entries(declarations)) {
    const parts = (members.get(slug) ?? []).sort((a, b) => (a.part ?? 0) - (b.part ?? 0));
    const byPart = new Map<number, Post & { published: boolean }>();
    for (const post of parts) {
      const other = byPart.get(post.part!);
      if (other) log.error({ file: post.file, field: "part", found: `part ${post.part}, which ${other.file} also is`, expected: `expected each part of "${slug}" once; renumber one of ${other.file} and ${post.file}` });
      else byPart.set(post.part!, post);
    }
    const highest = parts.at(-1)?.part ?? 0;
    for (const gap of missingParts([...byPart.keys()])) {
      const missing = gap.first === gap.last
        ? `part ${gap.first} is missing (renumber, or add part ${gap.first}, as a draft if it is not ready)`
        : `parts ${gap.first} to ${gap.last} are missing (renumber, or add them, as drafts if they are not ready)`;
      const next = byPart.get(gap.last + 1)!;
      log.error({ file: next.file, line: next.fieldLines.part, field: "part", found: `part ${gap.last + 1} of "${slug}"`, expected: `expected parts numbered 1, 2, 3... without gaps; ${missing}` });
    }
    if (declaration.parts !== undefined && highest > declaration.parts) {
      log.error({ file: byPart.get(highest)!.file, field: "part", found: `part ${highest}`, expected: `expected at most the ${declaration.parts} parts "${slug}" declares in ${SERIES_FILE}; raise "parts" there` });
    }

    // Only the declared plan and published parts set the count: a draft part
    // changes nothing a reader sees, not even "Part 1 of N".
    const highestPublished = parts.filter((post) => post.published).at(-1)?.part ?? 0;
    const series: Series = {
      ...declaration,
      slug,
      sitePath: `/series/${slug}/`,
      allPath: `/series/${slug}/all/`,
      feedPath: `/series/${slug}/rss.xml`,
      posts: [],
      entries: [],
      total: Math.max(declaration.parts ?? 0, highestPublished),
    };
    for (let part = 1; part <= series.total; part++) {
      const post = byPart.get(part);
      series.entries.push(post?.published ? { part, post } : { part });
      if (post?.published) series.posts.push(post);
    }
    series.posts.forEach((post, index) => {
      post.series = { series, part: post.part!, previous: series.posts[index - 1], next: series.posts[index + 1] };
    });
    result.push(series);
  }
  return result.filter((series) => series.posts.length > 0);
}

/** The runs of part numbers missing below the highest, each as one range. */
function missingParts(parts: readonly number[]): Array<{ first: number; last: number }> {
  const gaps: Array<{ first: number; last: number }> = [];
  let expected = 1;
  for (const part of [...parts].sort((a, b) => a - b)) {
    if (part > expected) gaps.push({ first: expected, last: part - 1 });
    expected = part + 1;
  }
  return gaps;
}

function newestFirst(a: Post, b: Post): number {
  return b.date.getTime() - a.date.getTime() || a.title.localeCompare(b.title);
}

export function tagSlug(tag: string): string {
  return tag.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "tag";
}

function indexTags(posts: readonly Post[]): TagIndex[] {
  const tags = new Map<string, TagIndex>();
  for (const post of posts) {
    for (const name of post.tags) {
      const slug = tagSlug(name);
      let tag = tags.get(slug);
      if (!tag) tags.set(slug, (tag = { name, slug, sitePath: `/tags/${slug}/`, posts: [] }));
      if (!tag.posts.includes(post)) tag.posts.push(post);
    }
  }
  return [...tags.values()].sort((a, b) => a.slug.localeCompare(b.slug));
}

function indexNotes(posts: readonly Post[]): NoteIndex[] {
  const notes = new Map<string, NoteCitation[]>();
  for (const post of [...posts].reverse()) {
    for (const note of post.footnotes) notes.set(note.tag, [...(notes.get(note.tag) ?? []), { post, note }]);
  }
  return [...notes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([tag, citations]) => ({ tag, citations }));
}

function groupByYear(posts: readonly Post[]): Array<{ year: number; posts: Post[] }> {
  const years: Array<{ year: number; posts: Post[] }> = [];
  for (const post of posts) {
    const year = post.date.getUTCFullYear();
    const last = years.at(-1);
    if (last?.year === year) last.posts.push(post);
    else years.push({ year, posts: [post] });
  }
  return years;
}
