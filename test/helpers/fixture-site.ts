import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import Eleventy from "@11ty/eleventy";
import { parseHTML } from "linkedom";
import { STYLESHEET_CACHE_DIR } from "../../lib/plugins/assets.ts";
import { TEMPLATE_CACHE_DIR } from "../../lib/plugins/template-cache.ts";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CONFIG = path.join(REPO, ".eleventy.js");

/**
 * Zones for proving that output does not follow the machine's zone: one ahead
 * of UTC (+13 in January) and one behind (-8), so a date that follows the
 * machine's zone moves to the next or the previous day in one of them.
 */
export const OTHER_ZONES = ["Pacific/Auckland", "America/Los_Angeles"] as const;

/** A command's arguments as `npm run` starts it: the launcher, which runs the compiled JavaScript of lib/<command>.ts. */
export function commandLine(command: string, ...args: string[]): string[] {
  return [path.join(REPO, "lib/launch.js"), command, ...args];
}
/**
 * The tests' own blog: a snapshot of the series' three posts and the data
 * files, so the author's drafts and new posts in posts/ never change what a
 * test sees. Only test/real-content.test.ts reads the real posts/ and _data/.
 */
export const FIXTURE_BLOG = path.join(REPO, "test/fixtures/blog");

/** The site's code every fixture shares: pages, layouts, styles. */
const SITE_CODE = ["pages", "_includes", "assets"];

export interface FixtureOptions {
  /** posts/<name> → file text. */
  posts?: Record<string, string>;
  /** Replaces _data/series.json. */
  series?: Record<string, unknown>;
  /** Merged into _data/site.json. */
  site?: Record<string, unknown>;
  /** Copy the fixture blog's posts (the series' three parts) too. */
  blogPosts?: boolean;
  /** Any other file, by path in the site folder (a page, a layout...) → file text. */
  files?: Record<string, string>;
  /**
   * A built site folder whose compiled CSS and Nunjucks templates (its
   * stylesheet and template caches) to start with: compiling them is most of
   * a small site's first build. The build still compiles what the caches do
   * not hold for this site's sources.
   */
  compiledFrom?: string;
}

/** A throwaway copy of the site with the given posts, for tests that need their own content. */
export async function makeFixtureSite(options: FixtureOptions = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "blog-fixture-"));
  for (const part of SITE_CODE) await cp(path.join(REPO, part), path.join(dir, part), { recursive: true });
  await cp(path.join(FIXTURE_BLOG, "_data"), path.join(dir, "_data"), { recursive: true });
  if (options.blogPosts) await cp(path.join(FIXTURE_BLOG, "posts"), path.join(dir, "posts"), { recursive: true });
  // The feed-id ledger names the real posts; a site with other posts starts with none published.
  else await rm(path.join(dir, "_data/feed-ids.json"), { force: true });
  for (const [name, text] of Object.entries(options.posts ?? {})) {
    await mkdir(path.dirname(path.join(dir, "posts", name)), { recursive: true });
    await writeFile(path.join(dir, "posts", name), text);
  }
  for (const [name, text] of Object.entries(options.files ?? {})) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  if (options.compiledFrom) await copyCompiledCaches(options.compiledFrom, dir);
  if (options.series) await writeFile(path.join(dir, "_data/series.json"), JSON.stringify(options.series, null, 2));
  if (options.site) {
    const site = JSON.parse(await readFile(path.join(dir, "_data/site.json"), "utf8")) as Record<string, unknown>;
    await writeFile(path.join(dir, "_data/site.json"), JSON.stringify({ ...site, ...options.site }, null, 2));
  }
  return dir;
}

/** Copies a site folder's compiled CSS and templates into another whose sources are the same, so that its build need not compile them. */
export async function copyCompiledCaches(from: string, to: string): Promise<void> {
  for (const cache of [STYLESHEET_CACHE_DIR, TEMPLATE_CACHE_DIR]) {
    try {
      await cp(path.join(from, cache), path.join(to, cache), { recursive: true });
    } catch (error) {
      // No cache to copy (the build kept none): the build compiles.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

/** Front matter plus body, for fixture posts. */
export function post(fields: Record<string, unknown>, body = "Some text.\n"): string {
  const yaml = Object.entries(fields).map(([key, value]) => `${key}: ${value instanceof Date ? value.toISOString().slice(0, 10) : JSON.stringify(value)}`);
  return `---\n${yaml.join("\n")}\n---\n${body}`;
}

export interface BuiltSite {
  /** The site folder it was built from. */
  input: string;
  outputDir: string;
  /** Output file text by site path: `/x/` reads `x/index.html`. */
  read(sitePath: string): Promise<string>;
  document(sitePath: string): Promise<Document>;
  /** Every written file's site path (`/x/` for index.html files). */
  paths: string[];
  cleanup(): Promise<void>;
}

export interface BuildOptions {
  /** Input directory: a fixture site. */
  input: string;
  /** Environment for this build only (SITE_URL, BLOG_DRAFTS...). */
  env?: Record<string, string | undefined>;
}

/** Eleventy's log lines, held back: a test that expects a failed build reads its error, not a stack trace in the log. */
const quietLogger = { log() {}, info() {}, warn() {}, error() {} };

/**
 * Eleventy keeps compiled layouts in one cache per process, keyed by their
 * path, and a later Eleventy instance reuses them with the filters of the
 * instance that compiled them: a second build of a site folder rendered its
 * layouts with the first build's content model (its SITE_URL, its posts).
 * The dev server clears it on every change; an in-process build clears it first.
 */
const LAYOUT_CACHE = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve("@11ty/eleventy")), "LayoutCache.js")).href;

async function clearLayoutCache(): Promise<void> {
  const { default: layouts } = (await import(LAYOUT_CACHE)) as { default: { removeAll(): void } };
  layouts.removeAll();
}

/**
 * Builds a site in-process with the real configuration into a temporary folder.
 * Builds in one test file run one at a time: the environment is process-wide.
 */
export async function buildFixture(options: BuildOptions): Promise<BuiltSite> {
  const outputDir = await mkdtemp(path.join(tmpdir(), "blog-build-"));
  await clearLayoutCache();
  const restore = setEnvironment({ BLOG_DRAFTS: "0", ...options.env });
  let results: Array<{ url: string | false; outputPath: string | false }>;
  try {
    const eleventy = new Eleventy(options.input, outputDir, { configPath: CONFIG, quietMode: true });
    (eleventy as unknown as { logger: { overrideLogger(logger: typeof quietLogger): void } }).logger.overrideLogger(quietLogger);
    const written = (await eleventy.write()) as [unknown, Array<{ url: string | false; outputPath: string | false }>];
    results = written[1];
  } catch (error) {
    await rm(outputDir, { recursive: true, force: true });
    throw error;
  } finally {
    restore();
  }
  return builtSite(options.input, outputDir, results.flatMap((result) => (typeof result.url === "string" ? [result.url] : [])).sort());
}

/** Sets environment variables, and returns how to put them back. */
function setEnvironment(env: Record<string, string | undefined>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(env)) {
    saved.set(key, process.env[key]);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** A built site's output, read by site path. */
export function builtSite(input: string, outputDir: string, paths: string[], cleanup = () => rm(outputDir, { recursive: true, force: true })): BuiltSite {
  const fileFor = (sitePath: string) => path.join(outputDir, sitePath.endsWith("/") ? `${sitePath}index.html` : sitePath);
  return {
    input,
    outputDir,
    paths,
    read: (sitePath) => readFile(fileFor(sitePath), "utf8"),
    document: async (sitePath) => parseHTML(await readFile(fileFor(sitePath), "utf8")).document,
    cleanup,
  };
}

/** Runs a build expected to fail and returns its error. */
export async function buildError(options: BuildOptions): Promise<Error> {
  try {
    const site = await buildFixture(options);
    await site.cleanup();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the build to fail, but it succeeded");
}

/** The text of an element with runs of white space folded, as a reader sees it. */
export function text(node: { textContent: string | null } | null | undefined): string {
  return (node?.textContent ?? "").replace(/\s+/g, " ").trim();
}

/** The message of an error and of every error it wraps (Eleventy wraps template errors). */
export function fullMessage(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  while (current instanceof Error && messages.length < 10) {
    messages.push(current.message);
    const next = (current as { originalError?: unknown }).originalError ?? current.cause;
    current = next;
  }
  return messages.join("\n");
}
