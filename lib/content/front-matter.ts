import yaml from "js-yaml";

export interface SplitDocument {
  /** Parsed YAML front matter (an empty object when there is none). */
  data: unknown;
  /** The markdown after the front matter, with `\n` line endings and no BOM. */
  body: string;
  /** Lines before the body starts, so body line N is file line N + bodyLineOffset. */
  bodyLineOffset: number;
}

export class FrontMatterSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = "FrontMatterSyntaxError";
  }
}

const FENCE = /^---[ \t]*$/;
const CLOSING_FENCE = /^(---|\.\.\.)[ \t]*$/;

/**
 * Splits `---` YAML front matter from a markdown file. BOMs and Windows line
 * endings are normalised first: editors on Windows write both, and neither
 * should change how a post builds.
 */
export function splitFrontMatter(source: string): SplitDocument {
  const text = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const lines = text.split("\n");
  if (!FENCE.test(lines[0] ?? "")) return { data: {}, body: text, bodyLineOffset: 0 };

  const closing = lines.findIndex((line, index) => index > 0 && CLOSING_FENCE.test(line));
  if (closing === -1) {
    throw new FrontMatterSyntaxError("front matter opened with --- on line 1 is never closed; add a line with --- after the last field", 1);
  }

  const yamlText = lines.slice(1, closing).join("\n");
  let data: unknown;
  try {
    // CORE_SCHEMA leaves dates as text: js-yaml's own timestamps roll an impossible
    // day over silently (2018-02-30 becomes March 2), so the post schema parses them strictly.
    data = yaml.load(yamlText, { schema: yaml.CORE_SCHEMA }) ?? {};
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      // js-yaml counts from 0 inside the YAML block, which starts on file line 2.
      const line = error.mark ? error.mark.line + 2 : undefined;
      throw new FrontMatterSyntaxError(`invalid YAML: ${error.reason}`, line);
    }
    throw error;
  }
  return { data, body: lines.slice(closing + 1).join("\n"), bodyLineOffset: closing + 1 };
}
