import { execFile } from "node:child_process";
import { rmSync, statfsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Builds the fixture blog once for the whole run: most suites read the same
 * production build, and building it per suite was a large share of `npm test`.
 * Also provides a folder for builds that suites share when they first need them
 * (see blogSiteInZone in test/helpers/site.ts). Both are in the run's folder
 * (makeRunFolder), removed at the end of the run.
 * With TEST_TYPECHECK=1 (`npm test`), the type check runs beside that build, on
 * the core it leaves idle, and the run stops before any test if it fails.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runFolder = await makeRunFolder();
  const typecheck = process.env.TEST_TYPECHECK === "1" ? typecheckScript() : undefined;
  // Settled now, awaited after the build: a failed check must not go unhandled meanwhile.
  typecheck?.catch(() => {});
  // Eleventy imports the TypeScript plugins itself; the workers get tsx from execArgv, this process here.
  const { register } = await import("tsx/esm/api");
  register();
  const { buildFixture, makeFixtureSite } = await import("./fixture-site.ts");
  const input = await makeFixtureSite({ blogPosts: true });
  // The site's own address, whatever the environment of the test run says.
  const site = await buildFixture({ input, env: { SITE_URL: undefined } });
  const sharedBuilds = await mkdtemp(path.join(tmpdir(), "blog-shared-"));
  const teardown = async () => {
    process.off("SIGTERM", removeAndExit);
    await removeRunFolder(runFolder);
  };
  const removeAndExit = () => {
    rmSync(runFolder, { recursive: true, force: true });
    process.exit(143);
  };
  // vitest removes nothing when it is terminated; Ctrl-C (SIGINT) still runs the teardown.
  process.once("SIGTERM", removeAndExit);
  try {
    await typecheck;
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide("blogSite", { input, outputDir: site.outputDir, paths: site.paths });
  project.provide("sharedBuilds", sharedBuilds);
  return teardown;
}

const RUN_FOLDER = /^blog-test-run-(\d+)-/;
const OWN_TMPDIR = process.env.TMPDIR;
/** Linux's shared-memory file system: files kept in memory. */
const MEMORY_FOLDER = "/dev/shm";
/** Well above what a run writes (under 200 MB); a container's default /dev/shm is 64 MB. */
const MEMORY_NEEDED_BYTES = 1024 ** 3;

/**
 * Where the run's folder goes: TMPDIR when it is set; otherwise in memory when
 * the machine has room there, since a run writes thousands of small files
 * (fixture sites, builds) and writing them to disk cost 19 core-seconds of
 * kernel time out of about 200 (two runs, /tmp on ext4 against /dev/shm);
 * otherwise the system's temporary folder.
 */
function runFolderParent(): string {
  if (OWN_TMPDIR) return OWN_TMPDIR;
  try {
    const { bavail, bsize } = statfsSync(MEMORY_FOLDER);
    if (bavail * bsize >= MEMORY_NEEDED_BYTES) return MEMORY_FOLDER;
  } catch {
    // No such folder here (not Linux).
  }
  return tmpdir();
}

/**
 * One folder for every temporary file of the run (fixture sites, builds,
 * Chromium's profiles), as TMPDIR for the workers and whatever they start,
 * removed as the run ends. A run killed outright leaves its folder: the next
 * run removes the folders of runs whose process is gone.
 */
async function makeRunFolder(): Promise<string> {
  const parent = runFolderParent();
  for (const name of await readdir(parent)) {
    const pid = RUN_FOLDER.exec(name)?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) await rm(path.join(parent, name), { recursive: true, force: true });
  }
  const folder = await mkdtemp(path.join(parent, `blog-test-run-${process.pid}-`));
  process.env.TMPDIR = folder;
  return folder;
}

/** Removes the run's folder and gives TMPDIR back. */
async function removeRunFolder(folder: string): Promise<void> {
  if (OWN_TMPDIR === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = OWN_TMPDIR;
  await rm(folder, { recursive: true, force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** package.json's `typecheck` script (`node <TypeScript's tsc> ...`), run without npm; rejects with its report. */
async function typecheckScript(): Promise<void> {
  const { scripts } = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const [command, ...args] = scripts.typecheck!.split(" ");
  if (command !== "node") throw new Error(`the typecheck script should start with node, found: ${scripts.typecheck}`);
  try {
    await promisify(execFile)(process.execPath, args, { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`the type check (npm run typecheck) failed:\n${stdout}${stderr}`, { cause: error });
  }
}
