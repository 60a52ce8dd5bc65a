import { spawn, type ChildProcess } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandLine, makeFixtureSite, post } from "./helpers/site.ts";
import { freePort } from "./helpers/free-port.ts";

/*
 * The dev server's compiled command, as `npm start` runs it, on a fixture site: hostile request
 * paths, the address it listens on, and a failed rebuild shown in the browser.
 */
const STEP_TIMEOUT_MS = 30_000;

/** A raw GET, so the path reaches the server exactly as written (fetch would normalise it). */
function get(port: number, rawPath: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: rawPath, method: "GET" }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

/** The local address a socket listening on `port` is bound to, from the kernel's table (hex, as /proc writes it). */
async function listeningAddress(port: number): Promise<string | undefined> {
  const table = await readFile("/proc/net/tcp", "utf8");
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  const line = table.split("\n").find((row) => {
    const [, local, , state] = row.trim().split(/\s+/);
    return local?.endsWith(`:${portHex}`) && state === "0A";
  });
  return line?.trim().split(/\s+/)[1]?.split(":")[0];
}

class DevServer {
  output = "";
  private readonly child: ChildProcess;
  constructor(
    readonly site: string,
    readonly port: number,
    extra: string[] = [],
  ) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    // The compiled command, run in the site's folder: its input and _dev-site are there, the code is the project's.
    this.child = spawn(process.execPath, commandLine("authoring/dev-server", `--port=${port}`, ...extra), {
      cwd: site,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
  }
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  async waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
    const started = Date.now();
    while (Date.now() - started < STEP_TIMEOUT_MS) {
      const value = await check();
      if (value !== undefined) return value;
      if (!this.running) throw new Error(`the dev server exited while waiting for ${what}:\n${this.output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}:\n${this.output.slice(-3000)}`);
  }
  async stop(): Promise<void> {
    if (this.child.pid === undefined || !this.running) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    try {
      process.kill(-this.child.pid, "SIGTERM");
    } catch {
      // gone already
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  }
}

function makeDevSite(): Promise<string> {
  return makeFixtureSite({ posts: { "guarded.md": post({ title: "Guarded", date: "2020-01-01" }, "Some text.\n") } });
}

describe("the dev server", () => {
  let server: DevServer;
  beforeAll(async () => {
    server = new DevServer(await makeDevSite(), await freePort());
    await server.waitFor("the first page", async () => ((await get(server.port, "/guarded/"))?.status === 200 ? true : undefined));
  });
  afterAll(async () => {
    await server?.stop();
    if (server) await rm(server.site, { recursive: true, force: true });
  });

  it.each(["/..%2f", "/%ff", "/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/package.json", "/a%5c..%5c..%5cpackage.json"])(
    "answers %s with 400 and keeps serving",
    async (rawPath) => {
      const answer = await get(server.port, rawPath);
      expect(answer?.status).toBe(400);
      expect((await get(server.port, "/guarded/"))?.status).toBe(200);
      expect(server.running).toBe(true);
    },
  );

  it("listens on 127.0.0.1 only", async () => {
    expect(await listeningAddress(server.port)).toBe("0100007F");
  });

  it("shows a failed rebuild's errors in the browser, on the page that failed, while the terminal lists them", async () => {
    const file = path.join(server.site, "posts/guarded.md");
    await writeFile(file, (await readFile(file, "utf8")).replace("Some text.", "Some text with [a broken link](/does-not-exist/)."));
    const page = await server.waitFor("the banner", async () => {
      const answer = await get(server.port, "/guarded/");
      return answer?.body.includes('class="build-problems"') ? answer.body : undefined;
    });
    expect(page).toContain("a broken link");
    expect(page).toMatch(/<code>posts\/guarded\.md:\d+<\/code>[^<]*\/does-not-exist\//);
    expect(server.output).toMatch(/posts\/guarded\.md:\d+: a href: found "\/does-not-exist\/"/);
    // Fixed, the next build's pages carry no banner.
    await writeFile(file, (await readFile(file, "utf8")).replace("[a broken link](/does-not-exist/)", "a mended link"));
    await server.waitFor("the page without the banner", async () => {
      const answer = await get(server.port, "/guarded/");
      return answer?.body.includes("a mended link") && !answer.body.includes("build-problems") ? true : undefined;
    });
  });
});

describe("the dev server with --host", () => {
  it("listens where --host says", async () => {
    const server = new DevServer(await makeDevSite(), await freePort(), ["--host=0.0.0.0"]);
    try {
      // Its socket is what matters here, not the pages (served as above): no need to wait for the first build.
      expect(await server.waitFor("a listening socket", () => listeningAddress(server.port))).toBe("00000000");
    } finally {
      await server.stop();
      await rm(server.site, { recursive: true, force: true });
    }
  });
});
