// Where the project's files are, for code that runs both as TypeScript (the
// tests, under tsx) and compiled (the commands: lib/launch.js runs a copy of
// lib/ and .eleventy.js compiled into .build/<fingerprint>/ in the repository).
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The folder holding this copy of lib/ and its .eleventy.js: the repository, or a compiled copy inside it. */
const COPY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const COMPILED = path.basename(path.dirname(COPY_ROOT)) === ".build";

/** The repository: package.json, node_modules, the author's posts and the site's pages. */
export const REPOSITORY = COMPILED ? path.resolve(COPY_ROOT, "../..") : COPY_ROOT;

/** The site's config that loads this same copy of lib/: run compiled, the compiled config. */
export const SITE_CONFIG = path.join(COPY_ROOT, ".eleventy.js");

/**
 * Node's arguments to run one of the project's commands (`cli/build`) in a new
 * process the way this process runs: compiled, through lib/launch.js as
 * `npm run` does; from source, under tsx. Each of `preload` (modules of lib/,
 * such as `bench/process-report`) is imported first.
 */
export function commandArguments(command: string, preload: string[] = []): string[] {
  const extension = COMPILED ? ".js" : ".ts";
  const preloads = preload.flatMap((module) => ["--import", path.join(COPY_ROOT, "lib", `${module}${extension}`)]);
  if (COMPILED) return [...preloads, path.join(REPOSITORY, "lib/launch.js"), command];
  return ["--import", import.meta.resolve("tsx"), ...preloads, path.join(REPOSITORY, "lib", `${command}.ts`)];
}
