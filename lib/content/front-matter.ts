import { parseDocument } from "yaml";

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
  return { data: parseYaml(yamlText), body: lines.slice(closing + 1).join("\n"), bodyLineOffset: closing + 1 };
}

/**
 * How many times aliases (`*name`) may be expanded in one post's front matter.
 * Nine nested aliases of nine make a title of 387 million strings (the "billion
 * laughs"); no real front matter uses more than a few.
 */
export const MAX_ALIAS_COUNT = 100;

/** The YAML block starts on file line 2, after the opening ---. */
const YAML_FIRST_LINE = 2;

function parseYaml(yamlText: string): unknown {
  // The core schema leaves dates as text: the post schema parses them strictly
  // (YAML 1.1 timestamps roll an impossible day over, 2018-02-30 to March 2).
  const document = parseDocument(yamlText, { schema: "core", prettyErrors: true, uniqueKeys: true });
  const [error] = document.errors;
  if (error) {
    // The pretty message ends with a copy of the line; the reader has the file.
    const reason = error.message.split(/ at line \d+/)[0] ?? error.message;
    throw new FrontMatterSyntaxError(`invalid YAML: ${reason}`, error.linePos ? error.linePos[0].line + YAML_FIRST_LINE - 1 : undefined);
  }
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const alias = /(?:^|[\s[{,:])\*[^\s,\]}]/m.exec(yamlText);
    const line = alias ? yamlText.slice(0, alias.index + 1).split("\n").length + YAML_FIRST_LINE - 1 : 1;
    throw new FrontMatterSyntaxError(`aliases (*name) expand to more than ${MAX_ALIAS_COUNT} values; write the value out instead of repeating an alias`, line);
  }
}
