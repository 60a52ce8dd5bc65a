import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { FEED_PATHS, outputFile, PAGE_PATHS, postPath, seriesPaths } from "../content/paths.ts";
import { commandArguments, REPOSITORY, SITE_CONFIG } from "../tools/repository.ts";
import { BODY_MARKER, type Corpus, type GeneratedPost } from "./corpus.ts";
import type { ProcessReport } from "./process-report.ts";
import { measureCommand } from "./timing.ts";

export const REPO = REPOSITORY;
const BUILD_CMD = "cli/build";
const IMPORT_CMD = "cli/import";
const DEV_SERVER_CMD = "authoring/dev-server";
/** Releases a measured build keeps: more than a benchmark makes, so none is pruned (deleted) while timed. */
const KEEP_EVERY_RELEASE = "1000";

/**
 * A command run as `npm run` runs it (compiled, when the bench is), with the
 * process reporter; paths are absolute, as corpus folders have no node_modules.
 */
function nodeArguments(command: string, extra: string[]): string[] {
  return [...commandArguments(command, ["bench/process-report"]), ...extra];
}

export interface BuildSample extends ProcessReport {
  wallMs: number;
}

/**
 * One cold production build (`npm run build`) in a fresh process: wall time
 * from spawn to exit, peak RSS and CPU time. Each run builds a new release
 * folder, as the real build does; earlier runs' output is deleted only after
 * the last run, because deleting thousands of files just before a build slows
 * the file system for the build that follows (up to several seconds here).
 */
export async function measureBuild(siteDir: string): Promise<BuildSample> {
  return measureProcess(`the build of ${siteDir}`, BUILD_CMD, ["--input", siteDir, "--keep", KEEP_EVERY_RELEASE], siteDir, { BLOG_DRAFTS: "0" });
}

/** One `npm run import` of a Jekyll site into a site folder, in a fresh process: wall time, peak RSS and CPU time. */
export async function measureImport(jekyllDir: string, siteDir: string, hosts: readonly string[]): Promise<BuildSample> {
  return measureProcess(`the import of ${jekyllDir}`, IMPORT_CMD, [jekyllDir, "--input", siteDir, ...hosts.flatMap((host) => ["--host", host])], siteDir, {});
}

/**
 * Runs one of the project's commands in a fresh process and times it, as Hugo
 * is timed (see timing.ts): CPU time then counts the processes the build starts
 * too (Pagefind's indexer). The process reporter inside the build gives the
 * figures when GNU time is missing, and Node's own peak memory.
 */
async function measureProcess(what: string, command: string, args: string[], cwd: string, env: Record<string, string>): Promise<BuildSample> {
  const reportDir = await mkdtemp(path.join(tmpdir(), "blog-bench-report-"));
  const reportFile = path.join(reportDir, "report.json");
  try {
    const sample = await measureCommand(what, process.execPath, nodeArguments(command, args), cwd, { ...env, BENCH_REPORT_FILE: reportFile });
    const report = JSON.parse(await readFile(reportFile, "utf8")) as ProcessReport;
    if (Number.isNaN(sample.cpuMs)) return { ...report, wallMs: sample.wallMs };
    return { wallMs: sample.wallMs, cpuMs: sample.cpuMs, peakBytes: Math.max(sample.peakBytes, report.peakBytes) };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

function collect(child: ChildProcess, stream: "stdout" | "stderr"): { text: string } {
  const sink = { text: "" };
  child[stream]?.on("data", (chunk: Buffer) => {
    sink.text += chunk.toString();
  });
  return sink;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function readOrEmpty(file: string): Promise<string> {
  return readFile(file, "utf8").catch(() => "");
}

/** Polls until `ready` holds or the time runs out; returns the milliseconds from `since`, or undefined. */
async function waitFor(ready: () => Promise<boolean>, since: number, timeoutMs: number, intervalMs = 2): Promise<number | undefined> {
  while (performance.now() - since < timeoutMs) {
    if (await ready()) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return undefined;
}

export interface EditSample {
  /** Saving the post until its own page shows the edit. */
  pageMs: number;
  /** Saving the post until every page that depends on it shows it too; undefined if they never did. */
  dependentsMs: number | undefined;
  /** Dependent outputs still wrong after the wait (empty when all were right). */
  stale: string[];
}

/**
 * The dev-server edit loop: starts `npm start`'s dev server in the corpus folder, waits for the
 * first build, then edits the newest post's title and first words several times.
 * Each edit is timed until the post's page shows it, then until its series
 * page, series feed, site feed, home page and previous part (whose "next" link
 * names it) show the new title.
 */
export async function measureEdits(siteDir: string, corpus: Corpus, edits: number): Promise<EditSample[]> {
  const server = await startDevServer(siteDir);
  try {
    const post = corpus.posts.at(-1)!;
    const edited: EditedPost = {
      post,
      sourceFile: path.join(siteDir, "posts", post.file),
      original: corpus.files.get(post.file)!,
      page: postPath(post.slug, undefined),
      dependents: dependentPages(corpus, post),
      output: (sitePath: string) => path.join(siteDir, "_dev-site", outputFile(sitePath)),
    };
    if (!(await warmUp(edited.sourceFile, edited.original, edited.output(edited.page))))
      throw new Error(`the dev server never rebuilt after an edit:\n${server.lastOutput(3000)}`);

    const samples: EditSample[] = [];
    for (let edit = 1; edit <= edits; edit++) {
      samples.push(await timeEdit(edited, edit, server));
      // Let the watcher settle, so one edit's rebuild does not overlap the next.
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await writeFile(edited.sourceFile, edited.original);
    return samples;
  } finally {
    await server.stop();
  }
}

/** The post the bench edits, and the pages that show its title. */
interface EditedPost {
  post: GeneratedPost;
  sourceFile: string;
  original: string;
  /** The post's own page. */
  page: string;
  /** The pages that name the post: its series page and feed, the site feed, the home page and its previous part. */
  dependents: string[];
  /** The file the dev server writes a site path to. */
  output: (sitePath: string) => string;
}

function dependentPages(corpus: Corpus, post: GeneratedPost): string[] {
  const series = seriesPaths(post.seriesSlug);
  const dependents = [series.sitePath, series.feedPath, FEED_PATHS.atom, PAGE_PATHS.home];
  const previous = corpus.posts.find((other) => other.seriesSlug === post.seriesSlug && other.part === post.part - 1);
  if (previous) dependents.push(postPath(previous.slug, undefined));
  return dependents;
}

/** Saves one edit and times it until the post's page, then every dependent page, shows it. */
async function timeEdit({ post, sourceFile, original, page, dependents, output }: EditedPost, edit: number, server: DevServer): Promise<EditSample> {
  const title = `${post.title} (edit ${edit})`;
  const opening = `Edited opening, version ${edit}.`;
  const text = editedPost(original, post, title, opening);
  const saved = performance.now();
  await writeFile(sourceFile, text);
  const pageMs = await waitFor(async () => (await readOrEmpty(output(page))).includes(opening), saved, 30_000);
  if (pageMs === undefined) throw new Error(`edit ${edit} never reached ${page}:\n${server.lastOutput(3000)}`);
  const showsTitle = async (sitePath: string) => (await readOrEmpty(output(sitePath))).includes(escapeForHtml(title));
  const dependentsMs = await waitFor(async () => (await Promise.all(dependents.map(showsTitle))).every(Boolean), saved, 10_000);
  const stale =
    dependentsMs === undefined ? (await Promise.all(dependents.map(async (sitePath) => ((await showsTitle(sitePath)) ? [] : [sitePath])))).flat() : [];
  return { pageMs, dependentsMs, stale };
}

/** The dev server as the bench runs it: started and through its first build, with the end of its output for errors. */
interface DevServer {
  /** The last `stdoutChars` of its output, then the last 2,000 of its errors. */
  lastOutput(stdoutChars: number): string;
  stop(): Promise<void>;
}

async function startDevServer(siteDir: string): Promise<DevServer> {
  const port = await freePort();
  const child = spawn(process.execPath, nodeArguments(DEV_SERVER_CMD, [`--config=${SITE_CONFIG}`, "--input=.", "--output=_dev-site", `--port=${port}`]), {
    cwd: siteDir,
    env: { ...process.env, BLOG_DRAFTS: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout = collect(child, "stdout");
  const stderr = collect(child, "stderr");
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const server: DevServer = {
    lastOutput: (stdoutChars) => `${stdout.text.slice(-stdoutChars)}\n${stderr.text.slice(-2000)}`,
    stop: async () => {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
  const firstBuild = await waitFor(async () => /Watching/.test(stdout.text) || child.exitCode !== null, performance.now(), 300_000, 50);
  if (firstBuild === undefined || child.exitCode !== null) {
    await server.stop();
    throw new Error(`the dev server did not start:\n${server.lastOutput(2000)}`);
  }
  return server;
}

/**
 * "Watching…" is printed before the watcher has read every file, and a change
 * it has not seen yet is missed: save a warm-up edit until one shows.
 */
async function warmUp(sourceFile: string, original: string, pageFile: string): Promise<boolean> {
  const marker = "Warm-up edit.";
  const warmed = await waitFor(
    async () => {
      await writeFile(sourceFile, original.replace(BODY_MARKER, `${marker} ${performance.now()}`));
      return waitFor(async () => (await readOrEmpty(pageFile)).includes(marker), performance.now(), 3_000, 20).then((ms) => ms !== undefined);
    },
    performance.now(),
    120_000,
    0,
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return warmed !== undefined;
}

function escapeForHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function editedPost(original: string, post: GeneratedPost, title: string, opening: string): string {
  return original.replace(`title: ${JSON.stringify(post.title)}`, `title: ${JSON.stringify(title)}`).replace(BODY_MARKER, opening);
}
