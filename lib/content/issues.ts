/**
 * Content problems are collected for the whole build and reported together,
 * so the author fixes every mistake in one pass instead of one per rebuild.
 */
export interface ContentIssue {
  /** Project-relative path, e.g. `posts/hello.md`. */
  file: string;
  /** 1-based line in the file, where one is known. */
  line?: number;
  /** Front-matter field or other named place, e.g. `draft` or `[^tag]`. */
  field?: string;
  /** What the build found, quoted for the reader. */
  found?: string;
  /** What it expected instead, and how to fix it. */
  expected: string;
}

export function formatIssue(issue: ContentIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  const field = issue.field === undefined ? "" : ` ${issue.field}:`;
  const found = issue.found === undefined ? "" : ` found ${issue.found};`;
  return `${where}:${field}${found} ${issue.expected}`;
}

export class ContentError extends Error {
  readonly issues: readonly ContentIssue[];
  /** Read by Eleventy's error printer: the message is the whole report, a stack trace would only repeat it. */
  readonly skipOriginalStack = true;

  constructor(issues: readonly ContentIssue[]) {
    const count = issues.length === 1 ? "1 content error" : `${issues.length} content errors`;
    super(`${count}:\n${issues.map((issue) => `  - ${formatIssue(issue)}`).join("\n")}`);
    this.name = "ContentError";
    this.issues = issues;
  }
}

/** Accumulates issues (and warnings) while the content model is built. */
export class IssueLog {
  readonly errors: ContentIssue[] = [];
  readonly warnings: ContentIssue[] = [];

  error(issue: ContentIssue): void {
    this.errors.push(issue);
  }

  warn(issue: ContentIssue): void {
    this.warnings.push(issue);
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw new ContentError(this.errors);
  }
}

/** The most characters of a found value a message shows. */
export const QUOTE_LIMIT = 60;

/**
 * Shows a found value the way the author typed it, clipped to one short line.
 * Only as much of the value as the line shows is ever written out: a value of
 * megabytes (or the expansion of YAML aliases) must not make a message of them.
 */
export function quote(value: unknown, limit = QUOTE_LIMIT): string {
  const text = boundedJson(value, limit + 1);
  return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}

/** JSON for a value, stopping soon after `budget` characters. */
function boundedJson(value: unknown, budget: number): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, budget));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? String(value) : (JSON.stringify(value) ?? String(value));
  const isList = Array.isArray(value);
  // Read by index, not Object.entries or for...in: both list every key of a list of millions first.
  const keys = isList ? undefined : Object.keys(value);
  const count = isList ? value.length : keys!.length;
  let text = isList ? "[" : "{";
  for (let index = 0; index < count && text.length < budget; index++) {
    if (index > 0) text += ",";
    const key = isList ? index : keys![index]!;
    if (!isList) text += `${JSON.stringify(String(key).slice(0, budget))}:`;
    text += boundedJson((value as Record<string | number, unknown>)[key], budget - text.length);
  }
  return text + (isList ? "]" : "}");
}

/** Levenshtein distance, for "did you mean" hints on misspelt keys. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/**
 * The ContentError inside whatever Eleventy wrapped it in (it nests errors
 * thrown in its events as `originalError` or `cause`). Matched by name too:
 * Eleventy may load a second copy of this module through a cache-busted import.
 */
export function findContentError(error: unknown): ContentError | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    if (current instanceof ContentError) return current;
    if (current.name === "ContentError" && Array.isArray((current as { issues?: unknown }).issues)) return current as ContentError;
    current = (current as { originalError?: unknown }).originalError ?? current.cause;
  }
  return undefined;
}
