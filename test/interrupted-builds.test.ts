import { spawn } from "node:child_process";
import { readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBuildCli } from "./helpers/publish.ts";
import { commandLine, makeFixtureSite, post, REPO } from "./helpers/site.ts";

/*
 * Builds that end badly: killed with kill -9 part-way, or unable to make or
 * publish a release. Killed builds' folders never count as releases and the
 * next build removes them; every other failure says "Build failed" and why,
 * without a stack trace.
 */
const fixtures: string[] = [];
afterAll(() => Promise.all(fixtures.map((dir) => rm(dir, { recursive: true, force: true }))));

async function site(): Promise<string> {
  const dir = await makeFixtureSite({ posts: { "kept.md": post({ title: "Kept", date: "2020-01-01" }) } });
  fixtures.push(dir);
  return dir;
}

/** Starts a production build and kills it with SIGKILL once it has begun writing its release. */
async function killPartWay(input: string): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ["BLOG_DRAFTS", "SITE_URL", "NODE_OPTIONS"]) delete env[key];
  const child = spawn(process.execPath, commandLine("cli/build", "--input", input), { cwd: REPO, env, stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const releases = path.join(input, ".releases");
  const started = Date.now();
  for (;;) {
    const names = await readdir(releases).catch(() => [] as string[]);
    const newest = names
      .filter((name) => !name.includes("."))
      .sort()
      .at(-1);
    const begun = newest !== undefined && (await readdir(path.join(releases, newest)).catch(() => [])).length > 0;
    if (begun || (newest !== undefined && Date.now() - started > 8_000) || Date.now() - started > 30_000) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  child.kill("SIGKILL");
  await exited;
}

describe("builds killed with kill -9", () => {
  it("leave folders that never count toward --keep, and the next build removes them", async () => {
    const input = await site();
    for (let kill = 0; kill < 2; kill++) await killPartWay(input);
    // The second killed build removed the first's folder; its own is still marked.
    const left = (await readdir(path.join(input, ".releases"))).sort();
    expect(left).toHaveLength(2);
    expect(left[1]).toBe(`${left[0]}.incomplete`);

    for (let build = 0; build < 2; build++) {
      const run = await runBuildCli(input, {}, ["--keep", "2"]);
      expect(run.status, run.stderr).toBe(0);
    }
    const releases = (await readdir(path.join(input, ".releases"))).sort();
    expect(releases).toHaveLength(2);
    for (const name of releases) expect(await readdir(path.join(input, ".releases", name))).toContain("index.html");
  });
});

describe("a build that cannot make or publish its release", () => {
  it("an unwritable .releases: says Build failed and why, exits 1, with no stack trace", async () => {
    const input = await site();
    await writeFile(path.join(input, ".releases"), "a file where the releases folder should be");
    const run = await runBuildCli(input);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^Build failed: could not make a release folder in \.releases\/ \(.*E(EXIST|NOTDIR).*\); _site was not there and still is not\.$/m,
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("a _site that cannot be switched: says Build failed and why, and leaves no release behind", async () => {
    const input = await site();
    await writeFile(path.join(input, "_site"), "a file where the site link should be");
    const run = await runBuildCli(input);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Build failed: .*_site is neither a folder nor a symlink.*$/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
