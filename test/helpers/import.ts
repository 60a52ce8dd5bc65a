import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { commandLine, REPO } from "./site.ts";

/** The fixture Jekyll blog: WordPress-era HTML posts, kramdown posts, comments and each kind of bad input. */
export const WORDPRESS_ERA_SITE = path.join(REPO, "test/fixtures/jekyll-wordpress-era");
/** The blog's older host, besides the url in its _config.yml. */
export const OLD_HOST = "bittercoder.com";
/** Every email address in the fixture's front matter: none may reach the site. */
export const FIXTURE_EMAILS = ["jane.reader@example.org", "bob@example.net", "mallory@evil.example", "alex@bittercoder.example"];

export interface ImportRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run import -- <source> --input <target> ...`, as the author runs it. */
export async function runImport(source: string, target: string, ...args: string[]): Promise<ImportRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, commandLine("cli/import", source, "--input", target, ...args), { cwd: REPO });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** Every file under a folder, relative path → bytes. */
export async function snapshot(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(root, full), await readFile(full));
  }
  return files;
}
