// The commands run JavaScript compiled from lib/ (lib/launch.js), the tests the
// TypeScript itself. These tests prove the two cannot drift apart: an edit to
// lib/ is compiled before the next run, and both give the same site.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { makeFixtureSite } from "./helpers/fixture-site.ts";
import { hashTree } from "./helpers/publish.ts";
import { buildSite, REPO } from "./helpers/site.ts";

const run = promisify(execFile);
const LAUNCH = path.join(REPO, "lib/launch.js");
const cleanups: string[] = [];

afterAll(async () => {
  for (const dir of cleanups) await rm(dir, { recursive: true, force: true });
});

/**
 * A repository of its own with lib/launch.js and a two-file lib/ (a command
 * that prints what another module exports): editing it cannot disturb the
 * real lib/ that other tests run.
 */
async function makeProject(greeting: string): Promise<{ root: string; launch: (command?: string) => Promise<string> }> {
  const root = await mkdtemp(path.join(tmpdir(), "blog-compiled-"));
  cleanups.push(root);
  await mkdir(path.join(root, "lib/cli"), { recursive: true });
  await cp(LAUNCH, path.join(root, "lib/launch.js"));
  await symlink(path.join(REPO, "node_modules"), path.join(root, "node_modules"));
  await writeFile(path.join(root, "package.json"), JSON.stringify({ type: "module" }));
  await writeFile(path.join(root, ".eleventy.js"), "export default function () {}\n");
  await writeFile(path.join(root, "lib/cli/hello.ts"), 'import { greeting } from "../greeting.ts";\n\nconsole.log(greeting satisfies string);\n');
  await writeGreeting(root, greeting);
  const launch = async (command = "cli/hello") => (await run(process.execPath, [path.join(root, "lib/launch.js"), command], { cwd: root })).stdout.trim();
  return { root, launch };
}

function writeGreeting(root: string, greeting: string): Promise<void> {
  return writeFile(path.join(root, "lib/greeting.ts"), `export const greeting: string = ${JSON.stringify(greeting)};\n`);
}

describe("compiled commands", () => {
  it("compile lib/ on first run, reuse it while nothing changed, and compile an edit before running it", async () => {
    const project = await makeProject("first version");
    expect(await project.launch()).toBe("first version");
    expect(await project.launch()).toBe("first version");
    const compiled = await readdir(path.join(project.root, ".build"));
    expect(compiled).toHaveLength(1);

    await writeGreeting(project.root, "edited version");
    expect(await project.launch()).toBe("edited version");
    // A new folder for the new sources; the old one is left to a command still running from it.
    expect((await readdir(path.join(project.root, ".build"))).filter((name) => !compiled.includes(name))).toHaveLength(1);
  });

  it("recompile a deleted compiled folder, and let commands started together share one compile", async () => {
    const project = await makeProject("one");
    await project.launch();
    await rm(path.join(project.root, ".build"), { recursive: true });
    await writeGreeting(project.root, "two");
    const outputs = await Promise.all([project.launch(), project.launch(), project.launch()]);
    expect(outputs).toEqual(["two", "two", "two"]);
    // One complete folder, and no half-written copy left behind.
    expect(await readdir(path.join(project.root, ".build"))).toHaveLength(1);
  });

  it("load packages such as Eleventy from a bundle made once for the installed packages, not again for an edit of lib/", async () => {
    const project = await makeProject("unused");
    await writeFile(path.join(project.root, "lib/cli/eleventy.ts"), 'import Eleventy from "@11ty/eleventy";\n\nconsole.log(Eleventy.getVersion());\n');
    const { version } = JSON.parse(await readFile(path.join(REPO, "node_modules/@11ty/eleventy/package.json"), "utf8")) as { version: string };
    const bundles = async () => (await readdir(path.join(project.root, ".build"))).filter((name) => name.startsWith("packages-"));
    // Eleventy reads its version from the package.json beside the bundle.
    expect(await project.launch("cli/eleventy")).toBe(version);
    const [bundle] = await bundles();
    expect(await readdir(path.join(project.root, ".build", bundle!, "src/Util"))).toContain("Eleventy.js");

    await writeGreeting(project.root, "edited");
    await project.launch("cli/eleventy");
    expect(await bundles()).toEqual([bundle]);
    // Another install: the bundle is made again from the packages now installed.
    await writeFile(path.join(project.root, "package-lock.json"), "{}\n");
    await project.launch("cli/eleventy");
    expect((await bundles()).filter((name) => name !== bundle)).toHaveLength(1);
  });

  it("refuse to run lib/ that does not compile, naming the file and line", async () => {
    const project = await makeProject("fine");
    await writeFile(path.join(project.root, "lib/greeting.ts"), "export const greeting: string = ;\n");
    const failure = await project.launch().then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toBe("");
    expect(failure?.stderr).toContain("lib/greeting.ts:1:");
  });

  it("name an unknown command", async () => {
    const project = await makeProject("fine");
    await expect(project.launch("cli/nothing")).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("no command lib/cli/nothing.ts") });
  });

  it("publish the same bytes as the TypeScript sources for the fixture blog", async () => {
    // Compiling its own stylesheet (no cache copied in), as a fresh clone does.
    const compiledSite = await makeFixtureSite({ blogPosts: true });
    cleanups.push(compiledSite);
    const { SITE_URL: _deployment, ...environment } = process.env;
    const env = { ...environment, BLOG_DRAFTS: "0", NODE_OPTIONS: "" };
    await run(process.execPath, [LAUNCH, "cli/build", "--input", compiledSite], { cwd: REPO, env });
    const compiled = await hashTree(path.join(compiledSite, "_site"));
    // The build the other suites read: the TypeScript sources, run in the test process.
    const fromSources = await hashTree((await buildSite()).outputDir);
    expect(fromSources.size).toBeGreaterThan(20);
    // The command also writes the search index, which only it makes.
    const searchIndex = [...compiled.keys()].filter((file) => file.startsWith("pagefind/"));
    expect(searchIndex.length).toBeGreaterThan(5);
    expect(new Map([...compiled].filter(([file]) => !searchIndex.includes(file)))).toEqual(fromSources);
  });
});
