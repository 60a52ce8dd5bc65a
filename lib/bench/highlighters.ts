// Prism (what the site uses, as @11ty/eleventy-plugin-syntaxhighlight does)
// against Shiki (VS Code's TextMate grammars), on the languages this blog's
// posts carry: how many hand-checked tokens each colours as a reader expects,
// and what each costs per post. Run by `npm run bench -- --highlighters`.
//
// Shiki is measured as a CSP-safe page can use it: its css-variables theme
// names each token's kind, which becomes a class (no style= attributes).
import { createCssVariablesTheme, createHighlighterCoreSync, type HighlighterCore } from "shiki/core";
import { createJavaScriptRegexEngine } from "shiki/engine/javascript";
import bash from "shiki/langs/bash.mjs";
import csharp from "shiki/langs/csharp.mjs";
import html from "shiki/langs/html.mjs";
import json from "shiki/langs/json.mjs";
import sql from "shiki/langs/sql.mjs";
import typescript from "shiki/langs/typescript.mjs";
import xml from "shiki/langs/xml.mjs";
import yaml from "shiki/langs/yaml.mjs";
import { highlight } from "../content/highlight.ts";
import { SAMPLE_CODE } from "./corpus.ts";

type Kind = "keyword" | "string" | "comment" | "number" | "name" | "variable";

interface Sample {
  language: string;
  prism: string;
  code: string;
  /** Text in the code and the kind a reader expects it coloured as (first occurrence). */
  expect: Array<[string, Kind]>;
}

const SAMPLES: Sample[] = [
  {
    language: "csharp",
    prism: "csharp",
    code: [
      "// Copies one batch",
      "public sealed record Batch(int Size);",
      "public async Task<int> CopyAsync(Batch batch, CancellationToken token)",
      "{",
      '    var sql = $"SELECT * FROM {table} WHERE id > @id";',
      "    await using var reader = await command.ExecuteReaderAsync(token);",
      "    return batch.Size * 2;",
      "}",
    ].join("\n"),
    expect: [
      ["// Copies one batch", "comment"],
      ["record", "keyword"],
      ["Batch", "name"],
      ["async", "keyword"],
      ["Task", "name"],
      ["CopyAsync", "name"],
      ['"SELECT', "string"],
      ["await", "keyword"],
      ["using", "keyword"],
      ["ExecuteReaderAsync", "name"],
      ["return", "keyword"],
      ["2", "number"],
      ["var", "keyword"],
    ],
  },
  {
    language: "typescript",
    prism: "typescript",
    code: [
      "/** Loads a post. */",
      "export async function load(file: string): Promise<Post> {",
      "  const text = await readFile(file, `utf8`);",
      "  return { file, words: text.split(/\\s+/).length + 1 } satisfies Post;",
      "}",
    ].join("\n"),
    expect: [
      ["/** Loads a post. */", "comment"],
      ["export", "keyword"],
      ["function", "keyword"],
      ["load", "name"],
      ["string", "name"],
      ["Promise", "name"],
      ["`utf8`", "string"],
      ["readFile", "name"],
      ["return", "keyword"],
      ["1", "number"],
      ["satisfies", "keyword"],
    ],
  },
  {
    language: "javascript",
    prism: "javascript",
    code: [
      "// Counts words",
      "const count = (text) => text.split(' ').length;",
      "export default class Counter extends Base {}",
      "if (count('a b') === 2) console.log(\"two\");",
    ].join("\n"),
    expect: [
      ["// Counts words", "comment"],
      ["const", "keyword"],
      ["count", "name"],
      ["' '", "string"],
      ["class", "keyword"],
      ["Counter", "name"],
      ["extends", "keyword"],
      ["2", "number"],
      ['"two"', "string"],
      ["if", "keyword"],
    ],
  },
  {
    language: "sql",
    prism: "sql",
    code: [
      "-- Backfill in batches",
      "UPDATE users SET email_normalised = LOWER(email)",
      "WHERE id BETWEEN 1 AND 1000 AND email LIKE '%@%';",
      "CREATE INDEX CONCURRENTLY ix_users_email ON users (email_normalised);",
    ].join("\n"),
    expect: [
      ["-- Backfill in batches", "comment"],
      ["UPDATE", "keyword"],
      ["SET", "keyword"],
      ["LOWER", "name"],
      ["BETWEEN", "keyword"],
      ["1000", "number"],
      ["'%@%'", "string"],
      ["CREATE", "keyword"],
      ["INDEX", "keyword"],
    ],
  },
  {
    language: "bash",
    prism: "bash",
    code: ["# Deploy the release", 'for host in "${HOSTS[@]}"; do', '  ssh "$host" "systemctl restart app" && echo done', "done", "export PORT=8080"].join(
      "\n",
    ),
    expect: [
      ["# Deploy the release", "comment"],
      ["for", "keyword"],
      ['"${HOSTS[@]}"', "string"],
      ["do", "keyword"],
      ["ssh", "name"],
      ['"systemctl restart app"', "string"],
      ["echo", "name"],
      ["export", "keyword"],
      ["8080", "number"],
    ],
  },
  {
    language: "yaml",
    prism: "yaml",
    code: [
      "# The pipeline",
      "name: release",
      "on:",
      "  push:",
      "    branches: [main]",
      "jobs:",
      "  build:",
      "    timeout-minutes: 30",
      '    run: "npm test"',
    ].join("\n"),
    expect: [
      ["# The pipeline", "comment"],
      ["name", "name"],
      ["release", "string"],
      ["branches", "name"],
      ["timeout-minutes", "name"],
      ["30", "number"],
      ['"npm test"', "string"],
    ],
  },
  {
    language: "json",
    prism: "json",
    code: ["{", '  "title": "The bitter coder",', '  "homePostCount": 10,', '  "draft": false', "}"].join("\n"),
    expect: [
      ['"title"', "name"],
      ['"The bitter coder"', "string"],
      ['"homePostCount"', "name"],
      ["10", "number"],
      ["false", "keyword"],
    ],
  },
  {
    language: "xml",
    prism: "markup",
    code: ['<?xml version="1.0"?>', "<!-- settings -->", '<configuration xmlns="urn:x">', '  <add key="mode" value="blue" />', "</configuration>"].join("\n"),
    expect: [
      ["<!-- settings -->", "comment"],
      ["configuration", "name"],
      ["xmlns", "variable"],
      ['"urn:x"', "string"],
      ["add", "name"],
      ["key", "variable"],
      ['"mode"', "string"],
    ],
  },
  {
    language: "html",
    prism: "markup",
    code: ["<!-- nav -->", '<a href="/about/" class="nav">About</a>', "<script>const x = 1;</script>"].join("\n"),
    expect: [
      ["<!-- nav -->", "comment"],
      ["a", "name"],
      ["href", "variable"],
      ['"/about/"', "string"],
      ["script", "name"],
      ["const", "keyword"],
      ["1", "number"],
    ],
  },
];

/** The site's classes (see highlight.ts) → the kind a reader sees. */
const SITE_KINDS: Record<string, Kind> = { c: "comment", k: "keyword", s: "string", m: "number", nf: "name", nv: "variable" };
/** Shiki's css-variables token kinds → the kind a reader sees. */
const SHIKI_KINDS: Record<string, Kind> = {
  comment: "comment",
  keyword: "keyword",
  string: "string",
  "string-expression": "string",
  constant: "number",
  function: "name",
  parameter: "variable",
  link: "string",
};

/** The kind of every character of the code, by what a highlighter coloured it. */
type Kinds = Array<Kind | undefined>;

/** The site's HTML (spans with a class, plain text between) as the kind of each character. */
function prismKinds(code: string, language: string): Kinds {
  const kinds: Kinds = [];
  for (const [, className, inSpan, plain] of highlight(code, language, escapeHtml).html.matchAll(/<span class="([a-z]+)">([^<]*)<\/span>|([^<]+)/g)) {
    for (const _ of unescapeHtml(inSpan ?? plain ?? "")) kinds.push(className === undefined ? undefined : SITE_KINDS[className]);
  }
  return kinds;
}

let shiki: HighlighterCore | undefined;
const TOKEN_VARIABLE = /^var\(--shiki-token-([a-z-]+)\)$/;

function shikiTokens(code: string, language: string): Array<{ content: string; kind: Kind | undefined }> {
  shiki ??= createHighlighterCoreSync({
    themes: [createCssVariablesTheme({ name: "classes", variablePrefix: "--shiki-" })],
    langs: [bash, csharp, html, json, sql, typescript, xml, yaml],
    engine: createJavaScriptRegexEngine(),
  });
  // Shiki gives up on a line after 500 ms and colours the rest as one token; its
  // first lines, while it compiles a grammar's patterns, can take that long.
  const lines = shiki.codeToTokensBase(code, { lang: language, theme: "classes", tokenizeTimeLimit: 60_000 });
  return lines.flatMap((line, index) => [
    ...(index > 0 ? [{ content: "\n", kind: undefined }] : []),
    ...line.map((token) => ({ content: token.content, kind: SHIKI_KINDS[TOKEN_VARIABLE.exec(token.color ?? "")?.[1] ?? ""] })),
  ]);
}

function shikiKinds(code: string, language: string): Kinds {
  return shikiTokens(code, language).flatMap(({ content, kind }) => Array.from(content, () => kind));
}

function score(code: string, kinds: Kinds, expectations: Sample["expect"]): number {
  let right = 0;
  for (const [text, kind] of expectations) {
    const start = code.indexOf(text);
    if (start === -1) throw new Error(`sample text ${JSON.stringify(text)} is not in its code`);
    if (kinds.slice(start, start + text.length).every((found) => found === kind)) right++;
  }
  return right;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

function millisecondsPerPost(posts: number, highlightPost: (index: number) => void): { startMs: number; perPostMs: number } {
  const started = performance.now();
  highlightPost(0);
  const startMs = performance.now() - started;
  const timed = performance.now();
  for (let index = 1; index < posts; index++) highlightPost(index);
  return { startMs, perPostMs: (performance.now() - timed) / (posts - 1) };
}

export function compareHighlighters(posts: number): string {
  const lines: string[] = ["| Language | Checked tokens | Shiki right | Prism right |", "|---|---:|---:|---:|"];
  let total = 0;
  let shikiTotal = 0;
  let prismTotal = 0;
  for (const sample of SAMPLES) {
    const shikiRight = score(sample.code, shikiKinds(sample.code, sample.language), sample.expect);
    const prismRight = score(sample.code, prismKinds(sample.code, sample.prism), sample.expect);
    total += sample.expect.length;
    shikiTotal += shikiRight;
    prismTotal += prismRight;
    lines.push(`| ${sample.language} | ${sample.expect.length} | ${shikiRight} | ${prismRight} |`);
  }
  lines.push(`| all | ${total} | ${shikiTotal} (${Math.round((100 * shikiTotal) / total)}%) | ${prismTotal} (${Math.round((100 * prismTotal) / total)}%) |`);

  // The benchmark corpus's two code blocks per post, each post's code made unique by its index.
  const blocks = (index: number) => SAMPLE_CODE.map(({ language, code }) => ({ language, code: code.replace(/\b42\b/g, String(index)) }));
  const prismCost = millisecondsPerPost(posts, (index) => {
    for (const { language, code } of blocks(index)) highlight(code, language, escapeHtml);
  });
  const shikiCost = millisecondsPerPost(posts, (index) => {
    for (const { language, code } of blocks(index)) shikiTokens(code, language);
  });
  const buildSeconds = (cost: { startMs: number; perPostMs: number }) => ((cost.startMs + cost.perPostMs * posts) / 1000).toFixed(1);
  lines.push(
    "",
    `Cost over ${posts.toLocaleString("en")} posts of two code blocks each (C#, SQL; 15 lines):`,
    `Prism ${prismCost.perPostMs.toFixed(2)} ms a post (the first ${prismCost.startMs.toFixed(0)} ms, loading), ${buildSeconds(prismCost)} s in all;`,
    `Shiki ${shikiCost.perPostMs.toFixed(2)} ms a post (the first ${shikiCost.startMs.toFixed(0)} ms, compiling grammars), ${buildSeconds(shikiCost)} s in all.`,
  );
  return lines.join("\n");
}
