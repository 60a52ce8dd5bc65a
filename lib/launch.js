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
//
// Eleventy itself is loaded from one bundled file (see ELEVENTY below): Node
// loading its few hundred modules one by one was half of a small build.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const COMPILED_DIR = path.join(ROOT, ".build");
/** The site's config: it imports lib/'s plugins, so the compiled runs need a copy that imports compiled ones. */
const CONFIG = ".eleventy.js";
/** A compiled folder not used for this long is removed when a new one is made (a running command may still load from its own). */
const UNUSED_FOR_MS = 60 * 60 * 1000;

/**
 * Eleventy bundled into one file by esbuild, in a folder of its own,
 * `.build/eleventy-<fingerprint>/`, remade only when the installed packages
 * change, not at each edit of lib/. Node loads Eleventy's few hundred modules
 * in about 0.45 s here, the bundle in about 0.15 s. The compiled lib/ imports
 * it in place of the package (so the command and the config share one
 * Eleventy), the TypeScript under tsx imports the package.
 */
const ELEVENTY = {
  package: "@11ty/eleventy",
  /**
   * The bundle sits where Eleventy's own src/Util/ modules do, because two of
   * them find files from their own location: the package's package.json three
   * levels up (for its version), and the dev server's module hook, registered
   * as "./EsmResolver.js" (bundled beside it).
   */
  entries: { "src/Util/Eleventy": "src/Eleventy.js", "src/Util/EsmResolver": "src/Util/EsmResolver.js" },
  file: "src/Util/Eleventy.js",
  /**
   * Left to Node: the dev server's packages (one of its files is not valid
   * strict-mode code; the dev server command imports the same copy), and
   * Nunjucks, whose compile function lib/plugins/template-cache.ts wraps in
   * the copy Node loads.
   */
  external: ["@11ty/eleventy-dev-server", "chokidar", "nunjucks"],
};

/** Every source file by path from the repository's root, in a stable order, with its contents. */
function readSources() {
  const files = readdirSync(path.join(ROOT, "lib"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
  return [...files, CONFIG].sort().map((file) => ({ file, contents: readFileSync(path.join(ROOT, file)) }));
}

/**
 * Whether a source file is compiled (the others are read only for the fingerprint).
 * @param {string} file
 */
function isCompiled(file) {
  return file === CONFIG || (file.endsWith(".ts") && !file.endsWith(".d.ts"));
}

/**
 * A hash of files' paths and contents, and of other inputs.
 * @param {{ file: string, contents: Buffer | string }[]} files
 * @param {string[]} [inputs]
 */
function fingerprint(files, inputs = []) {
  const hash = createHash("sha256");
  for (const input of inputs) hash.update(`${input}\0`);
  for (const { file, contents } of files) hash.update(`${file}\0`).update(contents).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/**
 * The Eleventy bundle's folder: named by the packages installed (npm's record
 * of node_modules, rewritten by every install) and by this file, which says how
 * it is made.
 */
function eleventyFolder() {
  const inputs = ["node_modules/.package-lock.json", "package-lock.json", "lib/launch.js"].map((file) => ({
    file,
    contents: existsSync(path.join(ROOT, file)) ? readFileSync(path.join(ROOT, file)) : "missing",
  }));
  return path.join(COMPILED_DIR, `eleventy-${fingerprint(inputs)}`);
}

/**
 * Makes `folder` complete or not at all: `make` writes it beside it, then it
 * is renamed into place. Of two commands making it at once, the second finds
 * the folder made and drops its own copy.
 * @param {string} folder
 * @param {(temporary: string) => Promise<void>} make
 */
async function makeWhole(folder, make) {
  const temporary = `${folder}.${process.pid}.tmp`;
  await make(temporary);
  try {
    renameSync(temporary, folder);
  } catch (error) {
    if (!existsSync(folder)) throw error;
    rmSync(temporary, { recursive: true, force: true });
  }
}

/**
 * Bundles Eleventy and the packages it loads, but for ELEVENTY.external, into
 * `folder`, with the one field of its package.json it reads (its version).
 * @param {string} folder
 */
async function bundleEleventy(folder) {
  const { build } = await import("esbuild");
  const installed = path.join(ROOT, "node_modules", ELEVENTY.package);
  const { version } = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8"));
  await makeWhole(folder, async (temporary) => {
    await build({
      absWorkingDir: ROOT,
      entryPoints: Object.fromEntries(Object.entries(ELEVENTY.entries).map(([name, file]) => [name, path.join(installed, file)])),
      outdir: temporary,
      bundle: true,
      external: ELEVENTY.external,
      platform: "node",
      format: "esm",
      target: "node20",
      // The CommonJS packages inside call require().
      banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
      logLevel: "silent",
    });
    writeFileSync(path.join(temporary, "package.json"), `${JSON.stringify({ type: "module", version }, null, 2)}\n`);
  });
}

/**
 * esbuild keeps each relative import as an import, of the compiled file: one
 * output file per source file. Eleventy is imported from its bundle, if made.
 * @param {string} folder the compiled folder
 * @param {string | undefined} eleventyBundle
 */
function keepModules(folder, eleventyBundle) {
  return {
    name: "keep-modules",
    /** @param {import("esbuild").PluginBuild} build */
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, ({ path: specifier }) => ({ path: specifier.replace(/\.ts$/, ".js"), external: true }));
      if (eleventyBundle === undefined) return;
      build.onResolve({ filter: new RegExp(`^${ELEVENTY.package}$`) }, ({ importer }) => {
        // The compiled file's place in the folder mirrors its source's in the repository.
        const compiledFile = path.join(folder, path.relative(ROOT, importer));
        return { path: path.relative(path.dirname(compiledFile), eleventyBundle).split(path.sep).join("/"), external: true };
      });
    },
  };
}

/**
 * Compiles the sources into `folder`, made complete or not at all.
 * @param {{ file: string }[]} sources
 * @param {string} folder
 * @param {string | undefined} eleventyBundle
 */
async function compile(sources, folder, eleventyBundle) {
  const { build } = await import("esbuild");
  const entryPoints = sources.map(({ file }) => file).filter(isCompiled);
  await makeWhole(folder, (temporary) =>
    build({
      absWorkingDir: ROOT,
      entryPoints: entryPoints.map((file) => path.join(ROOT, file)),
      outdir: temporary,
      outbase: ROOT,
      // Bundling with every import left external (keepModules, packages) compiles each file alone.
      bundle: true,
      packages: "external",
      plugins: [keepModules(folder, eleventyBundle)],
      platform: "node",
      format: "esm",
      target: "node20",
      // A bug's stack trace names the TypeScript file and line (see the source maps in main()).
      sourcemap: "inline",
      sourcesContent: false,
      logLevel: "silent",
    }).then(() => undefined),
  );
}

/**
 * Compiled folders of earlier sources or packages, and leftovers of an interrupted compile, once unused for a while.
 * @param {string[]} current
 */
function removeUnused(current) {
  for (const name of readdirSync(COMPILED_DIR)) {
    const folder = path.join(COMPILED_DIR, name);
    // Another command may be removing it too.
    const modified = statSync(folder, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (!current.includes(folder) && Date.now() - modified > UNUSED_FOR_MS) rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The compiled folder of the current sources, compiled first when lib/ or the
 * config changed; with Eleventy's bundle, made first when the packages
 * changed, if any source names Eleventy.
 */
async function ensureCompiled() {
  const sources = readSources();
  const namesEleventy = sources.some(({ file, contents }) => isCompiled(file) && contents.includes(`"${ELEVENTY.package}"`));
  const eleventy = namesEleventy ? eleventyFolder() : undefined;
  // The compiled files name the bundle's folder.
  const folder = path.join(COMPILED_DIR, fingerprint(sources, eleventy ? [path.basename(eleventy)] : []));
  const current = eleventy ? [eleventy, folder] : [folder];
  const missing = current.filter((made) => !existsSync(made));
  await Promise.all([
    eleventy && missing.includes(eleventy) && bundleEleventy(eleventy),
    missing.includes(folder) && compile(sources, folder, eleventy && path.join(eleventy, ELEVENTY.file)),
  ]);
  if (missing.length > 0) removeUnused(current);
  // Marks them used, for removeUnused.
  const now = new Date();
  for (const made of current) if (!missing.includes(made)) utimesSync(made, now, now);
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
