import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/*
 * Results kept in .cache/ between builds, one file each, named by a digest of
 * everything they depend on: a changed input is a new name, never a stale file.
 */

/** The kept file for these inputs in `folder`, or undefined when they do not serialise (then nothing is kept). */
export function keptFile(folder: string, inputs: unknown[], extension: string): string | undefined {
  try {
    return path.join(folder, `${createHash("sha256").update(JSON.stringify(inputs)).digest("hex")}${extension}`);
  } catch {
    return undefined;
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
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch {
    // The cache is an optimisation: a read-only or full disk builds all the same.
  }
}
