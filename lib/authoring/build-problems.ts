import type { IncomingMessage, ServerResponse } from "node:http";
import { findContentError, formatIssue, type ContentIssue } from "../content/issues.ts";

/*
 * The dev server's answer to two kinds of hostile request, and its report of a
 * failed build in the browser.
 *
 * Eleventy's dev server throws on a path that leaves its folder (`/..%2f`:
 * "Invalid path") or is not UTF-8 (`/%ff`: URIError), outside any handler, and
 * the process dies. Such requests get a 400 here, before it sees them.
 *
 * After a failed rebuild Eleventy keeps serving what the build wrote, which may
 * include the very page that failed (a broken link is found once pages are
 * written). The terminal lists the errors; every HTML page served until the
 * next good build lists them too, in a banner at the top.
 */

/** Why a request path cannot be served, or undefined when it can. */
export function requestProblem(url: string): string | undefined {
  const pathname = url.split(/[?#]/, 1)[0] ?? "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return "the path is not valid percent-encoded UTF-8";
  }
  if (!decoded.startsWith("/")) return "the path must start with /";
  if (/[\u0000\\]/.test(decoded)) return "the path holds a NUL or a backslash";
  if (decoded.split("/").some((segment) => segment === "." || segment === "..")) return "the path has . or .. segments";
  return undefined;
}

/** Shared across module copies: Eleventy may load a plugin again through a cache-busted import. */
const STORE = Symbol.for("bitter-coder.build-problems");
type Store = { issues: readonly ContentIssue[] };
const store = ((globalThis as Record<symbol, Store | undefined>)[STORE] ??= { issues: [] });

/** Called as a build starts: its problems are not known yet. */
export function startBuild(): void {
  store.issues = [];
}

/** Keeps a failed build's content errors for the browser (other errors stay the terminal's). */
export function recordBuildProblems(error: unknown): void {
  const contentError = findContentError(error);
  if (contentError) store.issues = [...store.issues, ...contentError.issues];
}

export function buildProblems(): readonly ContentIssue[] {
  return store.issues;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The banner listing a build's errors, placed first in the page's body. */
export function problemsBanner(issues: readonly ContentIssue[]): string {
  const items = issues
    .map(
      (issue) =>
        `<li><code>${escapeHtml(issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`)}</code> ${escapeHtml(formatIssue(issue).replace(/^[^ ]+ /, ""))}</li>`,
    )
    .join("");
  return `<aside class="build-problems" role="alert" aria-labelledby="build-problems-title"><h2 id="build-problems-title">The last build failed: ${issues.length} content error${issues.length === 1 ? "" : "s"}</h2><p>This page may be out of date or wrong until they are fixed.</p><ul>${items}</ul></aside>`;
}

export function withBanner(html: string, issues: readonly ContentIssue[]): string {
  const body = /<body\b[^>]*>/i.exec(html);
  if (!body) return problemsBanner(issues) + html;
  const at = body.index + body[0].length;
  return html.slice(0, at) + problemsBanner(issues) + html.slice(at);
}

type Next = () => unknown;

/** Dev-server middleware: refuses hostile paths with a 400, and adds the failed build's banner to HTML pages. */
export async function devServerGuard(request: IncomingMessage, response: ServerResponse, next: Next): Promise<void> {
  const problem = requestProblem(request.url ?? "/");
  if (problem) {
    response.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end(`400 Bad Request: ${problem}\n`);
    return;
  }
  const issues = buildProblems();
  if (issues.length > 0) {
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      const html = typeof chunk === "string" && String(response.getHeader("content-type") ?? "").startsWith("text/html");
      return end(html ? withBanner(chunk, issues) : chunk, ...rest);
    }) as ServerResponse["end"];
  }
  try {
    await next();
  } catch (error) {
    // Whatever else the server trips over answers this request, not the process.
    console.error(`[dev server] ${request.url}: ${(error as Error).message}`);
    if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
    if (!response.writableEnded) response.end("500: the dev server could not serve this path; see the terminal\n");
  }
}
