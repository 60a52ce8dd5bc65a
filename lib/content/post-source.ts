import type { MarkdownIt, Token } from "markdown-it";
import { summariseFootnotes, type FootnoteSummary } from "./footnotes.ts";
import type { FootnoteProblem, MarkdownEnv, RenderTarget } from "./markdown-env.ts";
import { inlineText } from "./markdown.ts";
import { detached } from "./memory.ts";
import type { DescribedImage } from "./images.ts";
import type { MediaProblem, PostMedia } from "./media.ts";
import type { SiteUrls } from "./site-urls.ts";

const WORDS_PER_MINUTE = 230;
const MORE_MARKER = /^<!--\s*more\s*-->$/;

export const PAGE: RenderTarget = { mode: "page", idPrefix: "", headingShift: 0 };
export const FEED: RenderTarget = { mode: "feed", idPrefix: "", headingShift: 0 };

/** A part of a series on the one-page series: ids prefixed per part, headings one level down. */
export function partTarget(part: number): RenderTarget {
  return { mode: "page", idPrefix: `part${part}-`, headingShift: 1 };
}

/** A render target as text: the key its HTML is kept and cached under. */
export const targetKey = (target: RenderTarget) => `${target.mode}|${target.idPrefix}|${target.headingShift}`;

/**
 * One post's markdown, parsed once and rendered at once for every target the
 * site uses (its page, the feeds, its place on the one-page series). The tokens
 * are then let go: they are several times the size of the HTML, and a site of
 * thousands of posts would otherwise hold all of them until the build ends.
 */
export class ParsedPost {
  readonly footnoteProblems: FootnoteProblem[];
  readonly mediaProblems: MediaProblem[];
  /** The images the post shows, as described when it was parsed. */
  readonly images: DescribedImage[];
  /** Other local files the post points at, found when it was parsed. */
  readonly files: string[];
  readonly footnotes: FootnoteSummary[];
  readonly words: number;
  readonly excerpt: string;
  readonly hasRawHtml: boolean;
  private readonly renders = new Map<string, string>();
  /** The markdown, kept for a later rendering unless it can be read again. */
  private readonly body: string | undefined;

  /**
   * With `readBodyAgain`, the markdown is not kept: a one-off build renders
   * each post once per target, and a rendering asked for a second time reads it
   * again. A few thousand posts' markdown is tens of megabytes held to the end.
   */
  constructor(
    private readonly md: MarkdownIt,
    body: string,
    private readonly urls: SiteUrls,
    private readonly sitePath: string,
    targets: readonly RenderTarget[],
    private readonly readBodyAgain?: () => string,
    private readonly media?: PostMedia,
  ) {
    this.body = readBodyAgain ? undefined : body;
    // The parse's env holds the footnotes' tokens: kept in a field, it would keep them all.
    const env = this.freshEnv();
    const tokens = md.parse(body, env);
    this.footnoteProblems = env.footnoteProblems;
    this.mediaProblems = env.mediaProblems ?? [];
    this.images = env.imagesDescribed ?? [];
    this.files = env.filesFound ?? [];
    this.footnotes = summariseFootnotes(md, env);
    this.words = countWords(tokens);
    this.excerpt = detached(excerptOf(tokens));
    this.hasRawHtml = tokens.some((token) => token.type === "html_block" || token.children?.some((child) => child.type === "html_inline"));
    for (const target of targets) this.renders.set(targetKey(target), this.renderTokens(tokens, env, target));
  }

  get readingMinutes(): number {
    return readingMinutes(this.words);
  }

  /**
   * The HTML for a target. A one-off build (given `readBodyAgain`) hands each
   * rendering over once and keeps nothing (see memory.ts); the dev server
   * keeps it for its next rebuild. A later request renders again.
   */
  render(target: RenderTarget = PAGE): string {
    const key = targetKey(target);
    const html = this.renders.get(key) ?? this.renderAgain(target);
    if (this.readBodyAgain) this.renders.delete(key);
    else this.renders.set(key, html);
    return html;
  }

  /** A target not rendered up front (or already taken): parse again rather than keep tokens for it. */
  private renderAgain(target: RenderTarget): string {
    const env = this.freshEnv();
    return this.renderTokens(this.md.parse(this.body ?? this.readBodyAgain!(), env), env, target);
  }

  /** Parsing writes footnote state into its env, so every parse needs a new one. */
  private freshEnv(): MarkdownEnv {
    return { ...PAGE, urls: this.urls, sitePath: this.sitePath, footnoteProblems: [], media: this.media };
  }

  private renderTokens(tokens: Token[], env: MarkdownEnv, target: RenderTarget): string {
    return this.md.renderer.render(tokens, this.md.options, { ...env, ...target });
  }
}

export function readingMinutes(words: number): number {
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE));
}

function isInsideNotes(token: Token, depth: { notes: number }): boolean {
  if (token.type === "footnote_block_open") depth.notes++;
  if (token.type === "footnote_block_close") depth.notes--;
  return depth.notes > 0;
}

function countWords(tokens: readonly Token[]): number {
  const depth = { notes: 0 };
  let words = 0;
  for (const token of tokens) {
    if (isInsideNotes(token, depth) || token.type !== "inline") continue;
    words += wordsIn(inlineText(token.children ?? []));
  }
  return words;
}

/** Runs of non-space characters, counted without making a string of each: thousands of posts have millions of words. */
export function wordsIn(text: string): number {
  let words = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index++) {
    const space = isWhitespace(text.charCodeAt(index));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** What `\s` matches: ASCII spaces and line ends, Unicode space separators, line and paragraph separators, and the BOM. */
function isWhitespace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** The text before `<!--more-->`, or else the first paragraph. */
function excerptOf(tokens: readonly Token[]): string {
  const marker = tokens.findIndex((token) => token.type === "html_block" && MORE_MARKER.test(token.content.trim()));
  const paragraphs: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (marker !== -1 && index >= marker) break;
    if (token.type === "footnote_block_open") break;
    if (token.type === "paragraph_open" && tokens[index + 1]?.type === "inline") {
      paragraphs.push(inlineText(tokens[index + 1]!.children ?? []).trim());
      if (marker === -1) break;
    }
  }
  return paragraphs.filter(Boolean).join(" ");
}

/**
 * Shortens text at a word boundary, for meta descriptions and feed summaries.
 * Three dots rather than "…": one character outside Latin-1 makes V8 store a
 * whole page at two bytes per character.
 */
export function clip(text: string, limit = 300): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), limit / 2)).replace(/[\s,;:.-]+$/, "")}...`;
}
