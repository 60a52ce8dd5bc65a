import { mkdir } from "node:fs/promises";
import path from "node:path";
import { addStaticFolder } from "../content/static-files.ts";
import { writeWhole } from "../tools/write-whole.ts";
import type { ImportPlan } from "./plan.ts";

/**
 * Writes a finished plan. Each file is written beside its place and renamed
 * over it, so a stopped import leaves whole files only; the plan was made in
 * full before this, so an unreadable source has stopped it before any write.
 */
export async function writePlan(target: string, plan: ImportPlan): Promise<void> {
  for (const { path: file, content } of plan.writes) {
    const destination = path.join(target, file);
    await mkdir(path.dirname(destination), { recursive: true });
    await writeWhole(destination, content);
  }
  for (const folder of plan.staticFolders) await addStaticFolder(target, folder);
}
