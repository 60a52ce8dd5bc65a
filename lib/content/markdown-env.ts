import type { MarkdownItOptions, Renderer, RendererRule, Token } from "markdown-it";
import type { DescribedImage } from "./images.ts";
import type { MediaProblem, PostMedia } from "./media.ts";
import type { SiteUrls } from "./site-urls.ts";

/*
 * What every render rule of this project reads: the render target and the
 * post's place on the site. The markdown setup (markdown.ts) and the footnote
 * rules (footnotes.ts) both build on it.
 */

/** What a render is for: changes URLs and ids, never the words. */
export interface RenderTarget {
  /** `page`: site-relative URLs and sidenotes; `feed`: absolute URLs, no sidenotes. */
  mode: "page" | "feed";
  /** Prefixed to every id and same-page fragment, so several posts can share a page. */
  idPrefix: string;
  /** Added to heading levels: a post's `##` becomes `<h3>` under a part's `<h2>`. */
  headingShift: number;
}

/** A footnote mistake, with its line in the markdown body (1-based). */
export interface FootnoteProblem {
  line: number | undefined;
  tag: string;
  message: string;
}

export interface MarkdownEnv extends RenderTarget {
  urls: SiteUrls;
  /** The post's own site path, for absolute fragment links in feeds. */
  sitePath: string;
  footnoteProblems: FootnoteProblem[];
  /** The post's file and the build's images; without it, images are left as written. */
  media?: PostMedia;
  /** Found while parsing: missing images, empty alt text, unknown code languages. */
  mediaProblems?: MediaProblem[];
  /** The images a parse found, for the dev server's check that they are unchanged. */
  imagesDescribed?: DescribedImage[];
  /** Other local files a parse found (a post's PDF): a cached rendering holds while they exist. */
  filesFound?: string[];
  /** Images rendered so far in this rendering: all but the first load lazily. */
  imagesShown?: number;
  [key: string | symbol]: unknown;
}

type EnvRule = (tokens: Token[], index: number, options: Required<MarkdownItOptions>, env: MarkdownEnv, self: Renderer) => string;

/** A render rule that reads this project's env. */
export function envRule(rule: EnvRule): RendererRule {
  // SAFETY: every parse and render in this project passes a MarkdownEnv (see ParsedPost).
  return (tokens, index, options, env, self) => rule(tokens, index, options, env as MarkdownEnv, self);
}

/** An attribute's value as text (markdown-it types allow numbers). */
export function attribute(token: Token, name: string): string | null {
  const value = token.attrGet(name);
  return value === null ? null : String(value);
}
