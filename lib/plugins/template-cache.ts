import { createRequire } from "node:module";
import path from "node:path";
import type { UserConfig } from "@11ty/eleventy";
import { cacheEnabled } from "../content/post-cache.ts";
import { keep, keptFolder, readKept, type KeptFolder } from "../tools/kept-files.ts";

/*
 * Nunjucks compiles each template's source to JavaScript on every start:
 * lexing, parsing and transforming the site's twenty-odd templates took about
 * 0.15 s of a 3-post build's CPU. The compiled JavaScript depends only on the
 * source, the template's name, Nunjucks' version and options, and the async
 * filters and tag extensions Eleventy registers, so it is kept in .cache/
 * under a digest of all of them and read back by the next build or dev server.
 * Nunjucks still turns it into a function and renders with it as before.
 * A template is keyed by its path inside the site, not on the disk, so the
 * cache stays good when the site's folder moves (a CI cache restored in
 * another checkout, a copied site): the compiled code names the template (for
 * its relative includes), and that name is kept as a placeholder.
 */
export const TEMPLATE_CACHE_DIR = ".cache/templates";

const FORMAT = "nunjucks-compiled 2";
/** Stands for the template's name in kept code: a raw control character never appears in compiled JavaScript, whose strings escape it. */
const NAME_PLACEHOLDER = "\u0001template-name\u0001";

type TagExtension = { __name?: string; tags?: readonly string[] };
type Compile = (src: string, asyncFilters: readonly string[], extensions: readonly TagExtension[], name: string | undefined, opts?: object) => string;

/** Where compiled templates are kept (undefined leaves Nunjucks to compile as it always does), and the site's folder. Shared across module copies. */
type CacheState = { kept: KeptFolder | undefined; input: string };
const STATE = Symbol.for("bitter-coder.template-cache");

/** Wraps Nunjucks' one compile function (it is looked up on its module at each compile) with the cache, once per process. */
function installCache(): CacheState {
  const holder = globalThis as Record<symbol, CacheState | undefined>;
  const installed = holder[STATE];
  if (installed) return installed;
  const state: CacheState = { kept: undefined, input: "." };
  const require = createRequire(import.meta.url);
  const compiler = require("nunjucks/src/compiler.js") as { compile: Compile };
  const { version } = require("nunjucks/package.json") as { version: string };
  const compile = compiler.compile;
  compiler.compile = (src, asyncFilters, extensions, name, opts = {}) => {
    const inSite = name === undefined ? undefined : path.relative(state.input, path.resolve(name));
    const file = state.kept?.file([FORMAT, version, asyncFilters, extensions.map((tag) => [tag.__name, tag.tags]), inSite, opts, src], ".js");
    const quotedName = JSON.stringify(name ?? null);
    const kept = file && readKept(file);
    if (kept) return kept.replaceAll(NAME_PLACEHOLDER, quotedName);
    const source = compile(src, asyncFilters, extensions, name, opts);
    if (file) keep(file, name === undefined ? source : source.replaceAll(quotedName, NAME_PLACEHOLDER));
    return source;
  };
  holder[STATE] = state;
  return state;
}

export default function templateCachePlugin(eleventyConfig: UserConfig): void {
  const state = installCache();
  eleventyConfig.on("eleventy.before", ({ directories }) => {
    // BLOG_CACHE=0 is a cold build: templates are compiled from source.
    state.kept = cacheEnabled() ? keptFolder(path.join(directories.input, TEMPLATE_CACHE_DIR)) : undefined;
    state.input = directories.input;
  });
  // Templates this process compiled or read count as used, though Nunjucks holds them and a later build does not ask again.
  eleventyConfig.on("eleventy.after", () => state.kept?.prune());
}
