import type { MarkdownIt, StateCore, Token } from "markdown-it";
import { envRule, type FootnoteProblem, type MarkdownEnv } from "./markdown-env.ts";
import { detached } from "./memory.ts";

/** A note as the notes index and sidenotes need it. */
export interface FootnoteSummary {
  tag: string;
  number: number;
  /** How many times the text refers to it. */
  references: number;
  /** The note's inline content, rendered for the page. */
  html: string;
}

/**
 * Ids follow kramdown, the old blog's engine: `fn:tag` for the note,
 * `fnref:tag` for the first reference and `fnref:tag:2` for the second.
 * They come from the author's tag, so inserting an earlier note never moves them.
 */
export const noteId = (tag: string) => `fn:${tag}`;
export const referenceId = (tag: string, occurrence: number) => (occurrence === 0 ? `fnref:${tag}` : `fnref:${tag}:${occurrence + 1}`);

const UNRESOLVED_REFERENCE = /\[\^([^\]\n]+)\]/g;

/** What a footnote tag may be (README, "Footnotes and links"): it becomes part of the note's id. */
export const FOOTNOTE_TAG = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const TAG_PATTERN_MESSAGE = "a footnote tag is letters, digits, - and _ (like [^forcing-function]), with no spaces";

interface FootnoteState {
  refs?: Record<string, number>;
  list?: Array<{ label?: string; count: number; tokens?: Token[] }>;
}

/** Definitions' inline tokens, kept for sidenotes (the tail rule moves them to the end). */
const DEFINITIONS = Symbol("footnote definitions");
type EnvWithDefinitions = MarkdownEnv & { footnotes?: FootnoteState; [DEFINITIONS]?: Map<string, Token[]> };

export function installTaggedFootnotes(md: MarkdownIt): void {
  md.core.ruler.before("footnote_tail", "footnote_check", checkFootnotes);
  const { escapeHtml } = md.utils;

  md.renderer.rules.footnote_ref = envRule((tokens, index, options, env) => {
    const { id, subId, label } = tokens[index]!.meta as { id: number; subId: number; label: string };
    const number = id + 1;
    const reference = `<sup class="fn-ref"><a href="${escapeHtml(noteHref(label, env))}" id="${escapeHtml(env.idPrefix + referenceId(label, subId))}" role="doc-noteref" aria-label="Note ${number}">${number}</a></sup>`;
    if (env.mode !== "page" || subId > 0) return reference;
    // The sidenote repeats the note beside the text for wide screens. It is hidden
    // from assistive technology, from the tab order and from the site search: the endnote is the real one.
    const inlines = (env as EnvWithDefinitions)[DEFINITIONS]?.get(label) ?? [];
    const content = inlines.map((inline) => md.renderer.renderInline(inline.children ?? [], options, { ...env, inSidenote: true })).join(" ");
    return `${reference}<span class="sidenote" aria-hidden="true" data-pagefind-ignore><span class="sidenote-number">${number}</span> ${content}</span>`;
  });

  md.renderer.rules.footnote_block_open = envRule((_tokens, _index, _options, env) => {
    const headingId = `${env.idPrefix}footnotes-heading`;
    const level = Math.min(6, 2 + env.headingShift);
    // Several posts on one page (pages/series-all.njk) each have a "Notes" landmark; naming each
    // after its part's heading (id = the prefix without its dash) keeps the landmarks distinguishable.
    const labelledBy = env.idPrefix ? `${headingId} ${env.idPrefix.replace(/-$/, "")}` : headingId;
    return `<section class="footnotes" role="doc-endnotes" aria-labelledby="${escapeHtml(labelledBy)}">\n<h${level} id="${escapeHtml(headingId)}">Notes</h${level}>\n<ol class="footnotes-list">\n`;
  });
  md.renderer.rules.footnote_block_close = () => "</ol>\n</section>\n";
  md.renderer.rules.footnote_open = envRule((tokens, index, _options, env) => {
    const { label } = tokens[index]!.meta as { label: string };
    return `<li id="${escapeHtml(env.idPrefix + noteId(label))}" class="footnote-item">`;
  });
  md.renderer.rules.footnote_close = () => "</li>\n";
  md.renderer.rules.footnote_anchor = envRule((tokens, index, _options, env) => {
    const { id, subId, label } = tokens[index]!.meta as { id: number; subId: number; label: string };
    const target = `#${referenceId(label, subId)}`;
    const href = env.mode === "feed" ? `${env.urls.absolute(env.sitePath)}${target}` : `#${env.idPrefix}${target.slice(1)}`;
    const name = subId === 0 ? `Back to reference ${id + 1}` : `Back to reference ${id + 1}, use ${subId + 1}`;
    // ↩︎ as character references: pages whose text stays within Latin-1 are held
    // by V8 at one byte per character, which at thousands of pages saves memory.
    return ` <a href="${escapeHtml(href)}" class="footnote-backref" role="doc-backlink" aria-label="${name}">&#8617;&#65038;</a>`;
  });

  // Links inside a sidenote copy stay clickable but out of the tab order.
  const linkOpen = md.renderer.rules.link_open;
  md.renderer.rules.link_open = envRule((tokens, index, options, env, self) => {
    const html = linkOpen ? linkOpen(tokens, index, options, env, self) : self.renderToken(tokens, index, options);
    return env.inSidenote === true ? html.replace(/^<a /, '<a tabindex="-1" ') : html;
  });
}

function noteHref(label: string, env: MarkdownEnv): string {
  const fragment = noteId(label);
  return env.mode === "feed" ? `${env.urls.absolute(env.sitePath)}#${fragment}` : `#${env.idPrefix}${fragment}`;
}

/** Runs after inline parsing: every tag defined once, every reference defined, every definition used. */
function checkFootnotes(state: StateCore): void {
  // SAFETY: every parse in this project passes a MarkdownEnv (see ParsedPost).
  const env = state.env as unknown as EnvWithDefinitions;
  const problems = env.footnoteProblems;
  const definitions = new Map<string, Token[]>();
  const definitionLines = new Map<string, number | undefined>();
  let currentLabel: string | undefined;

  for (const [index, token] of state.tokens.entries()) {
    if (token.type === "footnote_reference_open") {
      const label = (token.meta as { label: string }).label;
      const line = definitionLine(state.tokens, index);
      if (!FOOTNOTE_TAG.test(label)) problems.push({ line, tag: label, message: `footnote [^${label}] has a tag the site cannot use; ${TAG_PATTERN_MESSAGE}` });
      if (definitions.has(label)) {
        const first = definitionLines.get(label);
        // Lines here count from the body's start; the distance reads the same in the file.
        const earlier =
          first === undefined || line === undefined ? "" : ` (the first definition is ${line - first} line${line - first === 1 ? "" : "s"} above)`;
        problems.push({ line, tag: label, message: `footnote [^${label}] is defined twice${earlier}; keep one definition or give the other a new tag` });
      } else {
        definitions.set(label, []);
        definitionLines.set(label, line);
      }
      currentLabel = label;
    } else if (token.type === "footnote_reference_close") {
      currentLabel = undefined;
    } else if (token.type === "inline") {
      if (currentLabel !== undefined) definitions.get(currentLabel)?.push(token);
      problems.push(...inlineReferenceProblems(token));
    }
  }

  problems.push(...malformedDefinitions(state));

  const refs = env.footnotes?.refs ?? {};
  for (const [label, line] of definitionLines) {
    if ((refs[`:${label}`] ?? -1) < 0) {
      problems.push({
        line,
        tag: label,
        message: `footnote [^${label}] is defined but never referenced; add [^${label}] where it belongs in the text, or delete the definition`,
      });
    }
  }
  env[DEFINITIONS] = definitions;
}

/** References in one inline token that resolve to no note: inline notes, and tags without a definition. */
function inlineReferenceProblems(token: Token): FootnoteProblem[] {
  const problems: FootnoteProblem[] = [];
  // Line breaks inside the paragraph say which of its lines a mistake is on.
  let line = token.map ? token.map[0] + 1 : undefined;
  for (const child of token.children ?? []) {
    if ((child.type === "softbreak" || child.type === "hardbreak") && line !== undefined) line++;
    if (child.type === "footnote_ref" && !(child.meta as { label?: string }).label) {
      problems.push({
        line,
        tag: "^[...]",
        message: "inline footnotes ^[...] have no tag to give them a stable id; write text[^tag] and a definition [^tag]: ...",
      });
    }
    if (child.type !== "text") continue;
    for (const match of child.content.matchAll(UNRESOLVED_REFERENCE)) {
      const tag = match[1] ?? "";
      // markdown-it reads no note from a tag with a space: its text and definition stay in the paragraph.
      if (!FOOTNOTE_TAG.test(tag)) problems.push({ line, tag, message: `[^${tag}] is not a footnote: ${TAG_PATTERN_MESSAGE}` });
      else problems.push({ line, tag, message: `footnote reference [^${tag}] has no definition; add a line "[^${tag}]: ..." to the post, or fix the tag` });
    }
  }
  return problems;
}

const DEFINITION_LINE = /^ {0,3}\[\^([^\]\n]+)\]:/;

/**
 * `[^c d]: note` is not a footnote to markdown-it (a tag has no spaces) but a
 * link reference definition: it vanishes, and every `[^c d]` becomes a link to
 * "note". Such definitions are found among the parse's link references.
 */
function malformedDefinitions(state: StateCore): FootnoteProblem[] {
  const references = (state.env as { references?: Record<string, unknown> }).references ?? {};
  if (!Object.keys(references).some((key) => key.startsWith("^"))) return [];
  const problems: FootnoteProblem[] = [];
  state.src.split("\n").forEach((text, index) => {
    const tag = DEFINITION_LINE.exec(text)?.[1];
    if (tag === undefined || FOOTNOTE_TAG.test(tag) || !(`^${tag}`.toUpperCase().replace(/\s+/g, " ") in references)) return;
    problems.push({ line: index + 1, tag, message: `[^${tag}] is not a footnote: ${TAG_PATTERN_MESSAGE}` });
  });
  return problems;
}

/**
 * The 1-based line of the definition opened at `index`. markdown-it-footnote
 * gives the opening token no source map, but the note's first block has one.
 */
function definitionLine(tokens: readonly Token[], index: number): number | undefined {
  for (let next = index; next < tokens.length; next++) {
    const token = tokens[next]!;
    if (token.map) return token.map[0] + 1;
    if (token.type === "footnote_reference_close") break;
  }
  return undefined;
}

/** The notes of a parsed post in reading order, for the notes index. */
export function summariseFootnotes(md: MarkdownIt, env: MarkdownEnv): FootnoteSummary[] {
  const state = env as EnvWithDefinitions;
  const list = state.footnotes?.list ?? [];
  return list.flatMap((entry, index) => {
    if (entry.label === undefined) return [];
    const inlines = state[DEFINITIONS]?.get(entry.label) ?? [];
    const html = detached(inlines.map((inline) => md.renderer.renderInline(inline.children ?? [], md.options, env)).join(" "));
    return [{ tag: entry.label, number: index + 1, references: entry.count, html }];
  });
}
