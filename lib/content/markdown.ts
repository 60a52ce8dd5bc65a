import markdownIt from "markdown-it";
import type { MarkdownIt, StateCore, Token } from "markdown-it";
import footnotePlugin from "markdown-it-footnote";
import { installTaggedFootnotes } from "./footnotes.ts";
import { attribute, envRule, type MarkdownEnv } from "./markdown-env.ts";
import { installMedia } from "./media.ts";

export function createMarkdown(): MarkdownIt {
  // Raw HTML is the author's own; typographer off so the author's quotes and dashes stay as typed.
  const md = markdownIt({ html: true, linkify: false, typographer: false });
  md.use(footnotePlugin);
  installTaggedFootnotes(md);
  md.core.ruler.after("inline", "kramdown_heading_ids", assignHeadingIds);
  installHeadingRenderer(md);
  installLinkRewriter(md);
  installMedia(md);
  return md;
}

/**
 * kramdown's auto-id rule (the old Jekyll blog's), so `#fragment` links into
 * the old posts keep working: drop leading non-letters, keep [a-zA-Z0-9 -],
 * spaces to hyphens, lower case; repeats get -1, -2.
 */
export function kramdownId(text: string): string {
  const id = text
    .replace(/^[^a-zA-Z]+/, "")
    .replace(/[^a-zA-Z0-9 -]/g, "")
    .replace(/ /g, "-")
    .toLowerCase();
  return id === "" ? "section" : id;
}

function assignHeadingIds(state: StateCore): void {
  const seen = new Map<string, number>();
  for (let index = 0; index < state.tokens.length; index++) {
    const token = state.tokens[index];
    if (token?.type !== "heading_open" || token.attrGet("id") !== null) continue;
    const base = kramdownId(inlineText(state.tokens[index + 1]?.children ?? []));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    token.attrSet("id", count === 0 ? base : `${base}-${count}`);
  }
}

/** The plain text of inline tokens (text and code spans), for ids and excerpts. */
export function inlineText(children: readonly Token[]): string {
  let text = "";
  for (const child of children) {
    if (child.type === "text" || child.type === "code_inline") text += child.content;
    else if (child.type === "softbreak" || child.type === "hardbreak") text += " ";
    else if (child.type === "image") text += inlineText(child.children ?? []);
  }
  return text;
}

/**
 * Each heading links to itself, so a reader can copy a link to the section:
 * its text is the link (as on MDN), so the heading's name and the link's name
 * are the heading's words. A heading that holds a link of its own gets none:
 * links cannot nest. Feeds have no use for them.
 */
function installHeadingRenderer(md: MarkdownIt): void {
  const { escapeHtml } = md.utils;
  const shifted = (tag: string, env: MarkdownEnv) => `h${Math.min(6, Number(tag.slice(1)) + env.headingShift)}`;
  const selfLinked = (open: Token | undefined, inline: Token | undefined, env: MarkdownEnv): string | undefined => {
    const id = open === undefined ? null : attribute(open, "id");
    if (id === null || env.mode === "feed" || inline?.children?.some((child) => child.type === "link_open")) return undefined;
    return env.idPrefix + id;
  };
  md.renderer.rules.heading_open = envRule((tokens, index, _options, env) => {
    const token = tokens[index]!;
    const attributes = (token.attrs ?? [])
      .map(([name, value]) => ` ${name}="${escapeHtml(name === "id" ? env.idPrefix + String(value) : String(value))}"`)
      .join("");
    const target = selfLinked(token, tokens[index + 1], env);
    return `<${shifted(token.tag, env)}${attributes}>${target === undefined ? "" : `<a class="self-link" href="#${escapeHtml(target)}">`}`;
  });
  md.renderer.rules.heading_close = envRule((tokens, index, _options, env) => {
    const linked = selfLinked(tokens[index - 2], tokens[index - 1], env) !== undefined;
    return `${linked ? "</a>" : ""}</${shifted(tokens[index]!.tag, env)}>\n`;
  });
}

/** Rewrites the author's links for the render target; see SiteUrls for the rules. */
export function rewriteHref(href: string, env: MarkdownEnv): string {
  if (href.startsWith("#")) {
    return env.mode === "feed" ? `${env.urls.absolute(env.sitePath)}#${href.slice(1)}` : `#${env.idPrefix}${href.slice(1)}`;
  }
  const sitePath = env.urls.toSitePath(href);
  if (sitePath !== undefined) return env.mode === "feed" ? env.urls.absolute(sitePath) : env.urls.href(sitePath);
  if (env.mode === "feed" && !/^[a-z][a-z0-9+.-]*:/i.test(href)) {
    // Relative to the post's own URL; feed readers have no base to resolve it against.
    return new URL(href, env.urls.absolute(env.sitePath)).href;
  }
  return href;
}

function installLinkRewriter(md: MarkdownIt): void {
  const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
  md.renderer.rules.link_open = envRule((tokens, index, options, env, self) => {
    const token = tokens[index]!;
    const href = attribute(token, "href");
    if (href !== null) token.attrSet("href", rewriteHref(href, env));
    const html = defaultLinkOpen(tokens, index, options, env, self);
    if (href !== null) token.attrSet("href", href); // tokens are rendered more than once
    return html;
  });
  const defaultImage = md.renderer.rules.image!;
  md.renderer.rules.image = envRule((tokens, index, options, env, self) => {
    const token = tokens[index]!;
    const src = attribute(token, "src");
    if (src !== null) token.attrSet("src", rewriteHref(src, env));
    if (env.mode === "page") token.attrSet("loading", "lazy");
    const html = defaultImage(tokens, index, options, env, self);
    if (src !== null) token.attrSet("src", src);
    return html;
  });
}
