import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { writeWholeSync } from "./write-whole.ts";

/*
 * Results kept in .cache/ between builds, one file each, named by a digest of
 * everything they depend on: a changed input is a new name, never a stale file.
 */

/**
 * One folder of kept files. It remembers which of them this process used, so
 * that a build can prune the rest; a process that still holds a result in
 * memory counts as using it.
 */
export class KeptFolder {
  readonly #used = new Set<string>();

  constructor(readonly folder: string) {}

  /** The kept file for these inputs, or undefined when they do not serialise (then nothing is kept). */
  file(inputs: unknown[], extension: string): string | undefined {
    let name: string;
    try {
      name = `${createHash("sha256").update(JSON.stringify(inputs)).digest("hex")}${extension}`;
    } catch {
      return undefined;
    }
    this.#used.add(name);
    return path.join(this.folder, name);
  }

  prune(): Promise<void> {
    return pruneUnused(this.folder, this.#used);
  }
}

const folders = new Map<string, KeptFolder>();

/** The process's one KeptFolder for a folder, so what it used is remembered across the builds it runs. */
export function keptFolder(folder: string): KeptFolder {
  const resolved = path.resolve(folder);
  let kept = folders.get(resolved);
  if (!kept) folders.set(resolved, (kept = new KeptFolder(resolved)));
  return kept;
}

/**
 * Bounds a cache folder: files not in `used` (older versions, edited inputs)
 * are removed, oldest first, until they are no more than the used ones, so an
 * edit undone soon still finds its result. Temporary files left by stopped
 * builds go too. A folder that cannot be read is left as it is.
 */
export async function pruneUnused(folder: string, used: ReadonlySet<string>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return;
  }
  const unused = names.filter((name) => !used.has(name));
  const stale = await Promise.all(unused.map(async (name) => ({ name, time: await modified(path.join(folder, name)) })));
  stale.sort((a, b) => a.time - b.time);
  const excess = stale.length - used.size;
  const doomed = stale.filter((entry, index) => index < excess || entry.name.endsWith(".tmp"));
  await Promise.all(doomed.map((entry) => rm(path.join(folder, entry.name), { force: true })));
}

async function modified(file: string): Promise<number> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

export function readKept(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Written beside and renamed: a build reading it meanwhile never sees half a file. A failure to write only costs the next build the work again. */
export function keep(file: string, text: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeWholeSync(file, text);
  } catch {
    // The cache is an optimisation: a read-only or full disk builds all the same.
  }
}
