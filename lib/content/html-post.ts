import type { DescribedImage } from "./images.ts";
import type { MarkdownEnv, RenderTarget } from "./markdown-env.ts";
import { rewriteHref } from "./markdown.ts";
import { findHtmlImages, showHtmlImages, type HtmlImage, type MediaProblem, type PostMedia } from "./media.ts";
import { detached } from "./memory.ts";
import { PAGE, readingMinutes, wordsIn } from "./post-source.ts";
import type { SiteUrls } from "./site-urls.ts";

/**
 * An HTML post's body (`posts/<slug>.html`, as the WordPress era wrote them):
 * published as written, never passed through markdown. It is rendered for the
 * same targets as a markdown post, by the same link rules: the author's own
 * links become site paths (absolute in feeds), and on the one-page series its
 * ids and same-page links are prefixed and its headings moved one level down.
 * Its images of the site's own files go through the image pipeline, as a
 * markdown post's do; an `<img>` without alt is an error at its line (the
 * import marks the old blog's images that had none: see ALT_MISSING_MARK).
 */
export class HtmlPostBody {
  readonly footnoteProblems = [];
  readonly footnotes = [];
  readonly mediaProblems: MediaProblem[];
  readonly #images: HtmlImage[];
  /** The images it shows and the other local files it points at, as found when it was read. */
  readonly images: DescribedImage[];
  readonly files: string[];
  readonly words: number;
  readonly excerpt: string;
  /** Every HTML post is raw HTML: feeds pass it through their sanitizer. */
  readonly hasRawHtml = true;
  private readonly renders = new Map<string, string>();

  constructor(
    private readonly html: string,
    private readonly urls: SiteUrls,
    private readonly sitePath: string,
    private readonly media?: PostMedia,
  ) {
    const env = this.#env(PAGE);
    this.#images = findHtmlImages(html, 1, env, "error");
    this.mediaProblems = env.mediaProblems ?? [];
    this.images = env.imagesDescribed ?? [];
    this.files = env.filesFound ?? [];
    const text = textOf(html);
    this.words = wordsIn(text);
    this.excerpt = detached(excerptOf(html));
  }

  get readingMinutes(): number {
    return readingMinutes(this.words);
  }

  render(target: RenderTarget = PAGE): string {
    const key = `${target.mode}|${target.idPrefix}|${target.headingShift}`;
    let rendered = this.renders.get(key);
    if (rendered === undefined) {
      rendered = renderHtml(this.html, this.#env(target), this.#images);
      this.renders.set(key, rendered);
    }
    return rendered;
  }

  /** The HTML for a target, not kept: a one-off build asks for each once. */
  take(target: RenderTarget = PAGE): string {
    return renderHtml(this.html, this.#env(target), this.#images);
  }

  #env(target: RenderTarget): MarkdownEnv {
    return { ...target, urls: this.urls, sitePath: this.sitePath, footnoteProblems: [], media: this.media };
  }
}

const START_TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)(\s*\/?)>/g;
const REWRITTEN_ATTRIBUTE = /(\s)(href|src|id)(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;
const HEADING = /<(\/?)h([1-6])\b/gi;
const RAW_TEXT = /<(script|style|textarea)\b[\s\S]*?<\/\1\s*>/gi;

function renderHtml(html: string, env: MarkdownEnv, images: readonly HtmlImage[]): string {
  // Images shown through the pipeline have their final URLs, and scripts and
  // styles keep their text as written (a `<a href` inside them is not a link).
  const kept: string[] = [];
  const keep = (block: string) => `\u0000${kept.push(block) - 1}\u0000`;
  let out = showHtmlImages(html, images, env, keep).replace(RAW_TEXT, keep);
  out = out.replace(START_TAG, (tag, name: string, attributes: string, close: string) => {
    const rewritten = attributes.replace(
      REWRITTEN_ATTRIBUTE,
      (_match, space: string, attribute: string, equals: string, double?: string, single?: string, bare?: string) => {
        const value = decodeAmpersands(double ?? single ?? bare ?? "");
        const next = attribute.toLowerCase() === "id" ? env.idPrefix + value : rewriteHref(value, env);
        return `${space}${attribute}${equals}"${next.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"`;
      },
    );
    return `<${name}${rewritten}${close}>`;
  });
  if (env.headingShift !== 0)
    out = out.replace(HEADING, (_match, slash: string, level: string) => `<${slash}h${Math.min(6, Number(level) + env.headingShift)}`);
  return out.replace(/\u0000(\d+)\u0000/g, (_match, index: string) => kept[Number(index)]!);
}

function decodeAmpersands(value: string): string {
  return value
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&apos;/g, "'");
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  hellip: "...",
  mdash: "-",
  ndash: "-",
  rsquo: "'",
  lsquo: "'",
  rdquo: '"',
  ldquo: '"',
};

/** Text as a reader sees it: no tags, comments, scripts or styles; entities read. */
function textOf(html: string): string {
  return (
    html
      .replace(/<!--[\s\S]*?-->/g, " ")
      .replace(RAW_TEXT, " ")
      // Block boundaries and line breaks separate words; inline tags (`<em>`) do not.
      .replace(/<\/?(?:br|p|div|li|ul|ol|h[1-6]|pre|blockquote|tr|td|th|table|hr|img|figure|figcaption|section|iframe)\b[^>]*>/gi, " ")
      .replace(/<[^>]*>/g, "")
      .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
        if (body[0] === "#") return codePoint(body[1]?.toLowerCase() === "x" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10), entity);
        return ENTITIES[body.toLowerCase()] ?? entity;
      })
  );
}

/** The text before `<!--more-->`, or else the first paragraph's. */
function excerptOf(html: string): string {
  const more = html.search(/<!--\s*more\s*-->/);
  const head = more === -1 ? (/<p\b[^>]*>([\s\S]*?)<\/p>/i.exec(html)?.[1] ?? html.split(/\n\s*\n/)[0] ?? "") : html.slice(0, more);
  return textOf(head).replace(/\s+/g, " ").trim();
}

function codePoint(value: number, entity: string): string {
  return Number.isInteger(value) && value >= 0 && value <= 0x10ffff ? String.fromCodePoint(value) : entity;
}
