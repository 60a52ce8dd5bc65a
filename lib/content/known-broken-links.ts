import { readFile } from "node:fs/promises";
import path from "node:path";
import { writeWhole } from "../tools/write-whole.ts";
import type { ContentIssue, IssueLog } from "./issues.ts";
import { MISSING_IMAGE_FIELD } from "./media.ts";

/**
 * The ledger of known broken links: references an imported blog already had
 * broken (an image that never reached the last host). The link check reports
 * them as warnings rather than failing the build; any other broken link still
 * fails it. An entry whose link has come to work is dropped by the next
 * production build, so the ledger only ever shrinks.
 */
export const BROKEN_LINKS_FILE = "_data/known-broken-links.json";

export interface KnownBrokenLink {
  /** The post or page, relative to the site: `posts/hello.html`, `pages/contact.njk`. */
  file: string;
  /** Where the link was when it was recorded (it may move as the post is edited). */
  line: number;
  /** The link as written in the post. */
  link: string;
}

export async function readKnownBrokenLinks(inputDir: string, log: IssueLog): Promise<KnownBrokenLink[]> {
  let text: string;
  try {
    text = await readFile(path.join(inputDir, BROKEN_LINKS_FILE), "utf8");
  } catch {
    return [];
  }
  try {
    const data: unknown = JSON.parse(text.replace(/^\uFEFF/, ""));
    const isEntry = (value: unknown) =>
      typeof value === "object" &&
      value !== null &&
      typeof (value as KnownBrokenLink).file === "string" &&
      typeof (value as KnownBrokenLink).link === "string" &&
      Number.isInteger((value as KnownBrokenLink).line);
    if (!Array.isArray(data) || !data.every(isEntry))
      throw new Error('expected a list of entries like {"file": "posts/x.html", "line": 12, "link": "/images/gone.png"}');
    return data as KnownBrokenLink[];
  } catch (error) {
    log.error({ file: BROKEN_LINKS_FILE, found: "invalid content", expected: `${(error as Error).message}; restore it from version control` });
    return [];
  }
}

/** A broken link as the link check found it: the issue, the site path it points at, and the posts its page shows. */
export interface BrokenLink {
  issue: ContentIssue;
  sitePath: string;
  /** Post files whose text is on the page: the post's own page, or every part on a one-page series. */
  postFiles: readonly string[];
}

/** The site path a recorded link points at: `/images/a%20b.png?x#y` → `/images/a b.png`. */
export function linkSitePath(link: string): string {
  const path = link.replace(/[?#].*$/, "");
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** Splits the link check's broken links into those the ledger knows (warnings) and the rest (errors). */
export function partitionBrokenLinks(
  ledger: readonly KnownBrokenLink[],
  broken: readonly BrokenLink[],
): { known: BrokenLink[]; unknown: BrokenLink[]; stillBroken: Set<KnownBrokenLink> } {
  const entries = new Map<string, KnownBrokenLink[]>();
  const keyOf = (file: string, sitePath: string) => `${file}\n${sitePath}`;
  for (const entry of ledger) {
    const key = keyOf(entry.file, linkSitePath(entry.link));
    entries.set(key, [...(entries.get(key) ?? []), entry]);
  }
  const known: BrokenLink[] = [];
  const unknown: BrokenLink[] = [];
  const stillBroken = new Set<KnownBrokenLink>();
  for (const link of broken) {
    // Recorded against the post whose text holds it, or the page (an imported one) that does.
    const matching = [...new Set([...link.postFiles, link.issue.file])].flatMap((file) => entries.get(keyOf(file, link.sitePath)) ?? []);
    if (matching.length > 0) {
      known.push(link);
      for (const entry of matching) stillBroken.add(entry);
    } else {
      unknown.push(link);
    }
  }
  return { known, unknown, stillBroken };
}

/** Drops entries whose links work now; writes only when one was dropped. Returns the dropped entries. */
export async function pruneKnownBrokenLinks(
  inputDir: string,
  ledger: readonly KnownBrokenLink[],
  stillBroken: ReadonlySet<KnownBrokenLink>,
): Promise<KnownBrokenLink[]> {
  const fixed = ledger.filter((entry) => !stillBroken.has(entry));
  if (fixed.length === 0) return [];
  await writeWhole(
    path.join(inputDir, BROKEN_LINKS_FILE),
    `${JSON.stringify(
      ledger.filter((entry) => stillBroken.has(entry)),
      null,
      2,
    )}\n`,
  );
  return fixed;
}

/**
 * A markdown post's image that is not there is found while the post is read,
 * before the link check: those the ledger records are left to the link check,
 * which sees the same link on the page and warns about it.
 */
export function excuseKnownMissingImages(log: IssueLog, ledger: readonly KnownBrokenLink[]): void {
  if (ledger.length === 0) return;
  const known = new Set(ledger.map((entry) => `${entry.file}\n${linkSitePath(entry.link)}`));
  const excused = log.errors.filter((issue) => {
    if (issue.field !== MISSING_IMAGE_FIELD || issue.found === undefined || !issue.expected.startsWith("a file that exists")) return false;
    const src = JSON.parse(issue.found) as string;
    return known.has(`${issue.file}\n${linkSitePath(src)}`);
  });
  for (const issue of excused) log.errors.splice(log.errors.indexOf(issue), 1);
}
