// `npm start`: Eleventy's dev server (--serve), starting from an empty
// _dev-site (lib/plugins/dev-output.ts keeps it to the latest build's files),
// with one addition. Eleventy
// gives up for good when its very first build fails, so a content error present
// at start-up would end the dev server; here the error is printed and the first
// build is tried again on the next edit. Later errors Eleventy handles itself:
// it prints them and keeps serving the last good pages. And a saved post's own
// page is written (and reloaded, once) before the rebuild of the rest: see
// edited-page.ts.
import { lstat, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Server } from "node:http";
import Eleventy, { type UserConfig } from "@11ty/eleventy";
import EleventyDevServer from "@11ty/eleventy-dev-server";
import { findContentError } from "../content/issues.ts";
import { SITE_CONFIG } from "../tools/repository.ts";
import { answerSavedPostFirst, type ServedEleventy } from "./edited-page.ts";

/** The slice of Eleventy's programmatic serve API this file uses (see cmd.cjs). */
interface ServingEleventy {
  init(): Promise<void>;
  restart(): Promise<void>;
  watch(): Promise<void>;
  serve(port?: number): Promise<void>;
  stopWatch(): Promise<void>;
}

/** Folders the first build does not read; an event there is not an edit to wait for. */
const NOT_SOURCES = /^(?:node_modules|\.git|\.releases|\.build|\.cache|_site|_dev-site|test)(?:[\\/]|$)/;

/** How often a dev server that could not start looks for the author's fix. */
const POLL_MS = 200;

/**
 * Whether a source file or folder changed (written, added, removed or renamed)
 * since `since` (epoch ms). Folders that are not sources are not entered: this
 * runs every POLL_MS, and node_modules alone holds tens of thousands of files.
 */
async function changedSince(inputDir: string, since: number, folder = inputDir): Promise<boolean> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (NOT_SOURCES.test(path.relative(inputDir, full))) continue;
    const info = await stat(full).catch(() => undefined);
    if (info && Math.max(info.mtimeMs, info.ctimeMs) >= since) return true;
    if (entry.isDirectory() && (await changedSince(inputDir, since, full))) return true;
  }
  return false;
}

/**
 * Resolves once a source file has changed since `since`, a moment after the
 * editor has finished writing. Polled rather than watched: a recursive watch
 * on Linux adds its folders one by one, and a fix saved before it reached
 * posts/ was never seen; a save during the failed build itself counts too.
 */
async function nextEditSince(inputDir: string, since: number): Promise<void> {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  while (!(await changedSince(inputDir, since))) await pause(POLL_MS);
  await pause(150);
}

/**
 * The dev server starts from an empty output folder, so nothing an earlier
 * session wrote (a page since renamed) is served. A symlink (the published
 * `_site`) is never emptied.
 */
async function emptyOutput(output: string): Promise<void> {
  const info = await lstat(output).catch(() => undefined);
  if (info?.isSymbolicLink()) throw new Error(`${output} is a link (the published site?); the dev server writes to a folder of its own, such as _dev-site`);
  await rm(output, { recursive: true, force: true });
}

const { values } = parseArgs({
  options: {
    config: { type: "string", default: SITE_CONFIG },
    input: { type: "string", default: "." },
    output: { type: "string", default: "_dev-site" },
    port: { type: "string", default: "8080" },
    // Only this machine by default: drafts and unfinished posts are not for the network.
    host: { type: "string", default: "127.0.0.1" },
  },
});

// Eleventy's dev server listens on every interface and has no option for it;
// its one listen call is replaced with one that names the host.
const devServer = EleventyDevServer as unknown as { prototype: { _serverListen(this: { server: Server }, port: number): void } };
devServer.prototype._serverListen = function listenOnHost(port) {
  this.server.listen({ port, host: values.host });
};

await emptyOutput(values.output);
/** Before each rebuild: the saved post's page first. */
function editedPageFirst(eleventyConfig: UserConfig): void {
  eleventyConfig.on("eleventy.beforeWatch", async (changed: string[]) => {
    const started = performance.now();
    const url = await savedPostFirst(changed);
    if (url) console.log(`[dev server] ${url} written in ${Math.round(performance.now() - started)} ms; rebuilding the rest.`);
  });
}

const eleventy = new Eleventy(values.input, values.output, {
  source: "cli",
  runMode: "serve",
  configPath: values.config,
  config: editedPageFirst,
}) as unknown as ServingEleventy;
await eleventy.init();
// Eleventy's live-reload server is made by init(), and kept through restarts.
const savedPostFirst = answerSavedPostFirst(eleventy as unknown as ServedEleventy, values.input);
for (;;) {
  // Whole milliseconds back: a file's times may be rounded down.
  const attempted = Date.now() - 1;
  try {
    await eleventy.watch();
    break;
  } catch (error) {
    // Eleventy has printed the error already; anything but a content error is a bug to see in full.
    if (!findContentError(error)) throw error;
    process.exitCode = undefined;
    console.error("[dev server] Not serving yet: fix the content error above and save; the site is built again on the next edit.");
    await nextEditSince(values.input, attempted);
    await eleventy.restart();
    await eleventy.init();
  }
}
await eleventy.serve(Number(values.port));
process.on("SIGINT", () => void eleventy.stopWatch());
