import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext, Page, WebSocketRoute } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IMAGE_CACHE_DIR } from "../lib/content/images.ts";
import { sharedBrowser } from "./helpers/browser.ts";
import { readSearchBundle, type SearchBundle } from "./helpers/search.ts";
import { commandLine, makeFixtureSite, post, REPO } from "./helpers/site.ts";
import { freePort } from "./helpers/free-port.ts";

/*
 * `npm start` exactly as package.json runs it, in a copy of the site, so edits
 * (including to lib/, which restarts the process) never touch the checkout.
 * Each step polls, bounded in time, and records how long the change took to be served.
 */
const STEP_TIMEOUT_MS = 30_000;
const PART1 = "posts/no-planned-downtime-chasm-part1.md";
const PART2 = "posts/no-planned-downtime-chasm-part2.md";
const DRAFT_FILE = "posts/dev-server-draft.md";
const DRAFT_SOURCE = post({ title: "A draft seen only in the dev server", date: "2020-05-01", tags: [], draft: true }, "Draft text.\n");
const PUBLISHED_PAGE = "<!doctype html><title>the published release</title>\n";
const IMAGE_POST_FILE = "posts/dev-server-image.md";
const IMAGE_POST = post({ title: "A post with an image", date: "2020-05-02", tags: [] }, "Before the image.\n\n![A small diagram](/images/dev-diagram.png)\n");

const timings: Record<string, number> = {};

/**
 * A copy of the site with a published `_site` release beside it; `withCode`,
 * its code and configuration too, so `--watch-path=./lib` watches the copy.
 */
async function makeDevSite(posts: Record<string, string>, { withCode }: { withCode: boolean }): Promise<string> {
  const site = await makeFixtureSite({ blogPosts: true, posts });
  if (withCode) {
    // With the lockfile and the compiled code (.build), so the copy's first start finds its compiled lib/ and packages'
    // bundle made, as the checkout's own `npm start` does, instead of making them (1.9 core-seconds).
    const parts = [".eleventy.js", "lib", "package.json", "package-lock.json", ".build"].filter((part) => existsSync(path.join(REPO, part)));
    for (const part of parts) await cp(path.join(REPO, part), path.join(site, part), { recursive: true });
    await symlink(path.join(REPO, "node_modules"), path.join(site, "node_modules"), "dir");
  }
  // What `npm run build` leaves: _site -> .releases/<name>. The dev server must never write there.
  await mkdir(path.join(site, ".releases/published"), { recursive: true });
  await writeFile(path.join(site, ".releases/published/index.html"), PUBLISHED_PAGE);
  await symlink(".releases/published", path.join(site, "_site"));
  await mkdir(path.join(site, "images"));
  await sharp({ create: { width: 600, height: 300, channels: 3, background: { r: 40, g: 90, b: 160 } } })
    .png()
    .toFile(path.join(site, "images/dev-diagram.png"));
  // What an earlier session left: a page whose post has since been renamed.
  await mkdir(path.join(site, "_dev-site/renamed-long-ago"), { recursive: true });
  await writeFile(path.join(site, "_dev-site/renamed-long-ago/index.html"), "<!doctype html><title>stale</title>\n");
  return site;
}

class DevServer {
  output = "";
  readonly origin: string;
  private readonly child: ChildProcess;

  private constructor(
    readonly site: string,
    port: number,
    args: string[],
  ) {
    this.origin = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.BLOG_DRAFTS; // the dev server's own default must show drafts
    delete env.NODE_OPTIONS;
    // Its own process group, so stop() ends node --watch and the Eleventy child together.
    this.child = spawn(process.execPath, args, { cwd: site, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** Runs package.json's `start` script in `site` (made `withCode`), on a free port. */
  static async start(site: string): Promise<DevServer> {
    const port = await freePort();
    const { scripts } = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const [command, ...args] = scripts.start!.replace("--port=8080", `--port=${port}`).split(" ");
    expect(command).toBe("node");
    expect(args).toContain(`--port=${port}`);
    return new DevServer(site, port, args);
  }

  /** Runs the command the `start` script runs, the project's compiled copy, in `site`: for a test that edits no code. */
  static async startCommand(site: string): Promise<DevServer> {
    const port = await freePort();
    return new DevServer(site, port, commandLine("authoring/dev-server", `--port=${port}`));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async fetch(sitePath: string): Promise<{ status: number; body: string } | undefined> {
    try {
      const response = await fetch(`${this.origin}${sitePath}`);
      return { status: response.status, body: await response.text() };
    } catch {
      return undefined; // not listening (yet, or while restarting)
    }
  }

  /** Polls until `check` returns a value; fails naming what it waited for, with the server's recent output. */
  async waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<{ value: T; ms: number }> {
    const started = performance.now();
    while (performance.now() - started < STEP_TIMEOUT_MS) {
      const value = await check();
      if (value !== undefined) return { value, ms: Math.round(performance.now() - started) };
      if (!this.running) throw new Error(`the dev server exited (code ${this.child.exitCode}) while waiting for ${what}:\n${this.output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out after ${STEP_TIMEOUT_MS} ms waiting for ${what}; server output:\n${this.output.slice(-3000)}`);
  }

  /** The page's text once it is served containing `needle`. */
  servedWith(sitePath: string, needle: string): () => Promise<string | undefined> {
    return async () => {
      const page = await this.fetch(sitePath);
      return page?.status === 200 && page.body.includes(needle) ? page.body : undefined;
    };
  }

  async edit(file: string, change: (text: string) => string): Promise<void> {
    const absolute = path.join(this.site, file);
    const before = await readFile(absolute, "utf8");
    const after = change(before);
    expect(after, `the edit to ${file} should change it`).not.toBe(before);
    await writeFile(absolute, after);
  }

  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || !this.running) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-pid, name);
      } catch {
        // the group is gone already
      }
    };
    signal("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    signal("SIGKILL");
  }
}

/**
 * What the dev server sends its browsers' reload clients from now on, as a tab
 * that never reloads receives it: each message's text, in order.
 */
async function recordReloads(context: BrowserContext, origin: string): Promise<() => Promise<string[]>> {
  const page = await context.newPage();
  await page.goto(`${origin}/robots.txt`); // not HTML: no reload client of its own
  type Recorder = typeof globalThis & { sent: string[] };
  await page.evaluate(
    (url) =>
      new Promise((opened) => {
        (globalThis as Recorder).sent = [];
        const socket = new WebSocket(url);
        socket.onmessage = (message) => (globalThis as Recorder).sent.push(String(message.data));
        socket.onopen = opened;
      }),
    origin.replace(/^http/, "ws"),
  );
  return () => page.evaluate(() => (globalThis as Recorder).sent.filter((message) => message.includes('"eleventy.reload"')));
}

/**
 * A tab on the dev server whose reload client (Eleventy's) gets the messages
 * the test hands it, once it listens: none is missed while the page reloads.
 * Counts its full reloads, and the pages it diffed in place.
 */
class WatchedTab {
  navigations = 0;
  diffs = 0;
  private socket: WebSocketRoute | undefined;

  private constructor(readonly page: Page) {}

  static async open(context: BrowserContext, url: string, server: DevServer): Promise<WatchedTab> {
    const tab = new WatchedTab(await context.newPage());
    await tab.page.routeWebSocket(/.*/, (socket) => {
      tab.socket = socket;
      // The page closes it as it reloads.
      socket.onClose(() => {
        if (tab.socket === socket) tab.socket = undefined;
      });
    });
    tab.page.on("console", (message) => {
      if (message.text().includes("HTML delta applied without page reload")) tab.diffs++;
    });
    await tab.page.goto(url);
    tab.page.on("framenavigated", (frame) => {
      if (frame === tab.page.mainFrame()) tab.navigations++;
    });
    await server.waitFor(`the reload client of ${url}`, async () => tab.socket);
    return tab;
  }

  /**
   * Hands one message to the page's reload client; resolves once the client
   * has answered it: the page diffed in place, or reloaded with its client listening again.
   */
  async send(message: string, server: DevServer): Promise<void> {
    const { socket, navigations, diffs } = this;
    socket!.send(message);
    await server.waitFor("the reload client's answer", async () =>
      this.diffs > diffs || (this.navigations > navigations && this.socket && this.socket !== socket) ? true : undefined,
    );
  }

  async text(): Promise<string> {
    return (await this.page.textContent("body")) ?? "";
  }

  hasStyleRule(selector: string): Promise<boolean> {
    return this.page.evaluate(
      (selector) => [...document.styleSheets].some((sheet) => [...sheet.cssRules].some((rule) => rule.cssText.includes(selector))),
      selector,
    );
  }
}

async function publishedReleaseFiles(site: string): Promise<Record<string, string>> {
  const dir = path.join(site, ".releases/published");
  const files: Record<string, string> = {};
  for (const name of await readdir(dir, { recursive: true })) files[name] = await readFile(path.join(dir, name), "utf8").catch(() => "(a folder)");
  return files;
}

afterAll(() => {
  console.info(`dev server timings (ms): ${JSON.stringify(timings)}`);
});

describe("npm start", () => {
  let server: DevServer;

  beforeAll(async () => {
    server = await DevServer.start(await makeDevSite({ "dev-server-draft.md": DRAFT_SOURCE, "dev-server-image.md": IMAGE_POST }, { withCode: true }));
    timings["first build and serve"] = (await server.waitFor("the first page", server.servedWith("/", "</html>"))).ms;
  });

  afterAll(async () => {
    await server?.stop();
    if (server) await rm(server.site, { recursive: true, force: true });
  });

  it("starts from an empty _dev-site: an earlier session's page is gone", async () => {
    expect((await server.fetch("/renamed-long-ago/"))?.status).toBe(404);
    await expect(readFile(path.join(server.site, "_dev-site/renamed-long-ago/index.html"), "utf8")).rejects.toThrow();
  });

  it("removes a page's old output when a permalink changes, and serves the new one", async () => {
    await writeFile(path.join(server.site, "posts/moving-post.md"), post({ title: "A post that moves", date: "2020-06-01" }, "Moving text.\n"));
    await server.waitFor("the new post", server.servedWith("/moving-post/", "A post that moves"));
    await server.edit("posts/moving-post.md", (text) => text.replace("date: ", "permalink: /moved-post/\ndate: "));
    timings["permalink change"] = (await server.waitFor("the moved post", server.servedWith("/moved-post/", "A post that moves"))).ms;
    await server.waitFor("the old address gone", async () => ((await server.fetch("/moving-post/"))?.status === 404 ? true : undefined));
    await expect(readFile(path.join(server.site, "_dev-site/moving-post/index.html"), "utf8")).rejects.toThrow();
    await rm(path.join(server.site, "posts/moving-post.md"));
  });

  it("serves drafts, marked as drafts", async () => {
    const page = await server.waitFor("the draft page", server.servedWith("/dev-server-draft/", "A draft seen only in the dev server"));
    expect(page.value).toContain('class="draft-badge"');
  });

  it("serves a search of the dev build, drafts included and marked, and indexes an edit after the rebuild", async () => {
    const indexed = (check: (bundle: SearchBundle) => boolean) => async () => {
      const bundle = await readSearchBundle(path.join(server.site, "_dev-site")).catch(() => undefined);
      return bundle && check(bundle) ? bundle : undefined;
    };
    const first = await server.waitFor(
      "the draft in the search index",
      indexed((bundle) => bundle.pages.some((page) => page.url === "/dev-server-draft/")),
    );
    expect(first.value.pages.find((page) => page.url === "/dev-server-draft/")?.meta.draft).toBe("Draft");
    expect((await server.fetch("/search/"))?.body).toContain('role="search"');
    expect((await server.fetch("/pagefind/pagefind.js"))?.status).toBe(200);
    await server.edit(DRAFT_FILE, (text) => text.replace("Draft text.", "Draft text. A wombatique."));
    timings["search index after an edit"] = (
      await server.waitFor(
        "the edit in the search index",
        indexed((bundle) => bundle.words.includes("wombatiqu")),
      )
    ).ms;
  });

  it("serves an edited post", async () => {
    await server.edit(PART1, (text) => text.replace(/^title: .*$/m, "title: Part one, edited while serving"));
    timings["post edit"] = (
      await server.waitFor("the edited title", server.servedWith("/no-planned-downtime-chasm-part1/", "Part one, edited while serving</h1>"))
    ).ms;
  });

  it("reloads the saved post's page once, and the pages listing it once the rebuild is done", async () => {
    const context = await (await sharedBrowser()).newContext();
    try {
      const sent = await recordReloads(context, server.origin);
      const postTab = await WatchedTab.open(context, `${server.origin}/no-planned-downtime-chasm-part2/`, server);
      const archiveTab = await WatchedTab.open(context, `${server.origin}/archive/`, server);
      const printedBefore = server.output.length;
      // Saved once; its reloads are handed to the tabs only once the rebuild is done, each as the tab listens.
      await server.edit(PART2, (text) => text.replace(/^title: .*$/m, "title: Part two, saved once"));
      // The early page's reload names no page; the rebuild's names those it wrote.
      const { early, rebuilt } = (
        await server.waitFor("the early page's and the rebuild's reloads", async () => {
          const reloads = await sent();
          const early = reloads.findLastIndex((message) => !message.includes('"build"'));
          const rebuilt = reloads.slice(early + 1).find((message) => message.includes('"build"'));
          return early >= 0 && rebuilt ? { early: reloads[early]!, rebuilt } : undefined;
        })
      ).value;
      expect(server.output.slice(printedBefore)).toContain("/no-planned-downtime-chasm-part2/ written in");

      for (const tab of [postTab, archiveTab]) await tab.send(early, server);
      expect(await postTab.text()).toContain("Part two, saved once");
      for (const tab of [postTab, archiveTab]) await tab.send(rebuilt, server);
      // The post's page took the rebuild's reload as a diff of the same page; the archive reloaded.
      expect(postTab.navigations).toBe(1);
      expect(postTab.diffs).toBe(1);
      expect(await postTab.text()).toContain("Part two, saved once");
      expect(archiveTab.navigations).toBe(2);
      expect(await archiveTab.text()).toContain("Part two, saved once");

      // A stylesheet's edit writes no page ahead: its one reload brings the new stylesheet.
      await server.edit("assets/scss/_layout.scss", (text) => `${text}\n.reload-marker { outline-color: #654321; }\n`);
      const restyled = (await server.waitFor("the stylesheet's reload", async () => (await sent()).find((message) => message.includes("_layout.scss")))).value;
      await postTab.send(restyled, server);
      expect(postTab.navigations).toBe(2);
      expect(postTab.diffs).toBe(1);
      expect(await postTab.hasStyleRule(".reload-marker")).toBe(true);
    } finally {
      await context.close();
    }
  });

  it("serves the author's static files, and a changed file as changed", async () => {
    await writeFile(path.join(server.site, "images/dev-note.txt"), "first version");
    timings["new static file"] = (await server.waitFor("the new static file", server.servedWith("/images/dev-note.txt", "first version"))).ms;
    await server.edit("images/dev-note.txt", () => "second version");
    timings["static file edit"] = (await server.waitFor("the edited static file", server.servedWith("/images/dev-note.txt", "second version"))).ms;
  });

  it("shows a text edit of a post with an image without encoding the image again", async () => {
    const page = await server.waitFor("the post with an image", server.servedWith("/dev-server-image/", "<picture>"));
    const avif = /srcset="([^" ]+\.avif) /.exec(page.value)?.[1];
    expect((await server.fetch(avif!))?.status).toBe(200);
    const cacheDir = path.join(server.site, IMAGE_CACHE_DIR);
    const cached = async () => Promise.all((await readdir(cacheDir)).sort().map(async (name) => `${name} ${(await stat(path.join(cacheDir, name))).mtimeMs}`));
    const before = await cached();
    expect(before.length).toBeGreaterThan(0);
    await server.edit(IMAGE_POST_FILE, (text) => text.replace("Before the image.", "Edited before the image."));
    timings["text edit of a post with an image"] = (
      await server.waitFor("the edited text", server.servedWith("/dev-server-image/", "Edited before the image."))
    ).ms;
    expect(await cached()).toEqual(before);
  });

  it("serves CSS rebuilt from an edited Sass partial", async () => {
    await server.edit("assets/scss/_layout.scss", (text) => `${text}\n.dev-server-marker { outline-color: #123456; }\n`);
    const servedCss = async () => {
      const href = (await server.fetch("/"))?.body.match(/<link rel="stylesheet" href="([^"]+)"/)?.[1];
      return href === undefined ? undefined : (await server.fetch(href))?.body;
    };
    timings["Sass partial edit"] = (
      await server.waitFor("the new CSS rule", async () => ((await servedCss())?.includes(".dev-server-marker") ? true : undefined))
    ).ms;
  });

  it("serves an edited layout partial and edited data", async () => {
    await server.edit("_includes/partials/tag-list.njk", (text) =>
      text.replace('<span class="tag-list-label">Tags:</span>', '<span class="tag-list-label">Filed under:</span>'),
    );
    timings["partial edit"] = (await server.waitFor("the edited partial", server.servedWith("/no-planned-downtime-chasm-part1/", "Filed under:"))).ms;
    await server.edit("_data/site.json", (text) => text.replace(/"tagline": "[^"]*"/, '"tagline": "Edited tagline"'));
    timings["data edit"] = (await server.waitFor("the edited tagline", server.servedWith("/", "Edited tagline"))).ms;
  });

  it("keeps serving the last good pages through a content error, prints it naming the file, then recovers", async () => {
    const printedBefore = server.output.length;
    await server.edit(DRAFT_FILE, (text) => text.replace(/^date: .*$/m, "date: 2020-13-45").replace("Draft text.", "Broken text."));
    const printed = await server.waitFor("the content error in the terminal", async () => {
      // The error (stderr) and Eleventy's tally (stdout) come down two pipes, in either order.
      const recent = server.output.slice(printedBefore);
      return /content error/.test(recent) && /Wrote 0 files/.test(recent) ? recent : undefined;
    });
    expect(printed.value).toContain("posts/dev-server-draft.md:3: date: found");
    expect(printed.value).toContain("expected a date like 2018-01-10");
    // Readable: the report once, no stack trace of the build's internals.
    expect(printed.value).not.toMatch(/stack trace|at loadContent|\.ts:\d+:\d+\)/);
    expect(printed.value.match(/2020-13-45/g)?.length).toBe(1);

    expect(server.running).toBe(true);
    const stale = await server.fetch("/dev-server-draft/");
    expect(stale?.status).toBe(200);
    expect(stale?.body).toContain("Draft text.");
    expect((await server.fetch("/no-planned-downtime-chasm-part1/"))?.body).toContain("Part one, edited while serving</h1>");

    // The fix, with a misspelt key: the dev server warns about it too.
    await writeFile(
      path.join(server.site, DRAFT_FILE),
      DRAFT_SOURCE.replace("Draft text.", "Recovered text.").replace("draft: true", "draft: true\nserise: no-planned-downtime-chasm"),
    );
    timings["recovery after the fix"] = (await server.waitFor("the fixed draft", server.servedWith("/dev-server-draft/", "Recovered text."))).ms;
    expect(server.output.slice(printedBefore)).toContain('warning: posts/dev-server-draft.md:6: serise: unknown front-matter field; did you mean "series"?');
  });

  it("restarts on an edit to the TypeScript in lib/ and serves its output", async () => {
    await server.edit("lib/plugins/crawlers.ts", (text) => text.replace("`User-agent: *\\nAllow: /", "`# restarted with new code\\nUser-agent: *\\nAllow: /"));
    timings["lib/ edit (process restart)"] = (
      await server.waitFor("robots.txt from the edited code", server.servedWith("/robots.txt", "# restarted with new code"))
    ).ms;
    // The restarted server still has every earlier edit.
    expect((await server.fetch("/"))?.body).toContain("Edited tagline");
  });

  it("never wrote into the published _site release", async () => {
    expect(await publishedReleaseFiles(server.site)).toEqual({ "index.html": PUBLISHED_PAGE });
  });
});

describe("the dev server with a content error from the start", () => {
  let server: DevServer;

  beforeAll(async () => {
    server = await DevServer.startCommand(
      await makeDevSite({ "dev-server-draft.md": DRAFT_SOURCE.replace("draft: true", 'draft: "yes"') }, { withCode: false }),
    );
  });

  afterAll(async () => {
    await server?.stop();
    if (server) await rm(server.site, { recursive: true, force: true });
  });

  it("prints the error, keeps running, and starts serving once the post is fixed", async () => {
    const waiting = await server.waitFor("the start-up error", async () => (/Not serving yet/.test(server.output) ? server.output : undefined));
    expect(waiting.value).toContain('posts/dev-server-draft.md:5: draft: found string "yes"; expected true or false (without quotes)');
    expect(waiting.value).not.toMatch(/stack trace|\.ts:\d+:\d+\)/);
    // It keeps running: this process serves the fixed draft below (waitFor fails the moment it exits),
    // saved at once, as the message appears, when a save is easiest to miss.
    expect(server.running).toBe(true);

    await writeFile(path.join(server.site, DRAFT_FILE), DRAFT_SOURCE);
    timings["start-up after fixing a start-up error"] = (
      await server.waitFor("the fixed draft", server.servedWith("/dev-server-draft/", "A draft seen only in the dev server"))
    ).ms;
    expect(await publishedReleaseFiles(server.site)).toEqual({ "index.html": PUBLISHED_PAGE });
  });
});
