import { createHash } from "node:crypto";
import { readFile, readlink, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, type StaticServer } from "../lib/tools/static-server.ts";
import { hashTree, runBuildCli } from "./helpers/publish.ts";
import { makeFixtureSite, post } from "./helpers/site.ts";

/**
 * Readers fetch every page while five production builds run one after another,
 * every other one failing on purpose: no request may fail, and every page must
 * be that page exactly as one complete release has it, with a stylesheet that
 * loads. Five builds hold every change a reader can live through: a release
 * replacing another in each direction (A to B, B to A), a failed build while a
 * release is live (twice, each followed by a good one), and an old release
 * pruned (three kept, four made); the readers must be fetching through each build.
 */
const BUILDS = 5;
const KEEP = 3;
const MAX_REQUESTS = 20_000;
const DEADLINE_MS = 150_000;
const READERS = 2;

/** Two versions of the same pages, so that consecutive releases differ. */
function posts(version: string): Record<string, string> {
  return {
    "first.md": post(
      { title: "First", date: new Date("2020-01-01"), series: "no-planned-downtime-chasm", part: 1, tags: ["testing"] },
      `Version ${version} of the first post.\n\nIts second paragraph, version ${version}.\n`,
    ),
    "second.md": post(
      { title: "Second", date: new Date("2020-01-02"), series: "no-planned-downtime-chasm", part: 2, tags: ["testing"] },
      `Version ${version} of the second post links [back](/first/).\n`,
    ),
  };
}

const sha = (body: string | Buffer) => createHash("sha256").update(body).digest("hex");
const stylesheetOf = (html: string) => /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1];

interface Fetched {
  sitePath: string;
  /** When the request started, in ms since the epoch. */
  at: number;
  status: number | "failed";
  bodyHash: string;
  stylesheet: string | undefined;
  stylesheetStatus: number | "failed" | undefined;
  stylesheetHash: string | undefined;
}

let site: string;
let server: StaticServer;

beforeAll(async () => {
  site = await makeFixtureSite({ posts: posts("A") });
  const first = await runBuildCli(site);
  expect(first.status, first.stderr).toBe(0);
  // Served as a host serves it: through the _site link, resolved when each file is opened.
  server = await serveStatic(path.join(site, "_site"));
});

afterAll(async () => {
  await server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

describe("publishing without downtime", () => {
  it("serves only complete releases while five builds run, every other one failing", { timeout: DEADLINE_MS + 30_000 }, async () => {
    /** Each release's files by hash, taken right after it went live (releases never change after that). */
    const releases = new Map<string, Map<string, string>>();
    const remember = async () => {
      const name = path.basename(await readlink(path.join(site, "_site")));
      if (!releases.has(name)) releases.set(name, await hashTree(path.join(site, ".releases", name)));
    };
    await remember();
    const pages = [...releases.values()][0]!;
    const pagePaths = [...pages.keys()].filter((file) => file.endsWith(".html")).map((file) => `/${file.replace(/(^|\/)index\.html$/, "$1")}`);
    expect(pagePaths.length).toBeGreaterThan(5);

    const started = Date.now();
    let building = true;
    const fetched: Fetched[] = [];
    const get = async (sitePath: string) => {
      try {
        const response = await fetch(`${server.origin}${sitePath}`);
        return { status: response.status, body: await response.text() };
      } catch {
        return { status: "failed" as const, body: "" };
      }
    };
    const reader = async (offset: number) => {
      for (let index = offset; building && fetched.length < MAX_REQUESTS && Date.now() - started < DEADLINE_MS; index++) {
        const sitePath = pagePaths[index % pagePaths.length]!;
        const at = Date.now();
        const page = await get(sitePath);
        const stylesheet = stylesheetOf(page.body);
        const css = stylesheet === undefined ? undefined : await get(stylesheet);
        fetched.push({
          sitePath,
          at,
          status: page.status,
          bodyHash: sha(page.body),
          stylesheet,
          stylesheetStatus: css?.status,
          stylesheetHash: css && sha(css.body),
        });
        // A breath between requests leaves the two cores to the builds.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    };
    const readers = Array.from({ length: READERS }, (_, offset) => reader(offset * 3));

    const outcomes: Array<{ build: number; expected: number; status: number | null; stderr: string; started: number; ended: number }> = [];
    let version = "A";
    try {
      for (let build = 0; build < BUILDS && Date.now() - started < DEADLINE_MS; build++) {
        const failing = build % 2 === 1;
        if (failing) {
          await writeFile(path.join(site, "posts/broken.md"), post({ date: new Date("2020-01-03") }));
        } else {
          version = version === "A" ? "B" : "A";
          for (const [file, text] of Object.entries(posts(version))) await writeFile(path.join(site, "posts", file), text);
        }
        const buildStarted = Date.now();
        const run = await runBuildCli(site, {}, ["--keep", String(KEEP)]);
        const buildEnded = Date.now();
        if (failing) await rm(path.join(site, "posts/broken.md"));
        else await remember();
        outcomes.push({ build, expected: failing ? 1 : 0, status: run.status, stderr: run.stderr, started: buildStarted, ended: buildEnded });
      }
    } finally {
      building = false;
      await Promise.all(readers);
    }

    console.info(
      `zero-downtime: ${fetched.length} requests (pages and stylesheets) over ${releases.size} releases in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(outcomes, "all the builds ran inside the time bound").toHaveLength(BUILDS);
    for (const outcome of outcomes) {
      expect(outcome.status, `build ${outcome.build}: ${outcome.stderr}`).toBe(outcome.expected);
      const during = fetched.filter((request) => request.at >= outcome.started && request.at < outcome.ended).length;
      expect(during, `requests while build ${outcome.build} ran`).toBeGreaterThan(pagePaths.length);
    }
    expect(outcomes.filter((outcome) => outcome.expected === 1).length, "failing builds among them").toBeGreaterThanOrEqual(2);
    expect(releases.size, "the first release and one per successful build").toBe(1 + outcomes.filter((outcome) => outcome.expected === 0).length);

    // Every page fetched is byte for byte that page in one complete release, and its stylesheet loaded.
    const pageIn = (release: Map<string, string>, sitePath: string) =>
      release.get(sitePath.endsWith("/") ? `${sitePath.slice(1)}index.html` : sitePath.slice(1));
    const problems: string[] = [];
    const releasesSeen = new Set<string>();
    for (const request of fetched) {
      if (request.status !== 200) {
        problems.push(`${request.sitePath}: status ${request.status}`);
        continue;
      }
      const matching = [...releases].filter(([, files]) => pageIn(files, request.sitePath) === request.bodyHash);
      if (matching.length === 0) {
        problems.push(`${request.sitePath}: the page matches no complete release (truncated or mixed)`);
        continue;
      }
      for (const [name] of matching) releasesSeen.add(name);
      if (
        request.stylesheetStatus !== 200 ||
        !matching.some(([, files]) => request.stylesheet !== undefined && pageIn(files, request.stylesheet) === request.stylesheetHash)
      ) {
        problems.push(`${request.sitePath}: its stylesheet ${request.stylesheet} answered ${request.stylesheetStatus} or differs from its release's`);
      }
    }
    expect(problems.slice(0, 20), `${problems.length} bad responses out of ${fetched.length}`).toEqual([]);
    expect(fetched.length, "the readers kept fetching through the builds").toBeGreaterThan(BUILDS * pagePaths.length);
    expect(fetched.length, "the readers were still reading when the last build finished").toBeLessThan(MAX_REQUESTS);

    // The readers saw the site change: both versions of the first post were served.
    const firstPost = new Set(fetched.filter((request) => request.sitePath === "/first/").map((request) => request.bodyHash));
    expect(firstPost.size, "both versions of /first/ were served during the run").toBeGreaterThanOrEqual(2);
    expect(releasesSeen.size).toBeGreaterThanOrEqual(2);

    // Old releases were pruned to the newest few, the live one among them.
    expect(releases.size, "more releases made than kept").toBeGreaterThan(KEEP);
    const kept = (await readdir(path.join(site, ".releases"))).sort();
    expect(kept).toEqual([...releases.keys()].sort().slice(-KEEP));
    expect(kept).toContain(path.basename(await readlink(path.join(site, "_site"))));
    expect(await readFile(path.join(site, "_site/first/index.html"), "utf8")).toContain(`Version ${version} of the first post.`);
  });
});
