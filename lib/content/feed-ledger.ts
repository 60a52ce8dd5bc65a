import { readFile } from "node:fs/promises";
import path from "node:path";
import { writeWhole } from "../tools/write-whole.ts";
import type { IssueLog } from "./issues.ts";

/**
 * The feed-id ledger: every post ever published, by the id its feed entries
 * carry. Feed readers know a post by that id; if it changes, they show the post
 * again as new, and if the post disappears, its entry vanishes. The build checks
 * every recorded id still belongs to the same post, and a production build
 * records new ones. Commit the file with the posts.
 */
export const LEDGER_FILE = "_data/feed-ids.json";

/** Site-relative Jekyll id (`/slug`) → the post published under it. */
export type FeedLedger = Record<string, { file: string; title: string }>;

interface LedgerPost {
  file: string;
  /** Site-relative Jekyll id, e.g. `/no-planned-downtime-chasm-part1`. */
  jekyllId: string;
  title: string;
  draft: boolean;
  /** Dated after the build's clock, so not published yet. */
  scheduled?: boolean;
}

export async function readLedger(inputDir: string, log: IssueLog): Promise<FeedLedger> {
  let text: string;
  try {
    text = await readFile(path.join(inputDir, LEDGER_FILE), "utf8");
  } catch {
    return {}; // A site that has published nothing yet.
  }
  try {
    const data: unknown = JSON.parse(text.replace(/^\uFEFF/, ""));
    const isEntry = (value: unknown) =>
      typeof value === "object" &&
      value !== null &&
      typeof (value as { file?: unknown }).file === "string" &&
      typeof (value as { title?: unknown }).title === "string";
    if (data === null || typeof data !== "object" || Array.isArray(data) || !Object.values(data).every(isEntry)) {
      throw new Error('expected entries like {"file": "posts/x.md", "title": "..."}');
    }
    return data as FeedLedger;
  } catch (error) {
    log.error({
      file: LEDGER_FILE,
      found: "invalid content",
      expected: `expected a JSON object of feed id → post (${(error as Error).message}); restore it from version control`,
    });
    return {};
  }
}

/** Every recorded id must still be given by the same post; no two posts may share an id. */
export function checkLedger(ledger: FeedLedger, posts: readonly LedgerPost[], log: IssueLog): void {
  const byFile = new Map(posts.map((post) => [post.file, post]));
  const owners = new Map<string, LedgerPost>();
  for (const post of posts) {
    const other = owners.get(post.jekyllId);
    if (other)
      log.error({
        file: post.file,
        field: "feed id",
        found: JSON.stringify(post.jekyllId),
        expected: `expected an id of its own, but ${other.file} has the same one; rename one file or change its permalink`,
      });
    else owners.set(post.jekyllId, post);
  }
  const recordedFiles = new Set(Object.values(ledger).map((entry) => entry.file));
  const changedId = (post: LedgerPost, id: string, publishedAs: string) =>
    log.error({
      file: post.file,
      field: "feed id",
      found: `${JSON.stringify(post.jekyllId)}, but it was published as ${JSON.stringify(id)}${publishedAs === post.file ? "" : ` (from ${publishedAs})`}`,
      expected: `expected the id feed readers know, or they show the post again as new; keep the file name and permalink it was published with, or update ${LEDGER_FILE} if you mean to republish it`,
    });
  for (const [id, { file, title }] of Object.entries(ledger)) {
    const post = byFile.get(file);
    if (post) {
      if (post.jekyllId !== id) changedId(post, id, file);
      continue;
    }
    if (owners.has(id)) continue; // Moved to another file that still gives the same id.
    // A renamed file shows up as a new post with the old one's title.
    const renamed = posts.find((candidate) => !recordedFiles.has(candidate.file) && candidate.title === title);
    if (renamed) changedId(renamed, id, file);
    else
      log.error({
        file: LEDGER_FILE,
        field: id,
        found: `no post publishes it (it was ${file})`,
        expected: `expected the post to stay, or its entry vanishes from every feed; restore ${file}, or delete this line to retire the post on purpose`,
      });
  }
}

/** Adds the ids of newly published posts; writes only when something is new, so repeat builds touch nothing. */
export async function recordLedger(inputDir: string, ledger: FeedLedger, posts: readonly LedgerPost[]): Promise<string[]> {
  const added = posts.filter((post) => !post.draft && !post.scheduled && !(post.jekyllId in ledger));
  if (added.length === 0) return [];
  const next: FeedLedger = { ...ledger };
  for (const post of added) next[post.jekyllId] = { file: post.file, title: post.title };
  const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
  // Written beside and renamed over, so a build stopped mid-write never leaves half a ledger.
  await writeWhole(path.join(inputDir, LEDGER_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
  return added.map((post) => post.jekyllId);
}
