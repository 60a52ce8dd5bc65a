import path from "node:path";
import { FrontMatterSyntaxError, splitFrontMatter } from "../content/front-matter.ts";
import { SLUG, slugify } from "../content/paths.ts";
import { readComments, type ArchivedComment } from "./comments.ts";
import { parseJekyllDate, type ImportedDate } from "./jekyll-dates.ts";
import type { JekyllSite } from "./jekyll-site.ts";
import { addressKey, rewriteOwnLinks, type OwnLinks } from "./links.ts";
import { markImagesWithoutAlt } from "./images.ts";
import { convertLiquid, dropAttributeLists, type SourceNote } from "./liquid.ts";
import { jekyllPostUrl } from "./permalinks.ts";

/** A `_posts` file read, before its body is converted. */
export interface SourcePost {
  /** Relative to the Jekyll site, e.g. `_posts/2007-04-19-hello.html`. */
  source: string;
  /** Jekyll's post name, for `{% post_url %}`: `2007-04-19-hello`. */
  name: string;
  slug: string;
  format: "md" | "html";
  /** The URL Jekyll published it at, without the baseurl. */
  url: string;
  date: ImportedDate;
  data: Record<string, unknown>;
  body: string;
  bodyLineOffset: number;
}

/** A post ready to be written as `posts/<slug>.<format>`. */
export interface ConvertedPost extends SourcePost {
  title: string;
  tags: string[];
  draft: boolean;
  comments: ArchivedComment[];
  /** The front matter this site reads, in writing order. */
  fields: Record<string, unknown>;
  text: string;
  linksRewritten: number;
  /** Keys of the source dropped because the site has no use for them. */
  droppedKeys: string[];
  notes: SourceNote[];
  /** Lines of the text (1-based) with an image imported without alt text. */
  imagesWithoutAlt: number[];
}

export interface BadInput {
  file: string;
  line?: number;
  message: string;
}

const POST_NAME = /^(\d{4}-\d{2}-\d{2})-(.+)\.(md|markdown|mkd|mkdn|html|htm)$/i;
/** Keys this import reads into the site's own fields. */
const MAPPED_KEYS = new Set([
  "title",
  "date",
  "tags",
  "categories",
  "category",
  "published",
  "excerpt",
  "description",
  "permalink",
  "slug",
  "comments",
  "excerpt_separator",
  "last_modified_at",
]);

const asList = (value: unknown): string[] => {
  if (typeof value === "string") return value.split(/\s+/).filter(Boolean); // Jekyll splits a string of tags on spaces.
  if (Array.isArray(value))
    return value
      .filter((item) => typeof item === "string" || typeof item === "number")
      .map((item) => String(item).trim())
      .filter(Boolean);
  return [];
};

/** Reads one `_posts` file: its name, front matter and URL. Returns a bad input when it cannot be imported at all. */
export function readSourcePost(site: JekyllSite, source: string, bytes: Buffer): SourcePost | BadInput {
  const fileName = path.posix.basename(source);
  const named = POST_NAME.exec(fileName);
  if (!named)
    return {
      file: source,
      message: `found a file name without a date; expected YYYY-MM-DD-<slug>.md|.markdown|.html, the name Jekyll reads a post's date from (Jekyll skipped this file)`,
    };
  const document = readSourceDocument(source, bytes);
  if (isBadInput(document)) return document;
  const { data: fields, text } = document;
  const fileDate = parseJekyllDate(named[1], site.timeZone);
  const date = fields.date === undefined ? fileDate : parseJekyllDate(fields.date, site.timeZone);
  if (!date)
    return {
      file: source,
      line: lineOfKey(text, "date"),
      message: `date: found ${JSON.stringify(String(fields.date ?? named[1]))}; expected a date like 2007-04-19 10:22:11 +0000`,
    };
  const slug = typeof fields.slug === "string" && fields.slug.trim() !== "" ? fields.slug.trim() : named[2]!;
  if (!SLUG.test(slug))
    return {
      file: source,
      message: `found the slug ${JSON.stringify(slug)}; expected lower-case letters and digits joined by hyphens, the site's rule for post file names. Renaming it (e.g. to ${slugify(slug) || "post"}) changes its URL and feed id, so it was not imported: rename it in the source, or give it a slug:, and import again`,
    };
  const url = jekyllUrl(site, source, fields, slug, date);
  const format = /\.html?$/i.test(fileName) ? "html" : "md";
  return {
    source,
    name: fileName.replace(/\.[^.]+$/, ""),
    slug,
    format,
    url,
    date,
    data: fields,
    body: document.body,
    bodyLineOffset: document.bodyLineOffset,
  };
}

/** Where Jekyll published a post: by its own `permalink:` (a style or a path), or by the site's style. */
function jekyllUrl(site: JekyllSite, source: string, fields: Record<string, unknown>, slug: string, date: ImportedDate): string {
  const folderCategories = path.posix
    .dirname(source)
    .split("/")
    .filter((part) => part !== "_posts" && part !== ".");
  const input = { slug, date: date.wall, categories: [...folderCategories, ...asList(fields.categories ?? fields.category)] };
  const permalink = typeof fields.permalink === "string" && fields.permalink.trim() !== "" ? fields.permalink.trim() : undefined;
  if (permalink === undefined) return jekyllPostUrl(site.permalink, input);
  if (permalink.includes(":")) return jekyllPostUrl(permalink, input);
  return permalink.startsWith("/") ? permalink : `/${permalink}`;
}

/** A Jekyll source file's front matter and body, as read: posts and pages alike. */
export interface SourceDocument {
  data: Record<string, unknown>;
  text: string;
  body: string;
  bodyLineOffset: number;
}

/** Reads a Jekyll file with front matter; a bad input names what keeps it from being imported at all. */
export function readSourceDocument(source: string, bytes: Buffer): SourceDocument | BadInput {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { file: source, message: "found bytes that are not UTF-8; save the file as UTF-8 (e.g. iconv -f windows-1252 -t utf-8) and import again" };
  }
  let document;
  try {
    document = splitFrontMatter(text);
  } catch (error) {
    if (!(error instanceof FrontMatterSyntaxError)) throw error;
    return { file: source, line: error.line, message: `${error.message}; fix the front matter and import again` };
  }
  const data = document.data;
  if (document.bodyLineOffset === 0 || data === null || typeof data !== "object" || Array.isArray(data)) {
    return { file: source, line: 1, message: "found no front matter map; expected --- lines around fields such as title:" };
  }
  return { data: data as Record<string, unknown>, text, body: document.body, bodyLineOffset: document.bodyLineOffset };
}

export function isBadInput<T extends object>(value: T | BadInput): value is BadInput {
  return "message" in value;
}

/** Old WordPress addresses of posts (`wordpress_url`), so links to them land on the imported post. */
export function oldAddressOf(post: SourcePost, hosts: ReadonlySet<string>): string | undefined {
  const address = post.data.wordpress_url;
  if (typeof address !== "string") return undefined;
  const match = /^https?:\/\/([^/?#]+)(.*)$/i.exec(address.trim());
  if (!match || !hosts.has(match[1]!.toLowerCase())) return undefined;
  return addressKey(match[2] || "/");
}

/** Converts a post's body and front matter for this site; returns the Liquid it cannot convert as bad inputs. */
export function convertPost(site: JekyllSite, post: SourcePost, own: OwnLinks, postUrls: ReadonlyMap<string, string>): ConvertedPost | BadInput[] {
  const separator = post.data.excerpt_separator ?? site.config.excerpt_separator;
  const body = convertBody(site, { ...post, excerptSeparator: typeof separator === "string" ? separator : undefined }, own, postUrls);
  if (Array.isArray(body)) return body;
  const { notes } = body;
  const marked = post.format === "html" ? markImagesWithoutAlt(body.text) : { text: body.text, lines: [] };
  const text = marked.text;

  const { data } = post;
  const title = data.title === undefined || data.title === null || String(data.title).trim() === "" ? titleFromSlug(post.slug) : String(data.title).trim();
  const tags = dedupe([...asList(data.tags), ...asList(data.categories ?? data.category)].filter((tag) => tag.toLowerCase() !== "uncategorized"));
  const draft = data.published === false;
  const summaryText = [data.excerpt, data.description].find((value) => typeof value === "string" && value.trim() !== "") as string | undefined;
  const updated = parseJekyllDate(data.last_modified_at, site.timeZone);
  const comments = readComments(data.comments);
  for (const problem of comments.problems) notes.push({ line: 1, message: problem });
  if (text.trim() === "") notes.push({ line: post.bodyLineOffset + 1, message: "the post has no text; add some, or the build will refuse it" });

  const fields: Record<string, unknown> = {
    title,
    date: post.date.iso,
    ...(updated ? { updated: updated.iso } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(summaryText ? { summary: stripTags(summaryText) } : {}),
    ...(draft ? { draft: true } : {}),
    ...(post.url === `/${post.slug}/` ? {} : { permalink: post.url }),
    ...(comments.comments.length > 0 ? { comments: comments.comments } : {}),
  };
  const droppedKeys = Object.keys(data).filter((key) => !MAPPED_KEYS.has(key));
  return {
    ...post,
    title,
    tags,
    draft,
    comments: comments.comments,
    fields,
    text,
    linksRewritten: body.linksRewritten,
    droppedKeys,
    notes,
    imagesWithoutAlt: marked.lines,
  };
}

/** A body converted for this site: Liquid resolved, kramdown's attribute lists dropped, the old blog's links made site paths. */
export interface ConvertedBody {
  text: string;
  linksRewritten: number;
  notes: SourceNote[];
}

/** Converts a post's or a page's body; returns the Liquid it cannot convert as bad inputs. */
export function convertBody(
  site: JekyllSite,
  document: { source: string; format: "md" | "html"; body: string; bodyLineOffset: number; excerptSeparator?: string },
  own: OwnLinks,
  postUrls: ReadonlyMap<string, string>,
): ConvertedBody | BadInput[] {
  const liquid = convertLiquid(document.body, document.format, { site: site.config, postUrls, lineOffset: document.bodyLineOffset });
  if (liquid.errors.length > 0) return liquid.errors.map((error) => ({ file: document.source, line: error.line, message: error.message }));
  let text = liquid.text;
  const notes: SourceNote[] = [];
  if (document.format === "md") {
    const dropped = dropAttributeLists(text, document.bodyLineOffset);
    text = dropped.text;
    notes.push(...dropped.notes);
  }
  const separator = document.excerptSeparator;
  if (separator !== undefined && separator.trim() !== "" && separator.trim() !== "<!--more-->" && text.includes(separator)) {
    text = text.replace(separator, "\n<!--more-->\n");
  }
  const rewritten = rewriteOwnLinks(text, document.format, own);
  return { text: `${rewritten.text.replace(/^\s*\n/, "").replace(/\s+$/, "")}\n`, linksRewritten: rewritten.rewritten, notes };
}

function dedupe(tags: string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((tag) => !seen.has(tag.toLowerCase()) && seen.add(tag.toLowerCase()));
}

function stripTags(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Jekyll's title for a post without one: the slug's words, capitalised. */
export function titleFromSlug(slug: string): string {
  return slug
    .split(/[-_]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(" ");
}

function lineOfKey(text: string, key: string): number | undefined {
  const index = text.split("\n").findIndex((line) => line.startsWith(`${key}:`));
  return index === -1 ? undefined : index + 1;
}
