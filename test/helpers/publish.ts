import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile, readlink, realpath } from "node:fs/promises";
import path from "node:path";
import { commandLine, REPO } from "./fixture-site.ts";

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run build`'s script as a subprocess against a site folder, the way an author or CI does. */
export function runBuildCli(input: string, env: Record<string, string | undefined> = {}, args: readonly string[] = []): Promise<CliRun> {
  const childEnv: Record<string, string | undefined> = { ...process.env, BLOG_DRAFTS: undefined, SITE_URL: undefined, NODE_OPTIONS: undefined, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, commandLine("cli/build", "--input", input, ...args), { cwd: REPO, env: childEnv as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Builds and publishes a site with `npm run build`'s command under the time
 * zone given, since a process reads its zone when it first uses Date.
 * Returns the published folder (the release `_site` names); throws the
 * command's report if it failed.
 */
export async function buildInTimeZone(input: string, timeZone: string, env: Record<string, string> = {}): Promise<string> {
  const run = await runBuildCli(input, { TZ: timeZone, ...env });
  if (run.status !== 0) throw new Error(`npm run build under TZ=${timeZone} exited with ${run.status}:\n${run.stderr}`);
  return realpath(path.join(input, "_site"));
}

/** sha256 of every file under a folder (symlinks followed), by relative path. */
export async function hashTree(dir: string): Promise<Map<string, string>> {
  const root = await realpath(dir);
  const hashes = new Map<string, string>();
  const walk = async (relative: string) => {
    for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
      const file = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) await walk(file);
      else
        hashes.set(
          file,
          createHash("sha256")
            .update(await readFile(path.join(root, file)))
            .digest("hex"),
        );
    }
  };
  await walk("");
  return hashes;
}

export interface PublishedState {
  /** Where `_site` points. */
  link: string;
  /** Every published file's hash. */
  files: Map<string, string>;
  /** Entries of `.releases/` and of the site folder (for leftovers such as temporary links). */
  releases: string[];
  siteEntries: string[];
}

export async function publishedState(site: string): Promise<PublishedState> {
  return {
    link: await readlink(path.join(site, "_site")),
    files: await hashTree(path.join(site, "_site")),
    releases: (await readdir(path.join(site, ".releases"))).sort(),
    siteEntries: (await readdir(site)).sort(),
  };
}
