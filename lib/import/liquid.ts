/**
 * Jekyll runs every post through Liquid before kramdown; this site does
 * neither. The conversions below keep what Liquid would have printed, and
 * name each tag they cannot keep, by its line in the source file.
 */
export interface SourceNote {
  /** 1-based line in the source file. */
  line: number;
  message: string;
}

export interface LiquidContext {
  /** `_config.yml`, for `{{ site.* }}`. */
  site: Readonly<Record<string, unknown>>;
  /** Jekyll post names (`2010-01-02-slug`) to their URLs, for `{% post_url %}`. */
  postUrls: ReadonlyMap<string, string>;
  /** Lines before the body in the source file. */
  lineOffset: number;
}

export interface Converted {
  text: string;
  /** Tags that could not be converted: the post is not imported. */
  errors: SourceNote[];
  /** Changes the author should look at. */
  notes: SourceNote[];
}

// One pass, so the text of a `{% raw %}` block is never read as Liquid.
const LIQUID = new RegExp(
  [
    String.raw`\{%-?\s*raw\s*-?%\}([\s\S]*?)\{%-?\s*endraw\s*-?%\}`,
    String.raw`\{%-?\s*highlight\s+([^\s%]+)[^%]*?-?%\}`,
    String.raw`\{%-?\s*endhighlight\s*-?%\}`,
    String.raw`\{\{-?\s*([\s\S]*?)\s*-?\}\}`,
    String.raw`\{%-?\s*(\w+)\s*([\s\S]*?)\s*-?%\}`,
  ]
    .map((pattern) => `(?:${pattern})`)
    .join("|"),
  "g",
);

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let position = text.indexOf("\n"); position !== -1 && position < index; position = text.indexOf("\n", position + 1)) line++;
  return line;
}

/**
 * Resolves `{{ site.* }}` and `{% post_url %}`, unwraps `{% raw %}`, and turns
 * `{% highlight %}` into a fenced block (markdown) or a `<pre><code>` (HTML).
 * Lines stay where they were, so later notes still point at the source.
 */
export function convertLiquid(body: string, format: "md" | "html", context: LiquidContext): Converted {
  const errors: SourceNote[] = [];
  const lineOf = (index: number) => lineAt(body, index) + context.lineOffset;
  let highlightOpen = false;
  const text = body.replace(
    LIQUID,
    (
      match,
      raw: string | undefined,
      language: string | undefined,
      output: string | undefined,
      tag: string | undefined,
      argument: string | undefined,
      offset: number,
    ) => {
      if (raw !== undefined) return highlightOpen && format === "html" ? escapeHtml(raw) : raw;
      if (language !== undefined) {
        highlightOpen = true;
        return format === "md" ? "```" + language : `<pre><code class="language-${escapeHtml(language)}">`;
      }
      if (/^\{%-?\s*endhighlight/.test(match)) {
        highlightOpen = false;
        return format === "md" ? "```" : "</code></pre>";
      }
      if (output !== undefined) {
        const key = /^site\.([\w-]+)$/.exec(output)?.[1];
        const value = key === undefined ? undefined : context.site[key];
        if (key !== undefined && (typeof value === "string" || typeof value === "number")) return String(value);
        errors.push({
          line: lineOf(offset),
          message: `cannot convert the Liquid output ${JSON.stringify(match)}: only {{ site.<key> }} with a key of _config.yml is converted; replace it with its text in the source and import again`,
        });
        return match;
      }
      if (tag === "post_url") {
        const url = context.postUrls.get(argument!.trim());
        if (url !== undefined) return url;
        errors.push({ line: lineOf(offset), message: `{% post_url ${argument} %} names no post in _posts; correct the name and import again` });
        return match;
      }
      errors.push({
        line: lineOf(offset),
        message: `cannot convert the Liquid tag ${JSON.stringify(match.length > 60 ? `${match.slice(0, 57)}...` : match)}; only raw, highlight and post_url are converted; replace it with its text in the source and import again`,
      });
      return match;
    },
  );
  return { text, errors, notes: [] };
}

// kramdown's inline attribute lists and extensions: `{: .class}`, `{:#id}`, `{::options ... /}`.
const WHOLE_LINE_IAL = /^[ \t]*\{:[^}\n]*\}[ \t]*$/;
const INLINE_IAL = /\{:\s*(?:[.#][\w-]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s}]+))(?:\s+(?:[.#][\w-]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s}]+)))*\s*\}/g;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;

/**
 * Drops kramdown attribute lists, which markdown-it would print as text, and
 * names each one dropped. Code fences are left alone: `{:a => 1}` is Ruby there.
 */
export function dropAttributeLists(text: string, lineOffset: number): { text: string; notes: SourceNote[] } {
  const notes: SourceNote[] = [];
  let fence: string | undefined;
  const lines = text.split("\n").map((line, index) => {
    const opening = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (opening !== undefined && opening[0] === fence[0] && opening.length >= fence.length) fence = undefined;
      return line;
    }
    if (opening !== undefined) {
      fence = opening;
      return line;
    }
    const note = (found: string) =>
      notes.push({
        line: index + 1 + lineOffset,
        message: `dropped the kramdown attribute list ${JSON.stringify(found.trim())}; markdown here has no attribute lists (use HTML if the class or id matters)`,
      });
    if (WHOLE_LINE_IAL.test(line)) {
      note(line);
      return "";
    }
    return line.replace(INLINE_IAL, (found) => {
      note(found);
      return "";
    });
  });
  return { text: lines.join("\n"), notes };
}
