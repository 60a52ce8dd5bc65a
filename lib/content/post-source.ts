import type { MarkdownIt, Token } from "markdown-it";
import { summariseFootnotes, type FootnoteProblem, type FootnoteSummary } from "./footnotes.ts";
import { inlineText, type MarkdownEnv, type RenderTarget } from "./markdown.ts";
import type { SiteUrls } from "./site-urls.ts";

const WORDS_PER_MINUTE = 230;
const MORE_MARKER = /^<!--\s*more\s*-->$/;

export const PAGE: RenderTarget = { mode: "page", idPrefix: "", headingShift: 0 };
export const FEED: RenderTarget = { mode: "feed", idPrefix: "", headingShift: 0 };

/**
 * One post's markdown, parsed once. Renders for pages, feeds and the one-page
 * series reuse the same tokens, and are made only when first asked for.
 */
export class ParsedPost {
  readonly footnoteProblems: FootnoteProblem[];
  readonly footnotes: FootnoteSummary[];
  readonly words: number;
  readonly excerpt: string;
  private readonly tokens: Token[];
  private readonly env: MarkdownEnv;
  private readonly renders = new Map<string, string>();

  constructor(
    private readonly md: MarkdownIt,
    body: string,
    urls: SiteUrls,
    sitePath: string,
  ) {
    this.env = { ...PAGE, urls, sitePath, footnoteProblems: [] };
    this.tokens = md.parse(body, this.env);
    this.footnoteProblems = this.env.footnoteProblems;
    this.footnotes = summariseFootnotes(md, this.env);
    this.words = countWords(this.tokens);
    this.excerpt = excerptOf(this.tokens);
  }

  get readingMinutes(): number {
    return Math.max(1, Math.round(this.words / WORDS_PER_MINUTE));
  }

  render(target: RenderTarget = PAGE): string {
    const key = `${target.mode}|${target.idPrefix}|${target.headingShift}`;
    let html = this.renders.get(key);
    if (html === undefined) {
      html = this.md.renderer.render(this.tokens, this.md.options, { ...this.env, ...target });
      this.renders.set(key, html);
    }
    return html;
  }
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
    words += inlineText(token.children ?? []).split(/\s+/).filter(Boolean).length;
  }
  return words;
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
