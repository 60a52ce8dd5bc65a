import { randomBytes } from "node:crypto";
import { renameSync, writeFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";

/*
 * Files written beside their place and renamed over it: a reader (a server, a
 * build, the next run) sees the old file or the new one, never half of one,
 * and a process stopped mid-write leaves at most a temporary file. The
 * temporary name carries the process and a random part, since worker threads
 * share a process id. The folder must exist: callers that write many files
 * make it once.
 */

function temporaryBeside(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
}

export async function writeWhole(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryBeside(file);
  try {
    await writeFile(temporary, data);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The same, for the few callers that must stay synchronous (Nunjucks' compile hook). */
export function writeWholeSync(file: string, data: string): void {
  const temporary = temporaryBeside(file);
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}
