import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { CARRIED_MANIFEST, publishPaths, readLiveSite } from "../publish/releases.ts";

/** The release `_site` points at in a built site folder. */
export async function liveRelease(siteDir: string): Promise<{ name: string; dir: string }> {
  const paths = publishPaths(siteDir);
  const live = await readLiveSite(paths);
  if (live.kind !== "symlink" || !live.release) throw new Error(`${paths.siteLink} does not point at a release`);
  return { name: live.release, dir: path.join(paths.releasesDir, live.release) };
}

/**
 * A release's own files, by path, with the release's name in their text
 * replaced by a placeholder. A release also holds copies of the hashed files of
 * the release before it (for pages opened before the switch); those are the
 * previous build's output, listed in each folder's manifest, and left out.
 */
async function releaseFiles(release: { name: string; dir: string }): Promise<Map<string, Buffer>> {
  const entries = await readdir(release.dir, { recursive: true, withFileTypes: true });
  const carried = new Set<string>();
  for (const entry of entries.filter((entry) => entry.isFile() && entry.name === CARRIED_MANIFEST)) {
    const folder = path.relative(release.dir, entry.parentPath);
    const names = JSON.parse(await readFile(path.join(entry.parentPath, entry.name), "utf8")) as string[];
    for (const name of [CARRIED_MANIFEST, ...names]) carried.add(path.join(folder, name));
  }
  const files = new Map<string, Buffer>();
  const name = Buffer.from(release.name);
  for (const entry of entries) {
    const file = path.relative(release.dir, path.join(entry.parentPath, entry.name));
    if (!entry.isFile() || carried.has(file)) continue;
    const bytes = await readFile(path.join(release.dir, file));
    files.set(file, bytes.includes(name) ? Buffer.from(bytes.toString("latin1").replaceAll(release.name, "<release>"), "latin1") : bytes);
  }
  return files;
}

/** Where two releases differ, file by file and byte for byte (nothing but the release's name is ignored); empty when they are the same. */
export async function compareReleases(a: { name: string; dir: string }, b: { name: string; dir: string }): Promise<string[]> {
  const [filesA, filesB] = await Promise.all([releaseFiles(a), releaseFiles(b)]);
  const differences: string[] = [];
  for (const [file, bytes] of filesA) {
    const other = filesB.get(file);
    if (!other) differences.push(`${file}: only in ${a.name}`);
    else if (!bytes.equals(other)) differences.push(`${file}: differs`);
  }
  for (const file of filesB.keys()) if (!filesA.has(file)) differences.push(`${file}: only in ${b.name}`);
  return differences.sort();
}
