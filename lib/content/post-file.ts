import path from "node:path";
import { DateTime } from "luxon";
import type { MarkdownIt } from "markdown-it";
import { FrontMatterSyntaxError, splitFrontMatter, type SplitDocument } from "./front-matter.ts";
import { ImageStore, type DescribedImage } from "./images.ts";
import { IssueLog, nearest, quote, type ContentIssue } from "./issues.ts";
import type { RenderTarget } from "./markdown-env.ts";
import { createMarkdown } from "./markdown.ts";
import { jekyllPostId, postPath, SLUG, slugify } from "./paths.ts";
import { HtmlPostBody } from "./html-post.ts";
import { clip, FEED, PAGE, ParsedPost, partTarget, targetKey } from "./post-source.ts";
import { JEKYLL_FIELDS, POST_FIELDS, PostFrontMatterSchema, describeZodIssues, type PostFrontMatter } from "./schema.ts";
import { SiteUrls } from "./site-urls.ts";
import { decodePostText, EncodingError, POST_EXTENSION } from "./sources.ts";
import type { Post } from "./types.ts";

/*
 * One post file, read, checked and rendered on its own: everything the build
 * does to a post that needs no other post. Its input and output are plain data,
 * so the same function runs on the main thread, in a worker thread
 * (post-workers.ts) or not at all when the cache holds its result (post-cache.ts).
 */

/** A post as read from its file: everything but its place in a series, which needs the other posts. */
export interface PostRecord extends Omit<Post, "seriesPart"> {
  /** The `series:` slug its front matter names, checked against _data/series.json by the model. */
  seriesSlug?: string;
}

/** What a post file says, without what depends on the build's clock or drafts setting. */
export type PostFacts = Omit<PostRecord, "render" | "published" | "scheduled">;

/** What rendering a post depends on besides its file: plain data, sent to each worker once. */
export interface RenderSettings {
  deploymentUrl: string;
  canonicalUrl: string;
  /** The zone a plain calendar day (`date: 2018-01-10`) starts in: the site's. */
  timeZone: string;
  /** What posts' images are resolved against (see media.ts). */
  inputDir: string;
  /** Published static files: site path → project-relative file. */
  staticFiles: ReadonlyMap<string, string>;
}

/** The settings made live once per thread. */
export interface RenderContext {
  urls: SiteUrls;
  timeZone: string;
  inputDir: string;
  staticFiles: ReadonlyMap<string, string>;
  images: ImageStore;
}

/** One post's whole result: its issues, what it says, and its HTML for every target the site shows it in. */
export interface RenderedPost {
  file: string;
  errors: ContentIssue[];
  warnings: ContentIssue[];
  /** Absent when a mistake keeps the post out of the site. */
  facts?: PostFacts;
  /** HTML by render target (see targetKey). */
  renders: Record<string, string>;
  /** The images it shows, as described when it was rendered. */
  images: DescribedImage[];
  /** Other local files its body points at, found when it was rendered. */
  files: string[];
}

export function renderContext(settings: RenderSettings, images?: ImageStore): RenderContext {
  const staticPathOf = new Map([...settings.staticFiles].map(([sitePath, file]) => [file, sitePath]));
  return {
    urls: new SiteUrls(settings.deploymentUrl, settings.canonicalUrl),
    timeZone: settings.timeZone,
    inputDir: settings.inputDir,
    staticFiles: settings.staticFiles,
    images: images ?? new ImageStore(settings.inputDir, (file) => staticPathOf.get(file)),
  };
}

/** The targets a post is rendered for up front: its page, the feeds, and its place on a one-page series. */
export function renderTargets(part: number | undefined): RenderTarget[] {
  return part === undefined ? [PAGE, FEED] : [PAGE, FEED, partTarget(part)];
}

/** Reads, checks and renders one post file from its bytes; a file that is not UTF-8 is reported at its first bad byte. */
export function renderPostFile(file: string, bytes: Uint8Array, context: RenderContext): RenderedPost {
  const log = new IssueLog();
  const result: RenderedPost = { file, errors: log.errors, warnings: log.warnings, renders: {}, images: [], files: [] };
  let source: string;
  try {
    source = decodePostText(bytes);
  } catch (error) {
    if (!(error instanceof EncodingError)) throw error;
    log.error({
      file,
      line: error.line,
      field: "encoding",
      found: error.message,
      expected: "expected UTF-8 text; save the file as UTF-8 (editors offer it under Save As or Encoding)",
    });
    return result;
  }
  readPost(source, file, context, log, result);
  return result;
}

/** The HTML of one target not rendered up front, from the post's bytes. */
export function renderTarget(file: string, bytes: Uint8Array, context: RenderContext, target: RenderTarget): string {
  const sitePath = (post: PostFacts | undefined) => post?.sitePath ?? postPath(slugOf(file), undefined);
  const rendered = renderPostFile(file, bytes, context);
  return bodyOf(file, withoutControls(splitFrontMatter(decodePostText(bytes)).body), sitePath(rendered.facts), rendered.facts?.part, context).render(target);
}

const slugOf = (file: string) => path.basename(file).replace(POST_EXTENSION, "");

function bodyOf(file: string, text: string, sitePath: string, part: number | undefined, context: RenderContext): ParsedPost | HtmlPostBody {
  const media = { file, inputDir: context.inputDir, staticFiles: context.staticFiles, images: context.images };
  if (file.endsWith(".html")) return new HtmlPostBody(text, context.urls, sitePath, media);
  return new ParsedPost(markdown(), text, context.urls, sitePath, renderTargets(part), undefined, media);
}

/** One post file: every field and the body are checked, so one mistake never hides another. */
function readPost(source: string, file: string, context: RenderContext, log: IssueLog, result: RenderedPost): void {
  const document = readFrontMatter(source, file, log);
  if (!document) return;
  const lines = fieldLines(source, document.bodyLineOffset);
  const frontMatter = daysInZone(
    validateFrontMatter(document.data as Record<string, unknown>, lines, file, log),
    document.data as Record<string, unknown>,
    context.timeZone,
  );
  if (document.body.trim() === "") {
    log.error({
      file,
      line: document.bodyLineOffset + 1,
      field: "body",
      found: "no text",
      expected: `expected the post's ${file.endsWith(".html") ? "HTML" : "markdown"} after the front matter`,
    });
    return;
  }
  const slug = slugOf(file);
  const slugProblem = !isSlug(slug, file, log);
  const sitePath = postPath(slug, frontMatter?.permalink);
  warnOfControlCharacters(document, file, log);
  const body = bodyOf(file, withoutControls(document.body), sitePath, frontMatter?.part, context);
  reportBodyProblems(body, file, document.bodyLineOffset, log);
  result.images = body.images;
  result.files = body.files;
  if (!frontMatter || slugProblem) return;

  for (const target of renderTargets(frontMatter.part)) result.renders[targetKey(target)] = body.render(target);
  result.facts = factsOf(frontMatter, body, { file, slug, sitePath, fieldLines: lines }, context.urls);
}

/** Whether a file's name is a slug, the post's URL; an error saying how to rename it if not. */
function isSlug(slug: string, file: string, log: IssueLog): boolean {
  if (SLUG.test(slug)) return true;
  log.error({
    file,
    field: "file name",
    found: quote(path.basename(file)),
    expected: `expected a slug, which becomes the post's URL: lower-case letters and digits joined by hyphens, like posts/${slugify(slug) || "post"}${path.extname(file)}`,
  });
  return false;
}

function warnOfControlCharacters(document: SplitDocument, file: string, log: IssueLog): void {
  const control = CONTROL_CHARACTER_LINE.exec(document.body);
  if (!control) return;
  const line = document.body.slice(0, control.index).split("\n").length + document.bodyLineOffset;
  log.warn({
    file,
    line,
    field: "body",
    found: codePoint(control[0]),
    expected: "removed it and any others in the text: control characters are invisible and make pages invalid",
  });
}

/** What a valid post says: its front matter, its place on the site and what its body gives listings and feeds. */
function factsOf(
  frontMatter: PostFrontMatter,
  body: ParsedPost | HtmlPostBody,
  where: Pick<PostFacts, "file" | "slug" | "sitePath" | "fieldLines">,
  urls: SiteUrls,
): PostFacts {
  const { series: seriesSlug, ...fields } = frontMatter;
  const jekyllId = jekyllPostId(where.sitePath, where.slug);
  return {
    ...fields,
    ...where,
    seriesSlug,
    feedId: urls.absolute(jekyllId),
    jekyllId,
    description: clip(frontMatter.summary ?? body.excerpt),
    excerpt: body.excerpt,
    words: body.words,
    readingMinutes: body.readingMinutes,
    footnotes: body.footnotes,
    hasRawHtml: body.hasRawHtml,
  };
}

/** The body's image, code and footnote mistakes, at their lines in the file. */
function reportBodyProblems(body: Pick<ParsedPost, "mediaProblems" | "footnoteProblems">, file: string, bodyLineOffset: number, log: IssueLog): void {
  for (const { severity, line, ...problem } of body.mediaProblems) {
    log[severity === "error" ? "error" : "warn"]({ file, line: line + bodyLineOffset, ...problem });
  }
  for (const problem of body.footnoteProblems) {
    log.error({ file, line: problem.line === undefined ? undefined : problem.line + bodyLineOffset, field: `[^${problem.tag}]`, expected: problem.message });
  }
}

function readFrontMatter(source: string, file: string, log: IssueLog): SplitDocument | undefined {
  let document;
  try {
    document = splitFrontMatter(source);
  } catch (error) {
    if (!(error instanceof FrontMatterSyntaxError)) throw error;
    log.error({ file, line: error.line, field: "front matter", expected: error.message });
    return undefined;
  }
  const data = document.data;
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    log.error({ file, line: 1, field: "front matter", found: typeof data, expected: "expected fields such as title: and date: between --- lines" });
    return undefined;
  }
  return document;
}

/** The front matter against the author's contract: unknown keys are warnings, every bad field an error. */
function validateFrontMatter(data: Record<string, unknown>, lines: Partial<Record<string, number>>, file: string, log: IssueLog): PostFrontMatter | undefined {
  for (const key of Object.keys(data)) {
    if (POST_FIELDS.includes(key) || JEKYLL_FIELDS.includes(key)) continue;
    const suggestion = nearest(key, POST_FIELDS);
    log.warn({
      file,
      line: lines[key],
      field: key,
      expected: `unknown front-matter field${suggestion ? `; did you mean "${suggestion}"?` : `; known fields are ${POST_FIELDS.join(", ")}`}`,
    });
  }
  const result = PostFrontMatterSchema.safeParse(data);
  if (result.success) {
    return withoutControlCharacters(result.data, (field, found) => {
      log.warn({ file, line: lines[field], field, found, expected: "removed it: control characters are invisible and make pages and feeds invalid" });
    });
  }
  for (const problem of describeZodIssues(result.error, data)) {
    log.error({ file, line: lines[problem.field.split(".")[0] ?? ""], field: problem.field, found: problem.found ?? "nothing", expected: problem.expected });
  }
  return undefined;
}

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A plain calendar day (`date: 2018-01-10`) is that day where the author lives:
 * it starts at midnight in the site's time zone, so it is shown as that day and
 * is due, for scheduling, when that day begins there. Dates with a time keep
 * their own instant.
 */
function daysInZone(frontMatter: PostFrontMatter | undefined, data: Record<string, unknown>, timeZone: string): PostFrontMatter | undefined {
  if (!frontMatter || timeZone === "UTC") return frontMatter;
  const inZone = (text: unknown, parsed: Date) =>
    typeof text === "string" && CALENDAR_DAY.test(text.trim()) ? DateTime.fromISO(text.trim(), { zone: timeZone }).toJSDate() : parsed;
  return { ...frontMatter, date: inZone(data.date, frontMatter.date), updated: frontMatter.updated && inZone(data.updated, frontMatter.updated) };
}

/** C0 and C1 control characters, but tabs and line breaks, which read as spaces in a field. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const CONTROL_CHARACTER_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const withoutControls = (text: string) => text.replace(CONTROL_CHARACTER, "");
const codePoint = (character: string) => `control character U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * The text fields every page, listing and feed prints, without control
 * characters (U+0001 in a title made each page showing it invalid HTML).
 * Each field cleaned is reported once.
 */
function withoutControlCharacters(frontMatter: PostFrontMatter, report: (field: string, found: string) => void): PostFrontMatter {
  const clean = (field: string, text: string) => {
    const character = text.match(CONTROL_CHARACTER)?.[0];
    if (character !== undefined) report(field, codePoint(character));
    return withoutControls(text).replace(/[\t\n\r]/g, " ");
  };
  return {
    ...frontMatter,
    title: clean("title", frontMatter.title),
    summary: frontMatter.summary === undefined ? undefined : clean("summary", frontMatter.summary),
    tags: frontMatter.tags.map((tag) => clean("tags", tag)),
  };
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

let sharedMarkdown: MarkdownIt | undefined;

/** The one markdown parser of the thread: its setup is the same for every post. */
export function markdown(): MarkdownIt {
  sharedMarkdown ??= createMarkdown();
  return sharedMarkdown;
}
