import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PlannedWrite } from "./plan.ts";

/**
 * Writes a finished plan. Each file is written beside its place and renamed
 * over it, so a stopped import leaves whole files only; the plan was made in
 * full before this, so an unreadable source has stopped it before any write.
 */
export async function writePlan(target: string, writes: readonly PlannedWrite[]): Promise<void> {
  for (const { path: file, content } of writes) {
    const destination = path.join(target, file);
    await mkdir(path.dirname(destination), { recursive: true });
    const temporary = `${destination}.${process.pid}.importing`;
    await writeFile(temporary, content);
    await rename(temporary, destination);
  }
}
