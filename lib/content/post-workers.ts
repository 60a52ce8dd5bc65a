import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { renderPostFile, type RenderContext, type RenderedPost, type RenderSettings } from "./post-file.ts";

/*
 * Posts rendered on every core: the main thread and worker threads take
 * batches from one queue, each with the same function (renderPostFile), so one
 * thread or many give the same result. A worker that cannot start or stops
 * leaves its batch to the others.
 */

/** Extra threads that render posts: a whole number, 0 for the main thread alone. */
export const WORKERS_SWITCH = "BLOG_WORKERS";

/**
 * Posts to render before another thread pays for itself. A worker took about
 * 0.5 s of CPU to start from the compiled JavaScript (1.0 to 1.2 s under tsx;
 * the packages alone, zod, eleventy-img, markdown-it, Prism and YAML, about
 * 0.4 s), what the main thread needs to render about 400 posts: so a second
 * thread starts from 1,000 posts.
 */
export const POSTS_PER_WORKER = 500;

/** Posts sent to a thread at a time: small enough to share the tail of the queue evenly. */
const BATCH = 16;

export interface PostJob {
  file: string;
  bytes: Uint8Array;
}

/** A worker's messages: ready once it has loaded, then one reply per batch. */
export type WorkerReply = { ready: true } | { results: RenderedPost[] } | { failure: string };

/** How many extra threads render this many posts: BLOG_WORKERS when set, else one per spare core that has enough posts. */
export function workerCount(posts: number): number {
  const asked = process.env[WORKERS_SWITCH];
  if (asked !== undefined && asked !== "") {
    const count = Number(asked);
    if (!Number.isInteger(count) || count < 0)
      throw new Error(`${WORKERS_SWITCH}: found ${JSON.stringify(asked.slice(0, 20))}; expected a whole number of extra threads, such as 0 or 2`);
    return count;
  }
  return Math.max(0, Math.min(availableParallelism() - 1, Math.floor(posts / POSTS_PER_WORKER) - 1));
}

export interface ThreadOptions {
  /** Extra threads; defaults to workerCount(). */
  workers?: number;
  /** Whether the main thread takes batches too while workers run (it does unless told not to). */
  mainThread?: boolean;
}

/** Counts across module copies: Eleventy may import this module a second time through its own loader. */
const COUNTS = Symbol.for("bitter-coder.posts-rendered");
type CountHolder = typeof globalThis & { [COUNTS]?: { rendered: number; byWorkers: number } };

/** Posts this process has rendered so far, and how many of them worker threads rendered. */
export function postsRendered(): { rendered: number; byWorkers: number } {
  return { ...((globalThis as CountHolder)[COUNTS] ?? { rendered: 0, byWorkers: 0 }) };
}

function count(posts: number, byWorkers: boolean): void {
  const holder = globalThis as CountHolder;
  const counts = (holder[COUNTS] ??= { rendered: 0, byWorkers: 0 });
  counts.rendered += posts;
  if (byWorkers) counts.byWorkers += posts;
}

/** Every job rendered, in the jobs' order. */
export async function renderPostFiles(
  jobs: readonly PostJob[],
  settings: RenderSettings,
  context: () => RenderContext,
  options: ThreadOptions = {},
): Promise<RenderedPost[]> {
  const results: RenderedPost[] = new Array<RenderedPost>(jobs.length);
  const queue: number[] = [];
  for (let start = 0; start < jobs.length; start += BATCH) queue.push(start);
  const batchOf = (start: number) => jobs.slice(start, start + BATCH);

  // With the main thread rendering too, a lone batch (a warm build's few edited posts) needs no other thread.
  const spare = options.mainThread === false ? queue.length : queue.length - 1;
  const workers = Array.from({ length: Math.min(options.workers ?? workerCount(jobs.length), spare) }, () => runWorker(settings, queue, batchOf, results));
  // The main thread takes batches too, yielding between them so workers' replies are read.
  let local: RenderContext | undefined;
  const drain = async () => {
    for (let start = queue.shift(); start !== undefined; start = queue.shift()) {
      local ??= context();
      const batch = batchOf(start);
      batch.forEach((job, index) => (results[start + index] = renderPostFile(job.file, job.bytes, local!)));
      count(batch.length, false);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  if (options.mainThread !== false || workers.length === 0) await drain();
  await Promise.all(workers);
  // A batch a failed worker handed back after the queue ran dry.
  await drain();
  return results;
}

/** One worker: once loaded, takes batches until the queue is empty, then stops. A batch it fails goes back on the queue. */
function runWorker(settings: RenderSettings, queue: number[], batchOf: (start: number) => PostJob[], results: RenderedPost[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(settings);
    let current: number | undefined;
    const next = () => {
      current = queue.shift();
      if (current === undefined) void worker.terminate().then(() => resolve());
      else worker.postMessage(batchOf(current));
    };
    worker.on("message", (reply: WorkerReply) => {
      if ("ready" in reply) {
        next();
        return;
      }
      if ("failure" in reply) {
        void worker.terminate();
        reject(new Error(reply.failure));
        return;
      }
      reply.results.forEach((result, index) => (results[current! + index] = result));
      count(reply.results.length, true);
      next();
    });
    worker.on("error", () => {
      if (current !== undefined) queue.unshift(current);
      current = undefined;
      resolve();
    });
  });
}

const WORKER_FILE = `post-worker${path.extname(fileURLToPath(import.meta.url))}`;

/**
 * The worker, from this module's own folder and with its extension: compiled
 * JavaScript runs as it is; TypeScript (tests, the dev server) is loaded
 * through tsx's loader, registered in the worker first.
 */
function startWorker(settings: RenderSettings): Worker {
  const entry = new URL(WORKER_FILE, import.meta.url).href;
  if (!WORKER_FILE.endsWith(".ts")) return new Worker(new URL(entry), { workerData: settings });
  const loader = pathToFileURL(tsxModuleApi()).href;
  const boot = `import(${JSON.stringify(loader)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: settings });
}

/** tsx's ESM API module (`tsx/esm/api` as an import sees it). */
function tsxModuleApi(): string {
  const require = createRequire(import.meta.url);
  const manifestFile = require.resolve("tsx/package.json");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  return path.join(path.dirname(manifestFile), manifest.exports["./esm/api"]!.import.default);
}
