import { readdirSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Folders the author owns that are published as they are, each at its own
 * path: `images/diagram.png` is served at `/images/diagram.png`, where the old
 * blog served it. `images/` always is; `_data/site.json` names more in
 * `staticFolders` (an imported blog's `wp-content/`, say). This module is the
 * one place that rule is written: the build, the link check, the dev server
 * and the importer all ask it.
 */
export const DEFAULT_STATIC_FOLDERS: readonly string[] = ["images"];
export const STATIC_FOLDERS_FIELD = "staticFolders";
const SITE_FILE = "_data/site.json";

/** Folders the generator itself reads or writes: never published as static files. */
export const NOT_STATIC = ["posts", "pages", "_data", "_includes", "assets", "lib", "test", "node_modules", "_site", "_dev-site", ".releases", ".cache"];

/** A folder name as site.json may give it: a relative path inside the site, without `..`. */
export const STATIC_FOLDER = /^(?!\.)[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Every published static folder for a site declaration, defaults first, without repeats. */
export function staticFolders(site: { staticFolders?: readonly string[] | undefined }): string[] {
  return [...new Set([...DEFAULT_STATIC_FOLDERS, ...(site.staticFolders ?? [])])];
}

/** The static folders a site's `_data/site.json` names, read synchronously (the config needs them before any build). */
export function readStaticFolders(inputDir: string): string[] {
  try {
    const site = JSON.parse(readFileSync(path.join(inputDir, SITE_FILE), "utf8").replace(/^\uFEFF/, "")) as Record<string, unknown>;
    const named = site[STATIC_FOLDERS_FIELD];
    // An invalid list is the content model's to report; here it publishes only the defaults.
    const valid = Array.isArray(named) && named.every((folder) => typeof folder === "string" && STATIC_FOLDER.test(folder) && !NOT_STATIC.includes(folder));
    return staticFolders({ staticFolders: valid ? (named as string[]) : [] });
  } catch {
    return staticFolders({});
  }
}

/** Adds a folder to `_data/site.json`'s static folders (for the importer), keeping the file's other fields. */
export async function addStaticFolder(inputDir: string, folder: string): Promise<void> {
  if (!STATIC_FOLDER.test(folder) || NOT_STATIC.includes(folder))
    throw new Error(`"${folder}" cannot be a static folder: expected a folder inside the site, not one of ${NOT_STATIC.join(", ")}`);
  const file = path.join(inputDir, SITE_FILE);
  const site = JSON.parse((await readFile(file, "utf8")).replace(/^\uFEFF/, "")) as Record<string, unknown>;
  const current = Array.isArray(site[STATIC_FOLDERS_FIELD]) ? (site[STATIC_FOLDERS_FIELD] as string[]) : [];
  if (staticFolders({ staticFolders: current }).includes(folder)) return;
  site[STATIC_FOLDERS_FIELD] = [...current, folder];
  await writeFile(file, `${JSON.stringify(site, null, 2)}\n`);
}

/** The site path a static file is published at, from its project-relative path (`images/a.png` → `/images/a.png`). */
export function staticSitePath(file: string): string {
  return `/${file.split(path.sep).join("/")}`;
}

/**
 * Every file in the static folders, by the site path it is published at,
 * mapped to its project-relative path. Dot files (editor droppings, `.DS_Store`)
 * are not published.
 */
export function listStaticFiles(inputDir: string, folders: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    let entries;
    try {
      entries = readdirSync(path.join(inputDir, relative), { withFileTypes: true });
    } catch {
      return; // a folder that does not exist publishes nothing
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const file = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(file);
      else files.set(staticSitePath(file), file);
    }
  };
  for (const folder of folders) walk(folder);
  return files;
}
