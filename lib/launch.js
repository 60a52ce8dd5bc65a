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
// Eleventy and the other packages a build loads at start come from one bundle
// (see BUNDLE below): Node loading their many modules one by one was half of a
// small build.
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
 * The packages a build loads at start, bundled by esbuild into a folder of
 * their own, `.build/packages-<fingerprint>/`, remade only when the installed
 * packages change, not at each edit of lib/. The compiled lib/ imports them
 * from there in place of the packages (so a command and the compiled config
 * share one Eleventy); the TypeScript under tsx imports the packages. Node
 * loads Eleventy's few hundred modules in about 0.6 s of CPU here, the bundle
 * in about 0.25 s; the other packages in about 0.4 s, bundled in 0.2 s.
 */
const BUNDLE = {
  /** Each package's module, by the name its bundled file has. */
  packages: {
    Eleventy: "@11ty/eleventy",
    entities: "entities",
    htmlparser2: "htmlparser2",
    "js-yaml": "js-yaml",
    luxon: "luxon",
    "markdown-it": "markdown-it",
    "markdown-it-footnote": "markdown-it-footnote",
    yaml: "yaml",
    zod: "zod",
  },
  /**
   * Every file sits where Eleventy's own src/Util/ modules do, because two of
   * them find files from their own location: its package.json three levels
   * up (for its version), and the dev server's module hook, registered as
   * "./EsmResolver.js" (bundled beside them).
   */
  folder: "src/Util",
  eleventyHook: "src/Util/EsmResolver.js",
  /**
   * Left to Node: the dev server's packages (one of its files is not valid
   * strict-mode code; the dev server command imports the same copy), and
   * Nunjucks, whose compile function lib/plugins/template-cache.ts wraps in
   * the copy Node loads.
   */
  external: ["@11ty/eleventy-dev-server", "chokidar", "nunjucks"],
};
/** @type {Map<string, string>} each bundled package's file name, by package name */
const BUNDLED = new Map(Object.entries(BUNDLE.packages).map(([name, specifier]) => [specifier, `${name}.js`]));

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
 * The packages' bundle folder: named by the packages installed (npm's record
 * of node_modules, rewritten by every install) and by this file, which says how
 * it is made.
 */
function packagesFolder() {
  const inputs = ["node_modules/.package-lock.json", "package-lock.json", "lib/launch.js"].map((file) => ({
    file,
    contents: existsSync(path.join(ROOT, file)) ? readFileSync(path.join(ROOT, file)) : "missing",
  }));
  return path.join(COMPILED_DIR, `packages-${fingerprint(inputs)}`);
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
 * A module of each bundled package's exports, as Node names them (a CommonJS
 * package's too), for esbuild to bundle as one file.
 * @param {string} specifier
 */
async function reexports(specifier) {
  if (specifier === BUNDLE.packages.Eleventy) return `export * from "${specifier}"; export { default } from "${specifier}";`;
  const names = Object.keys(await import(specifier)).map((name) => (/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name) ? name : JSON.stringify(name)));
  return `export { ${names.join(", ")} } from "${specifier}";`;
}

/**
 * Bundles BUNDLE.packages and the packages they load, but for BUNDLE.external,
 * into `folder`, with the one field of Eleventy's package.json it reads (its
 * version). Code two packages share is one file (a chunk).
 * @param {string} folder
 */
async function bundlePackages(folder) {
  const { build } = await import("esbuild");
  const eleventy = path.join(ROOT, "node_modules", BUNDLE.packages.Eleventy);
  const { version } = JSON.parse(readFileSync(path.join(eleventy, "package.json"), "utf8"));
  /** @type {Map<string, string>} */
  const modules = new Map();
  for (const [specifier, file] of BUNDLED) modules.set(file, await reexports(specifier));
  /** @type {import("esbuild").Plugin} */
  const packageModules = {
    name: "package-modules",
    setup(build) {
      build.onResolve({ filter: /^package-module:/ }, ({ path: file }) => ({ path: file, namespace: "package-module" }));
      build.onLoad({ filter: /.*/, namespace: "package-module" }, ({ path: file }) => ({
        contents: modules.get(file.slice("package-module:".length)),
        resolveDir: ROOT,
      }));
    },
  };
  const entryPoints = Object.fromEntries([...BUNDLED.values()].map((file) => [`${BUNDLE.folder}/${path.basename(file, ".js")}`, `package-module:${file}`]));
  entryPoints[BUNDLE.eleventyHook.replace(/\.js$/, "")] = path.join(eleventy, BUNDLE.eleventyHook);
  await makeWhole(folder, async (temporary) => {
    await build({
      absWorkingDir: ROOT,
      entryPoints,
      outdir: temporary,
      chunkNames: `${BUNDLE.folder}/[name]-[hash]`,
      bundle: true,
      splitting: true,
      external: BUNDLE.external,
      plugins: [packageModules],
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
 * output file per source file. The bundled packages are imported from their
 * bundle, if made.
 * @param {string} folder the compiled folder
 * @param {string | undefined} bundle the packages' bundle folder
 */
function keepModules(folder, bundle) {
  return {
    name: "keep-modules",
    /** @param {import("esbuild").PluginBuild} build */
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, ({ path: specifier }) => ({ path: specifier.replace(/\.ts$/, ".js"), external: true }));
      if (bundle === undefined) return;
      build.onResolve({ filter: /^[^.]/ }, ({ path: specifier, importer }) => {
        const file = BUNDLED.get(specifier);
        if (file === undefined) return undefined;
        // The compiled file's place in the folder mirrors its source's in the repository.
        const compiledFile = path.join(folder, path.relative(ROOT, importer));
        return {
          path: path
            .relative(path.dirname(compiledFile), path.join(bundle, BUNDLE.folder, file))
            .split(path.sep)
            .join("/"),
          external: true,
        };
      });
    },
  };
}

/**
 * Compiles the sources into `folder`, made complete or not at all.
 * @param {{ file: string }[]} sources
 * @param {string} folder
 * @param {string | undefined} bundle the packages' bundle folder
 */
async function compile(sources, folder, bundle) {
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
      plugins: [keepModules(folder, bundle)],
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
 * config changed; with the packages' bundle, made first when the packages
 * changed, if any source names one of them.
 */
async function ensureCompiled() {
  const sources = readSources();
  const namesPackage = sources.some(({ file, contents }) => isCompiled(file) && [...BUNDLED.keys()].some((name) => contents.includes(`"${name}"`)));
  const packages = namesPackage ? packagesFolder() : undefined;
  // The compiled files name the bundle's folder.
  const folder = path.join(COMPILED_DIR, fingerprint(sources, packages ? [path.basename(packages)] : []));
  const current = packages ? [packages, folder] : [folder];
  const missing = current.filter((made) => !existsSync(made));
  await Promise.all([packages && missing.includes(packages) && bundlePackages(packages), missing.includes(folder) && compile(sources, folder, packages)]);
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
