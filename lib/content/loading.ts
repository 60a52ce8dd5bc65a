import { readFile } from "node:fs/promises";
import path from "node:path";
import { DateTime } from "luxon";
import type { MarkdownIt } from "markdown-it";
import { FrontMatterSyntaxError, splitFrontMatter, type SplitDocument } from "./front-matter.ts";
import { IssueLog, nearest, quote } from "./issues.ts";
import { createMarkdown } from "./markdown.ts";
import { rereader } from "./memory.ts";
import type { ImageStore } from "./images.ts";
import type { PostMedia } from "./media.ts";
import { jekyllPostId, postPath, SLUG, suggestSlug } from "./paths.ts";
import { HtmlPostBody } from "./html-post.ts";
import { clip, FEED, PAGE, ParsedPost, partTarget } from "./post-source.ts";
import {
  describeZodIssues,
  JEKYLL_FIELDS,
  POST_FIELDS,
  PostFrontMatterSchema,
  SeriesFileSchema,
  SiteSchema,
  type PostFrontMatter,
  type SeriesDeclaration,
} from "./schema.ts";
import { SiteUrls } from "./site-urls.ts";
import { EncodingError, listPostFiles, POST_EXTENSION, readPostText, SERIES_FILE, SITE_FILE } from "./sources.ts";
import type { Post, Site } from "./types.ts";

/*
 * Reading the content model's input: the data files and every post, each
 * checked on its own. Checks across documents are the model's (model.ts).
 */

/** A post as read from its file: everything but its place in a series, which needs the other posts. */
export interface PostRecord extends Omit<Post, "seriesPart"> {
  /** The `series:` slug its front matter names, checked against _data/series.json by the model. */
  seriesSlug?: string;
}

export interface PostReading {
  urls: SiteUrls;
  includeDrafts: boolean;
  oneOffBuild: boolean;
  now: Date;
  /** The zone a plain calendar day (`date: 2018-01-10`) starts in: the site's. */
  timeZone: string;
  /** What posts' images are resolved against (see media.ts). */
  inputDir: string;
  staticFiles: ReadonlyMap<string, string>;
  images: ImageStore;
}

export async function loadSite(inputDir: string, log: IssueLog, deploymentUrl: string | undefined): Promise<Site | undefined> {
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

export async function loadSeriesDeclarations(inputDir: string, log: IssueLog): Promise<Record<string, SeriesDeclaration>> {
  const declarations = await loadJson(inputDir, SERIES_FILE, log, (data, file) => {
    const result = SeriesFileSchema.safeParse(data);
    if (result.success) return result.data;
    for (const problem of describeZodIssues(result.error, data)) log.error({ file, field: problem.field, found: problem.found, expected: problem.expected });
    return undefined;
  });
  return declarations ?? {};
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

/** Every post under posts/, each read and checked on its own; a file that is not a post is an error. */
export async function loadPosts(inputDir: string, reading: PostReading, log: IssueLog): Promise<PostRecord[]> {
  const { posts, others, refused } = await listPostFiles(inputDir);
  for (const file of others) {
    log.error({ file, found: `a ${path.extname(file) || "extension-less"} file`, expected: "only posts (.md, or .html for HTML posts) belong in posts/; rename it or move it out (images go in images/, published at /images/)" });
  }
  for (const { file, found, expected } of refused) log.error({ file, found, expected });
  const records: PostRecord[] = [];
  for (const file of posts) {
    // Read synchronously: posts are small and usually in the page cache, where
    // fs/promises spent ten times the CPU of a plain read on each file's open,
    // stat, read and close (and no less wall time reading a cold disk).
    const record = readUtf8Post(() => readPostText(path.join(inputDir, file)), file, reading, log);
    if (record) records.push(record);
  }
  return records;
}

/** readPost, with a file that is not UTF-8 reported at its first bad byte. */
function readUtf8Post(readSource: () => string, file: string, reading: PostReading, log: IssueLog): PostRecord | undefined {
  try {
    return readPost(readSource, file, reading, log);
  } catch (error) {
    if (!(error instanceof EncodingError)) throw error;
    log.error({ file, line: error.line, field: "encoding", found: error.message, expected: "expected UTF-8 text; save the file as UTF-8 (editors offer it under Save As or Encoding)" });
    return undefined;
  }
}

/** One post file: every field and the body are checked, so one mistake never hides another. */
function readPost(readSource: () => string, file: string, reading: PostReading, log: IssueLog): PostRecord | undefined {
  const source = readSource();
  const document = readFrontMatter(source, file, log);
  if (!document) return undefined;
  const lines = fieldLines(source, document.bodyLineOffset);
  const frontMatter = daysInZone(validateFrontMatter(document.data as Record<string, unknown>, lines, file, log), document.data as Record<string, unknown>, reading.timeZone);
  if (document.body.trim() === "") {
    log.error({ file, line: document.bodyLineOffset + 1, field: "body", found: "no text", expected: `expected the post's ${file.endsWith(".html") ? "HTML" : "markdown"} after the front matter` });
    return undefined;
  }
  const slug = path.basename(file).replace(POST_EXTENSION, "");
  const slugProblem = !SLUG.test(slug);
  if (slugProblem) {
    log.error({ file, field: "file name", found: quote(path.basename(file)), expected: `expected a slug, which becomes the post's URL: lower-case letters and digits joined by hyphens, like posts/${suggestSlug(slug)}${path.extname(file)}` });
  }
  const sitePath = postPath(slug, frontMatter?.permalink);
  const control = CONTROL_CHARACTER_LINE.exec(document.body);
  if (control) {
    const line = document.body.slice(0, control.index).split("\n").length + document.bodyLineOffset;
    log.warn({ file, line, field: "body", found: codePoint(control[0]), expected: "removed it and any others in the text: control characters are invisible and make pages invalid" });
  }
  const readBody = () => withoutControls(splitFrontMatter(readSource()).body);
  const text = withoutControls(document.body);
  const body = file.endsWith(".html") ? new HtmlPostBody(text, reading.urls, sitePath, { file, inputDir: reading.inputDir, staticFiles: reading.staticFiles, images: reading.images }) : parseBody(file, text, sitePath, frontMatter?.part, reading, readBody);
  reportBodyProblems(body, file, document.bodyLineOffset, log);
  if (!frontMatter || slugProblem) return undefined;

  const { series: seriesSlug, ...fields } = frontMatter;
  const jekyllId = jekyllPostId(sitePath, slug);
  return {
    ...fields,
    seriesSlug,
    file,
    slug,
    sitePath,
    feedId: reading.urls.absolute(jekyllId),
    jekyllId,
    description: clip(frontMatter.summary ?? body.excerpt),
    excerpt: body.excerpt,
    words: body.words,
    readingMinutes: body.readingMinutes,
    footnotes: body.footnotes,
    fieldLines: lines,
    hasRawHtml: body.hasRawHtml,
    published: (!frontMatter.draft && frontMatter.date <= reading.now) || reading.includeDrafts,
    scheduled: frontMatter.date > reading.now,
    render: (target) => body.render(target),
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
  const inZone = (text: unknown, parsed: Date) => (typeof text === "string" && CALENDAR_DAY.test(text.trim()) ? DateTime.fromISO(text.trim(), { zone: timeZone }).toJSDate() : parsed);
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

/** The one markdown parser of the process: its setup is the same for every post. */
export function markdown(): MarkdownIt {
  sharedMarkdown ??= createMarkdown();
  return sharedMarkdown;
}

/** Parsed posts survive between dev-server rebuilds; only edited files are parsed again. */
const parseCache = new Map<string, { key: string; parsed: ParsedPost }>();

/**
 * A post's body parsed and rendered for every target it appears in. A one-off
 * build keeps no parse for a next build and lets the markdown go (see memory.ts).
 */
function parseBody(file: string, body: string, sitePath: string, part: number | undefined, reading: PostReading, readBody: () => string): ParsedPost {
  const targets = part === undefined ? [PAGE, FEED] : [PAGE, FEED, partTarget(part)];
  const media: PostMedia = { file, inputDir: reading.inputDir, staticFiles: reading.staticFiles, images: reading.images };
  if (reading.oneOffBuild) return new ParsedPost(markdown(), body, reading.urls, sitePath, targets, rereader(file, readBody, body), media);
  const { urls } = reading;
  const key = `${urls.origin}${urls.pathPrefix}|${sitePath}|${part}|${body}`;
  let cached = parseCache.get(file);
  // A post's images are read when it is parsed: it is parsed again when one of
  // them changed, or when it named a file that was missing (it may be there now).
  const imagesUnchanged = (parsed: ParsedPost) =>
    parsed.mediaProblems.length === 0 && parsed.images.every((image) => reading.images.describe(image.file) === image);
  if (cached?.key !== key || !imagesUnchanged(cached.parsed)) {
    cached = { key, parsed: new ParsedPost(markdown(), body, urls, sitePath, targets, undefined, media) };
    parseCache.set(file, cached);
  }
  return cached.parsed;
}
