// A folder served the way a static host serves a release; the browser tests and `npm run audit` read the built site through it.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { outputFile, PAGE_PATHS } from "../content/paths.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
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
    let file = path.join(base, outputFile(pathname));
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
      file = path.join(base, PAGE_PATHS.notFound);
    }
    response.writeHead(status, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    createReadStream(file)
      .on("error", () => response.end())
      .pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
