import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { buildSite, type BuiltSite } from "./site.ts";

/** Debian's Chromium; CI sets CHROME_PATH. Playwright's own browser download cannot work here. */
export const CHROME_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";

/** Without the background-networking flags Chromium tries to reach Google's hosts at start. Also used by `npm run audit`. */
export const CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROME_PATH, headless: true, args: CHROMIUM_FLAGS });
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

export interface StaticServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a folder on 127.0.0.1 the way a static host does: `/x/` serves
 * `x/index.html`, unknown paths get `404.html` with status 404. `mountPath`
 * serves the folder under a prefix such as `/blog/`. `root` may be a function,
 * read per request, so a test can follow a symlink that changes under it.
 */
export async function serveStatic(root: string | (() => string), mountPath = "/"): Promise<StaticServer> {
  const rootOf = typeof root === "function" ? root : () => root;
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    let pathname = decodeURIComponent(url.pathname);
    if (!pathname.startsWith(mountPath)) {
      response.writeHead(404).end();
      return;
    }
    pathname = `/${pathname.slice(mountPath.length)}`;
    const base = rootOf();
    let file = path.join(base, pathname.endsWith("/") ? `${pathname}index.html` : pathname);
    if (!file.startsWith(path.resolve(base))) {
      response.writeHead(403).end();
      return;
    }
    let status = 200;
    const info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      response.writeHead(301, { location: `${url.pathname}/` }).end();
      return;
    }
    if (!info) {
      status = 404;
      file = path.join(base, "404.html");
    }
    response.writeHead(status, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    createReadStream(file).on("error", () => response.end()).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The real site built, served on 127.0.0.1 and open to a browser: the setup every reader test shares. */
export interface ServedSite {
  readonly site: BuiltSite;
  readonly server: StaticServer;
  readonly browser: Browser;
}

/**
 * Registers the suite's hooks: the site is built, served and a browser launched
 * before its tests (and before hooks registered after this call), all closed
 * after. The returned fields are readable once the tests run.
 */
export function useServedRealSite(): ServedSite {
  let served: ServedSite | undefined;
  beforeAll(async () => {
    const site = await buildSite();
    const server = await serveStatic(site.outputDir);
    served = { site, server, browser: await launchBrowser() };
  });
  afterAll(async () => {
    await served?.browser.close();
    await served?.server.close();
    await served?.site.cleanup();
  });
  const current = (): ServedSite => {
    if (!served) throw new Error("the served site is read before the suite's beforeAll ran");
    return served;
  };
  return {
    get site() { return current().site; },
    get server() { return current().server; },
    get browser() { return current().browser; },
  };
}
