import { randomBytes } from "node:crypto";
import { copyFile, lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Zero-downtime publishing: every build goes into its own folder under
 * `.releases/`, and the published `_site` is a symlink to one of them. The
 * switch is one rename(2) of a new symlink over the old one, which POSIX makes
 * atomic: a web server resolving `_site` sees the old release or the new one,
 * never a mix and never nothing. (A directory cannot be renamed over a
 * non-empty directory, so `_site` itself is never a directory we replace.)
 */

export const RELEASES_DIR = ".releases";
export const SITE_LINK = "_site";
export const DEFAULT_KEEP = 5;

/** `20260126T101530-123Z-3fa9`: UTC time to the millisecond, so names sort by age; a random tail keeps two builds in one millisecond apart. */
const RELEASE_NAME = /^\d{8}T\d{6}-\d{3}Z-[0-9a-z-]+$/;

export function releaseName(time: Date, tag: string = randomBytes(2).toString("hex")): string {
  const stamp = time.toISOString().replace(/[-:]/g, "").replace(".", "-");
  return `${stamp}-${tag}`;
}

export function isReleaseName(name: string): boolean {
  return RELEASE_NAME.test(name);
}

export interface PublishPaths {
  /** The site's source folder; `_site` and `.releases` live in it. */
  root: string;
  siteLink: string;
  releasesDir: string;
}

export function publishPaths(root: string): PublishPaths {
  const absolute = path.resolve(root);
  return { root: absolute, siteLink: path.join(absolute, SITE_LINK), releasesDir: path.join(absolute, RELEASES_DIR) };
}

export type LiveSite =
  | { kind: "missing" }
  /** `release` is the release folder's name when the link points into `.releases/`. */
  | { kind: "symlink"; target: string; release: string | undefined }
  /** A plain folder from before releases existed (or from another tool). */
  | { kind: "directory" };

export async function readLiveSite(paths: PublishPaths): Promise<LiveSite> {
  const info = await lstat(paths.siteLink).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (!info) return { kind: "missing" };
  if (info.isSymbolicLink()) {
    const target = await readlink(paths.siteLink);
    const resolved = path.resolve(path.dirname(paths.siteLink), target);
    const release = path.dirname(resolved) === paths.releasesDir ? path.basename(resolved) : undefined;
    return { kind: "symlink", target, release };
  }
  if (info.isDirectory()) return { kind: "directory" };
  throw new Error(`${paths.siteLink} is neither a folder nor a symlink; move it away so a release can be published there`);
}

/**
 * A release is incomplete until it is published: `<name>.incomplete` beside
 * its folder says so, written before the folder exists and removed once `_site`
 * points at it. A build killed (even with kill -9) leaves the mark; such a
 * folder never counts as a release, and the next build removes it.
 */
const INCOMPLETE = ".incomplete";
const markerOf = (paths: PublishPaths, name: string) => path.join(paths.releasesDir, `${name}${INCOMPLETE}`);

/** Makes an empty, new release folder, marked incomplete; the name is taken exclusively (mkdir fails if it exists). */
export async function createRelease(paths: PublishPaths, now = new Date()): Promise<{ name: string; dir: string }> {
  await mkdir(paths.releasesDir, { recursive: true });
  const name = releaseName(now);
  const dir = path.join(paths.releasesDir, name);
  await writeFile(markerOf(paths, name), "", { flag: "wx" });
  await mkdir(dir);
  return { name, dir };
}

/** A release that failed: its folder and its mark go. */
export async function discardRelease(paths: PublishPaths, name: string): Promise<void> {
  await rm(path.join(paths.releasesDir, name), { recursive: true, force: true });
  await rm(markerOf(paths, name), { force: true });
}

/** A published release is complete: its mark goes. */
export async function markPublished(paths: PublishPaths, name: string): Promise<void> {
  await rm(markerOf(paths, name), { force: true });
}

/** Removes what killed or failed builds left: every release still marked incomplete, unless `_site` points at it (then only the mark). */
export async function removeIncompleteReleases(paths: PublishPaths): Promise<string[]> {
  const live = await readLiveSite(paths);
  const liveRelease = live.kind === "symlink" ? live.release : undefined;
  const entries = await readdir(paths.releasesDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") return [];
    throw error;
  });
  const removed: string[] = [];
  for (const entry of entries.filter((name) => name.endsWith(INCOMPLETE))) {
    const name = entry.slice(0, -INCOMPLETE.length);
    if (name !== liveRelease) {
      await rm(path.join(paths.releasesDir, name), { recursive: true, force: true });
      removed.push(name);
    }
    await rm(path.join(paths.releasesDir, entry), { force: true });
  }
  return removed;
}

/**
 * Points `_site` at a release in one atomic step. The link is relative
 * (`.releases/<name>`), so the whole folder can be moved or mounted elsewhere.
 *
 * When `_site` is still a plain folder (the first run after switching to
 * releases), it is first moved into `.releases/` and the link put in its
 * place: two renames, with a gap of microseconds in which `_site` does not
 * exist. That happens once; every later switch is a single rename.
 */
export async function switchLiveSite(paths: PublishPaths, release: string): Promise<{ migrated?: string }> {
  const releaseDir = path.join(paths.releasesDir, release);
  if (!(await stat(releaseDir)).isDirectory()) throw new Error(`${releaseDir} is not a release folder`);
  const live = await readLiveSite(paths);

  const temporaryLink = `${paths.siteLink}.next-${process.pid}-${randomBytes(4).toString("hex")}`;
  await symlink(path.relative(path.dirname(paths.siteLink), releaseDir), temporaryLink, "dir");
  try {
    let migrated: string | undefined;
    if (live.kind === "directory") {
      // Named for when it was last written, so it sorts (and is pruned) as the oldest release.
      migrated = releaseName((await stat(paths.siteLink)).mtime, "pre-releases");
      await rename(paths.siteLink, path.join(paths.releasesDir, migrated));
    }
    await rename(temporaryLink, paths.siteLink);
    return { migrated };
  } catch (error) {
    await rm(temporaryLink, { force: true });
    throw error;
  }
}

/** Complete release folders, oldest first: one still marked incomplete is not a release. */
export async function listReleases(paths: PublishPaths): Promise<string[]> {
  const entries = await readdir(paths.releasesDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const incomplete = new Set(entries.filter((entry) => entry.name.endsWith(INCOMPLETE)).map((entry) => entry.name.slice(0, -INCOMPLETE.length)));
  return entries
    .filter((entry) => entry.isDirectory() && isReleaseName(entry.name) && !incomplete.has(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** Which releases to delete: all but the newest `keep`, and never the live one. */
export function releasesToPrune(releases: readonly string[], live: string | undefined, keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be a whole number of at least 1, got ${keep}`);
  const newestFirst = [...releases].sort().reverse();
  return newestFirst
    .slice(keep)
    .filter((name) => name !== live)
    .reverse();
}

/** Deletes old releases so the disk does not fill; returns the names removed. */
export async function pruneReleases(paths: PublishPaths, keep = DEFAULT_KEEP): Promise<string[]> {
  const live = await readLiveSite(paths);
  const liveRelease = live.kind === "symlink" ? live.release : undefined;
  const doomed = releasesToPrune(await listReleases(paths), liveRelease, keep);
  for (const name of doomed) await rm(path.join(paths.releasesDir, name), { recursive: true, force: true });
  return doomed;
}

/** Hashed files a release took over from the one before it, so they are not carried again: one such list per folder. */
export const CARRIED_MANIFEST = ".carried-from-previous-release.json";

/**
 * Copies the live release's own content-hashed files in `folder` (its
 * subfolders aside) into a new release when the new one no longer has them. A
 * reader who loaded a page just before the switch then still gets its
 * stylesheet, script or search index files just after it. Only the previous
 * release's own files come along, not those it carried itself, so old files
 * live for one release and no longer.
 */
export async function carryForwardAssets(paths: PublishPaths, release: string, folder = "assets"): Promise<string[]> {
  const live = await readLiveSite(paths);
  if (live.kind !== "symlink") return [];
  const liveFolder = path.join(path.resolve(path.dirname(paths.siteLink), live.target), folder);
  const newFolder = path.join(paths.releasesDir, release, folder);
  const alreadyCarried = new Set<string>(JSON.parse(await readFile(path.join(liveFolder, CARRIED_MANIFEST), "utf8").catch(() => "[]")) as string[]);
  const existing = new Set(await readdir(newFolder).catch(() => [] as string[]));
  const carried: string[] = [];
  for (const entry of await readdir(liveFolder, { withFileTypes: true }).catch(() => [])) {
    const { name } = entry;
    if (!entry.isFile() || name.startsWith(".") || existing.has(name) || alreadyCarried.has(name)) continue;
    await mkdir(newFolder, { recursive: true });
    await copyFile(path.join(liveFolder, name), path.join(newFolder, name));
    carried.push(name);
  }
  if (carried.length > 0) await writeFile(path.join(newFolder, CARRIED_MANIFEST), JSON.stringify(carried.sort()));
  return carried;
}
