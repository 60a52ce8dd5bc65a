// @ts-check
// How the project's commands start: `node lib/launch.js <command> [arguments]`,
// where the command is a module of lib/ named without its extension
// (`node lib/launch.js cli/build --input site`). package.json's scripts use it.
//
// The command runs as JavaScript compiled from lib/**/*.ts and .eleventy.js
// (which imports the plugins): esbuild compiles each file on its own, imports
// kept, into .build/<fingerprint>/ (git-ignored), where <fingerprint> hashes
// every file of lib/ and the config. So an edit is compiled before the command
// runs, never ignored, and an unchanged tree is only read and hashed (about a
// hundred small files), where tsx transformed TypeScript on every start, on a
// loader thread every module load passed through.
// Tests and vitest import the TypeScript itself, through tsx.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const COMPILED_DIR = path.join(ROOT, ".build");
/** The site's config: it imports lib/'s plugins, so the compiled runs need a copy that imports compiled ones. */
const CONFIG = ".eleventy.js";
/** A compiled folder not used for this long is removed when a new one is made (a running command may still load from its own). */
const UNUSED_FOR_MS = 60 * 60 * 1000;

/** Every source file, by path from the repository's root, in a stable order. */
function sourceFiles() {
  const files = readdirSync(path.join(ROOT, "lib"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
  return [...files, CONFIG].sort();
}

/**
 * The compiled folder for these sources: named by a hash of their paths and contents.
 * @param {string[]} files
 */
function compiledFolder(files) {
  const hash = createHash("sha256");
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(ROOT, file)))
      .update("\0");
  return path.join(COMPILED_DIR, hash.digest("hex").slice(0, 16));
}

/** esbuild keeps each relative import as an import, of the compiled file: one output file per source file. */
const keepModules = {
  name: "keep-modules",
  /** @param {import("esbuild").PluginBuild} build */
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, ({ path: specifier }) => ({ path: specifier.replace(/\.ts$/, ".js"), external: true }));
  },
};

/**
 * Compiles the sources into `folder`, made complete or not at all: written
 * beside it, then renamed into place. Of two commands compiling at once, the
 * second finds the folder made and drops its own copy.
 * @param {string[]} files
 * @param {string} folder
 */
async function compile(files, folder) {
  const { build } = await import("esbuild");
  const temporary = `${folder}.${process.pid}.tmp`;
  await build({
    absWorkingDir: ROOT,
    entryPoints: files.filter((file) => file === CONFIG || (file.endsWith(".ts") && !file.endsWith(".d.ts"))).map((file) => path.join(ROOT, file)),
    outdir: temporary,
    outbase: ROOT,
    // Bundling with every import left external (keepModules, packages) compiles each file alone.
    bundle: true,
    packages: "external",
    plugins: [keepModules],
    platform: "node",
    format: "esm",
    target: "node20",
    // A bug's stack trace names the TypeScript file and line (see the source maps in main()).
    sourcemap: "inline",
    sourcesContent: false,
    logLevel: "silent",
  });
  try {
    renameSync(temporary, folder);
  } catch (error) {
    if (!existsSync(folder)) throw error;
    rmSync(temporary, { recursive: true, force: true });
  }
  removeUnused(folder);
}

/**
 * Compiled folders of earlier sources, and leftovers of an interrupted compile, once unused for a while.
 * @param {string} current
 */
function removeUnused(current) {
  for (const name of readdirSync(COMPILED_DIR)) {
    const folder = path.join(COMPILED_DIR, name);
    // Another command may be removing it too.
    const modified = statSync(folder, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (folder !== current && Date.now() - modified > UNUSED_FOR_MS) rmSync(folder, { recursive: true, force: true });
  }
}

/** The compiled folder of the current sources, compiled first when lib/ or the config changed. */
async function ensureCompiled() {
  const files = sourceFiles();
  const folder = compiledFolder(files);
  if (existsSync(folder)) {
    // Marks it used, for removeUnused.
    const now = new Date();
    utimesSync(folder, now, now);
  } else {
    await compile(files, folder);
  }
  return folder;
}

async function main() {
  const [command] = process.argv.splice(2, 1);
  if (command === undefined) {
    console.error("usage: node lib/launch.js <command under lib/, e.g. cli/build> [arguments]; or --compile to compile only");
    return 2;
  }
  let folder;
  try {
    folder = await ensureCompiled();
  } catch (error) {
    // esbuild's message names the file, line and column of a syntax error.
    console.error(`Could not compile lib/: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (command === "--compile") return 0;
  const module = path.join(folder, "lib", `${command}.js`);
  if (!existsSync(module)) {
    console.error(`node lib/launch.js: no command lib/${command}.ts`);
    return 2;
  }
  process.setSourceMapsEnabled(true);
  // The command sees its own file and arguments, as if run directly.
  process.argv[1] = module;
  await import(pathToFileURL(module).href);
  return undefined;
}

const code = await main();
// A command sets its own exit code.
if (code !== undefined) process.exitCode = code;
