import { existsSync } from "node:fs";
import path from "node:path";
import type { MarkdownIt, StateCore, Token } from "markdown-it";
import { fenceLanguage, highlight, isKnownLanguage, longestLine, NARROWEST_COLUMNS } from "./highlight.ts";
import { IMAGE_SIZES, ImageStore, type DescribedImage } from "./images.ts";
import { ALT_MISSING_MARK } from "./alt-text.ts";
import { attribute, envRule, type MarkdownEnv } from "./markdown-env.ts";

/** What a post's images are resolved against: its own file, the static files, the build's images. */
export interface PostMedia {
  /** Project-relative post file, e.g. `posts/hello.md`: relative image paths start from its folder. */
  file: string;
  inputDir: string;
  staticFiles: ReadonlyMap<string, string>;
  images: ImageStore;
}

/** A mistake found while reading a post's images and code, on a line of its body. */
/** The field a missing or unreadable image is reported under. */
export const MISSING_IMAGE_FIELD = "image";

export interface MediaProblem {
  line: number;
  field: string;
  found?: string;
  expected: string;
  severity: "error" | "warning";
}

interface ResolvedImage {
  image: DescribedImage;
  alt: string;
}

/** An `<img>` in the author's raw HTML, where it sits in the token's text and what it shows. */
export interface HtmlImage extends ResolvedImage {
  start: number;
  end: number;
  /** The author's own attributes kept on the `<img>` (class, id, title). */
  kept: string;
}

const IMG_TAG = /<img\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const KEPT_ATTRIBUTES = ["class", "id", "title"];

export function installMedia(md: MarkdownIt): void {
  md.core.ruler.push("media", resolveMedia);
  installImageRenderers(md);
  installCodeRenderer(md);
  // A wide table scrolls inside its own box on a phone; the box takes keyboard focus to scroll.
  md.renderer.rules.table_open = envRule((_tokens, _index, _options, env) =>
    env.mode === "feed" ? "<table>\n" : '<div class="table-scroll" tabindex="0" role="group" aria-label="Table"><table>\n',
  );
  md.renderer.rules.table_close = envRule((_tokens, _index, _options, env) => (env.mode === "feed" ? "</table>\n" : "</table></div>\n"));
}

/** Reads every image and fence once per parse, where lines are known; rendering only formats what was found. */
function resolveMedia(state: StateCore): void {
  const env = state.env as MarkdownEnv;
  env.mediaProblems ??= [];
  const tokens = state.tokens;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    const line = (token.map?.[0] ?? 0) + 1;
    if (token.type === "fence") checkLanguage(token, line, env);
    if (token.type === "html_block") resolveHtmlImages(token, line, env);
    if (token.type !== "inline") continue;
    let childLine = line;
    for (const child of token.children ?? []) {
      if (child.type === "softbreak" || child.type === "hardbreak") childLine++;
      if (child.type === "image") resolveMarkdownImage(child, childLine, env);
      if (child.type === "html_inline") resolveHtmlImages(child, childLine, env);
    }
    markFigure(tokens, index);
  }
}

/** `![alt](src "Caption")` alone in its paragraph is a figure with that caption. */
function markFigure(tokens: Token[], index: number): void {
  const children = tokens[index]!.children ?? [];
  const image = children[0];
  if (children.length !== 1 || image?.type !== "image" || !attribute(image, "title")) return;
  const open = tokens[index - 1];
  const close = tokens[index + 1];
  if (open?.type !== "paragraph_open" || close?.type !== "paragraph_close") return;
  open.hidden = true;
  close.hidden = true;
  image.meta = { ...image.meta, figure: true };
}

function checkLanguage(token: Token, line: number, env: MarkdownEnv): void {
  const language = fenceLanguage(token.info);
  if (isKnownLanguage(language)) return;
  env.mediaProblems!.push({
    line,
    field: "code block",
    found: JSON.stringify(token.info.trim()),
    expected: "a language the highlighter knows (csharp, ts, js, sql, bash, yaml, json, xml, html...); shown as plain text",
    severity: "warning",
  });
}

function resolveMarkdownImage(token: Token, line: number, env: MarkdownEnv): void {
  const src = attribute(token, "src") ?? "";
  if (token.content.trim() === "") {
    env.mediaProblems!.push({
      line,
      field: "image",
      found: JSON.stringify(src),
      expected: 'alt text saying what the image shows, as in ![a diagram of the release](src); a decorative image is written in HTML as <img src="..." alt="">',
      severity: "error",
    });
  }
  const image = resolveImage(src, line, env);
  if (image) token.meta = { ...token.meta, image };
}

function resolveHtmlImages(token: Token, line: number, env: MarkdownEnv): void {
  const found = findHtmlImages(token.content, line, env, "warning");
  if (found.length > 0) token.meta = { ...token.meta, htmlImages: found };
}

/**
 * The `<img>` tags of raw HTML (starting on `line`) that show an image file of
 * the site, each described for the page; images elsewhere are left as written.
 * An `<img>` without alt is a problem of the given severity: a warning for
 * HTML inside markdown, an error in an HTML post.
 */
export function findHtmlImages(html: string, line: number, env: MarkdownEnv, missingAlt: MediaProblem["severity"]): HtmlImage[] {
  env.mediaProblems ??= [];
  const found: HtmlImage[] = [];
  for (const match of html.matchAll(IMG_TAG)) {
    const attributes = readAttributes(match[0]);
    const src = attributes.get("src");
    if (src === undefined) continue;
    const tagLine = line + (html.slice(0, match.index).match(/\n/g)?.length ?? 0);
    const alt = attributes.get("alt");
    if (alt === undefined) {
      env.mediaProblems.push({
        line: tagLine,
        field: "img alt",
        found: JSON.stringify(src),
        expected: 'an alt attribute: alt="what the image shows", or alt="" for a decorative image',
        severity: missingAlt,
      });
    } else if (attributes.has(ALT_MISSING_MARK)) {
      env.mediaProblems.push({
        line: tagLine,
        field: "img alt",
        found: JSON.stringify(src),
        expected: `alt text for an image imported without it: write what it shows in alt (or keep alt="" if it is decorative) and remove ${ALT_MISSING_MARK}`,
        severity: "warning",
      });
    }
    const image = resolveImage(src, tagLine, env);
    if (!image) continue;
    const kept = KEPT_ATTRIBUTES.flatMap((name) => (attributes.has(name) ? [` ${name}="${escapeAttribute(attributes.get(name)!)}"`] : [])).join("");
    found.push({ image, alt: alt ?? "", start: match.index, end: match.index + match[0].length, kept });
  }
  return found;
}

/** Raw HTML with each image found in it shown as the page or the feed shows images; `wrap` may set the shown HTML aside. */
export function showHtmlImages(html: string, images: readonly HtmlImage[], env: MarkdownEnv, wrap: (shown: string) => string = (shown) => shown): string {
  let out = "";
  let from = 0;
  for (const found of images) {
    out += html.slice(from, found.start) + wrap(imageHtml(found.image, escapeText(found.alt), found.kept, env, escapeText));
    from = found.end;
  }
  return out + html.slice(from);
}

const escapeText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function readAttributes(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [, name = "", doubleQuoted, singleQuoted, unquoted] of tag.slice(4, -1).matchAll(ATTRIBUTE)) {
    attributes.set(name.toLowerCase(), decodeEntities(doubleQuoted ?? singleQuoted ?? unquoted ?? ""));
  }
  return attributes;
}

function decodeEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (_entity, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[name] ?? _entity);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/**
 * The image file a src names, described for the page; undefined for images
 * on other sites and for site paths outside the static folders (the link check
 * judges those). A named file that is not there is an error on this line.
 */
function resolveImage(src: string, line: number, env: MarkdownEnv): DescribedImage | undefined {
  const media = env.media;
  if (!media || src === "" || src.startsWith("data:")) return undefined;
  const file = localFile(src.replace(/[?#].*$/, ""), media, env);
  if (file === undefined) return undefined;
  const problem = (expected: string) => {
    env.mediaProblems!.push({ line, field: MISSING_IMAGE_FIELD, found: JSON.stringify(src), expected, severity: "error" });
    return undefined;
  };
  if ("missing" in file) return problem(`a file that exists; there is no ${file.missing} (images go in images/, published at /images/)`);
  if (!ImageStore.isImage(file.found)) {
    (env.filesFound ??= []).push(file.found);
    return undefined;
  }
  try {
    const image = media.images.describe(file.found);
    (env.imagesDescribed ??= []).push(image);
    return image;
  } catch (error) {
    return problem(`an image that can be read; ${file.found} could not be (${(error as Error).message})`);
  }
}

function localFile(src: string, media: PostMedia, env: MarkdownEnv): { found: string } | { missing: string } | undefined {
  let decoded: string;
  try {
    decoded = decodeURI(src);
  } catch {
    decoded = src;
  }
  const sitePath = env.urls.toSitePath(decoded);
  if (sitePath !== undefined) {
    const found = media.staticFiles.get(sitePath);
    if (found !== undefined) return { found };
    const folder = sitePath.split("/")[1];
    const inStaticFolder = [...media.staticFiles.values()].some((file) => file.startsWith(`${folder}/`));
    return inStaticFolder || folder === "images" ? { missing: sitePath } : undefined;
  }
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(decoded)) return undefined;
  const relative = path.posix.normalize(path.posix.join(path.posix.dirname(media.file), decoded));
  if (relative.startsWith("../")) return { missing: `${decoded} inside the site (it points outside it)` };
  return existsSync(path.join(media.inputDir, relative)) ? { found: relative } : { missing: relative };
}

function installImageRenderers(md: MarkdownIt): void {
  const { escapeHtml } = md.utils;
  // Images on other sites, or not resolved to a file, keep the link rewriter's rendering.
  const linkedImage = md.renderer.rules.image!;
  md.renderer.rules.image = envRule((tokens, index, options, env, self) => {
    const token = tokens[index]!;
    const image = token.meta?.image as DescribedImage | undefined;
    if (!image) return linkedImage(tokens, index, options, env, self);
    const alt = escapeHtml(self.renderInlineAsText(token.children ?? [], options, env));
    const shown = imageHtml(image, alt, "", env, escapeHtml);
    const caption = attribute(token, "title");
    if (token.meta?.figure && caption) return `<figure>${shown}<figcaption>${escapeHtml(caption)}</figcaption></figure>\n`;
    return shown;
  });
  for (const rule of ["html_block", "html_inline"] as const) {
    const original = md.renderer.rules[rule]!;
    md.renderer.rules[rule] = envRule((tokens, index, options, env, self) => {
      const token = tokens[index]!;
      const images = token.meta?.htmlImages as HtmlImage[] | undefined;
      if (!images) return original(tokens, index, options, env, self);
      return showHtmlImages(token.content, images, env);
    });
  }
}

/**
 * An image for the page: a `<picture>` of AVIF, WebP and the original format,
 * sized so nothing shifts as it loads, lazy after the post's first image. For
 * feeds, one plain `<img>` of the full-size original: readers drop `<picture>`.
 */
function imageHtml(image: DescribedImage, alt: string, kept: string, env: MarkdownEnv, escapeHtml: (text: string) => string): string {
  const size = ` width="${image.width}" height="${image.height}"`;
  if (env.mode === "feed") return `<img src="${escapeHtml(env.urls.absolute(image.original))}" alt="${alt}"${size}${kept}>`;
  const first = (env.imagesShown ?? 0) === 0;
  env.imagesShown = (env.imagesShown ?? 0) + 1;
  const loading = first ? "" : ' loading="lazy" decoding="async"';
  if (image.vector) return `<img src="${escapeHtml(env.urls.href(image.original))}" alt="${alt}"${size}${loading}${kept}>`;
  const sizes = image.width < 608 ? `(min-width: 40rem) ${image.width}px, min(${image.width}px, calc(100vw - 2rem))` : IMAGE_SIZES;
  const srcset = (variants: DescribedImage["fallback"]["variants"]) =>
    variants.map((variant) => `${env.urls.href(variant.sitePath)} ${variant.width}w`).join(", ");
  const sources = image.sources.map((source) => `<source type="${source.type}" srcset="${srcset(source.variants)}" sizes="${sizes}">`).join("");
  const fallback = image.fallback.variants.at(-1)!;
  return `<picture>${sources}<img src="${env.urls.href(fallback.sitePath)}" srcset="${srcset(image.fallback.variants)}" sizes="${sizes}" alt="${alt}"${size}${loading}${kept}></picture>`;
}

/**
 * Fenced code, highlighted at build time. A block whose longest line cannot fit
 * a phone's width scrolls inside itself, so it takes keyboard focus and has a
 * name. Feeds get plain code: readers have no stylesheet for the tokens.
 */
function installCodeRenderer(md: MarkdownIt): void {
  const { escapeHtml } = md.utils;
  md.renderer.rules.fence = envRule((tokens, index, _options, env) => {
    const token = tokens[index]!;
    const language = fenceLanguage(token.info);
    if (env.mode === "feed") return `<pre><code>${escapeHtml(token.content)}</code></pre>\n`;
    const block = highlight(token.content, language, escapeHtml);
    const name = block.language === undefined ? "Code" : `${block.language} code`;
    const focusable = longestLine(token.content) > NARROWEST_COLUMNS ? ` tabindex="0" role="group" aria-label="${escapeHtml(name)}"` : "";
    return `<pre class="code"${focusable}><code>${block.html}</code></pre>\n`;
  });
}
