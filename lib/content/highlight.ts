import { createRequire } from "node:module";

/**
 * Build-time highlighting with Prism, chosen over Shiki by measurement
 * (`npm run bench -- --highlighters`): on this blog's languages Prism coloured
 * as many hand-checked tokens right or more, at a twentieth of the cost.
 *
 * The page's CSP allows no inline styles, so tokens carry short classes
 * (Pygments' names), and the colours, light and dark, are in
 * assets/scss/_code.scss. Prism's token stream is written out here rather than
 * with its own HTML, which spends `class="token keyword"` on every token.
 */
const LANGUAGES = [
  "csharp",
  "typescript",
  "javascript",
  "jsx",
  "tsx",
  "sql",
  "bash",
  "powershell",
  "yaml",
  "json",
  "markup",
  "css",
  "scss",
  "diff",
  "python",
  "java",
  "go",
  "ruby",
  "ini",
  "toml",
  "docker",
  "markdown",
  "fsharp",
  "vbnet",
];

/** Info strings Prism has no alias for. */
const ALIASES: Record<string, string> = {
  "c#": "csharp",
  "f#": "fsharp",
  zsh: "bash",
  shellscript: "bash",
  jsonc: "json",
  vb: "vbnet",
  ps1: "powershell",
  ps: "powershell",
  dockerfile: "docker",
  yml: "yaml",
  html: "markup",
  xml: "markup",
};

/** Display names for a block's accessible name; others show their info string. */
const NAMES: Record<string, string> = {
  csharp: "C#",
  typescript: "TypeScript",
  javascript: "JavaScript",
  jsx: "JSX",
  tsx: "TSX",
  sql: "SQL",
  bash: "Shell",
  powershell: "PowerShell",
  yaml: "YAML",
  json: "JSON",
  css: "CSS",
  scss: "SCSS",
  python: "Python",
  java: "Java",
  go: "Go",
  ruby: "Ruby",
  fsharp: "F#",
  vbnet: "VB.NET",
  docker: "Dockerfile",
  markdown: "Markdown",
  ini: "INI",
  toml: "TOML",
  diff: "Diff",
};

/** Info strings that mean "no language": rendered plain, without a warning. */
const PLAIN = new Set(["", "text", "txt", "plain", "plaintext", "output", "console"]);

/** Prism's token types → the class a token gets (the kinds a reader tells apart). Others render plain. */
const TOKEN_CLASSES: Record<string, string> = {
  comment: "c",
  prolog: "c",
  doctype: "c",
  cdata: "c",
  keyword: "k",
  boolean: "k",
  important: "k",
  atrule: "k",
  null: "k",
  nil: "k",
  string: "s",
  char: "s",
  "attr-value": "s",
  "template-string": "s",
  url: "s",
  regex: "s",
  number: "m",
  constant: "m",
  function: "nf",
  "class-name": "nf",
  tag: "nf",
  builtin: "nf",
  selector: "nf",
  key: "nf",
  property: "nf",
  "attr-name": "nv",
  variable: "nv",
  parameter: "nv",
  inserted: "gi",
  deleted: "gd",
};

/** Columns that fit a code block at 320 px; a longer line scrolls, so its block takes keyboard focus. */
export const NARROWEST_COLUMNS = 32;

interface PrismToken {
  type: string;
  alias?: string | string[];
  content: PrismStream;
}
type PrismStream = string | PrismToken | Array<string | PrismToken>;
interface Prism {
  languages: Record<string, object | undefined>;
  tokenize(code: string, grammar: object): Array<string | PrismToken>;
}

let prism: Prism | undefined;

function loadPrism(): Prism {
  if (!prism) {
    const require = createRequire(import.meta.url);
    prism = require("prismjs") as Prism;
    (require("prismjs/components/") as (languages: string[]) => void)(LANGUAGES);
  }
  return prism;
}

function grammarName(language: string): string {
  return ALIASES[language] ?? language;
}

export interface HighlightedBlock {
  /** The block's `<code>` contents, escaped, with token spans where the language is known. */
  html: string;
  /** The language's display name (`C#`), or undefined when rendered plain. */
  language: string | undefined;
}

/** The language a fence's info string names: its first word, lower case (`C#` → `c#`). */
export function fenceLanguage(info: string): string {
  return info.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
}

/** Whether a fence's language is highlighted, or meant plain; anything else gets a warning. */
export function isKnownLanguage(language: string): boolean {
  return PLAIN.has(language) || typeof loadPrism().languages[grammarName(language)] === "object";
}

export function highlight(code: string, language: string, escapeHtml: (text: string) => string): HighlightedBlock {
  const grammar = PLAIN.has(language) ? undefined : loadPrism().languages[grammarName(language)];
  if (typeof grammar !== "object") return { html: escapeHtml(code), language: undefined };
  let html = "";
  const write = (stream: PrismStream, inherited: string | undefined) => {
    if (typeof stream === "string") {
      html += inherited === undefined ? escapeHtml(stream) : `<span class="${inherited}">${escapeHtml(stream)}</span>`;
    } else if (Array.isArray(stream)) {
      for (const part of stream) write(part, inherited);
    } else {
      const aliases = Array.isArray(stream.alias) ? stream.alias : stream.alias === undefined ? [] : [stream.alias];
      const own = [stream.type, ...aliases].map((name) => TOKEN_CLASSES[name]).find((name) => name !== undefined);
      write(stream.content, own ?? inherited);
    }
  };
  write(loadPrism().tokenize(code, grammar), undefined);
  return { html, language: NAMES[grammarName(language)] ?? language };
}

/** The widest line, in characters: whether a block will scroll on a phone. */
export function longestLine(code: string): number {
  let longest = 0;
  for (const line of code.split("\n")) longest = Math.max(longest, line.length);
  return longest;
}
