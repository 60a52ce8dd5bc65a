import { readFileSync } from "node:fs";
import path from "node:path";
import type { BuildResult, UserConfig } from "@11ty/eleventy";
import { decodeHTMLAttribute } from "entities";
import { Tokenizer, type TokenizerCallbacks } from "htmlparser2";
import { recordBuildProblems } from "../authoring/build-problems.ts";
import { ContentError, formatIssue, IssueLog, type ContentIssue } from "../content/issues.ts";
import { BROKEN_LINKS_FILE, linkSitePath, partitionBrokenLinks, pruneKnownBrokenLinks, readKnownBrokenLinks } from "../content/known-broken-links.ts";
import type { SiteUrls } from "../content/site-urls.ts";
import type { Blog } from "./content-model.ts";

/** What one page offers (its ids) and asks for (its links). */
interface PageLinks {
  ids: Set<string>;
  duplicateIds: Set<string>;
  links: Array<{ attribute: string; value: string }>;
}

const LINK_ATTRIBUTES: ReadonlyMap<string, readonly string[]> = new Map([
  ["a", ["href"]],
  ["area", ["href"]],
  ["link", ["href"]],
  ["img", ["src"]],
  ["script", ["src"]],
  ["source", ["src"]],
]);

/**
 * Reads a page's ids and link attributes with htmlparser2's tokenizer, the
 * HTML reader the sanitizer uses too. It knows comments, and the raw text of
 * script, style and textarea, where a `<a` is not a tag. It reports positions,
 * not strings, so only the names and values the check needs become strings:
 * most tags carry neither a link nor an id. Entities are decoded only in the
 * values read: decoding every entity of the text (code is full of them) took
 * the scan of a 3,000-post site from 0.85 s to 1.3 s.
 */
class PageReader implements TokenizerCallbacks {
  readonly page: PageLinks = { ids: new Set(), duplicateIds: new Set(), links: [] };
  private tag = "";
  private wanted: readonly string[] | undefined;
  /** The attribute whose value is being read, when the check needs it. */
  private attribute: string | undefined;
  private value = "";

  constructor(private readonly html: string) {}

  onopentagname(start: number, end: number): void {
    this.tag = this.html.slice(start, end).toLowerCase();
    this.wanted = LINK_ATTRIBUTES.get(this.tag);
  }

  onattribname(start: number, end: number): void {
    this.attribute = undefined;
    // id, src and href: no other attribute needs a string made of its name.
    if (end - start < 2 || end - start > 4) return;
    const name = this.html.slice(start, end).toLowerCase();
    if (name === "id" || this.wanted?.includes(name)) {
      this.attribute = name;
      this.value = "";
    }
  }

  onattribdata(start: number, end: number): void {
    if (this.attribute !== undefined) this.value += this.html.slice(start, end);
  }

  onattribend(): void {
    const { attribute, value: raw, page } = this;
    if (attribute === undefined) return;
    this.attribute = undefined;
    const value = raw.includes("&") ? decodeHTMLAttribute(raw) : raw;
    if (attribute !== "id") {
      page.links.push({ attribute: `${this.tag} ${attribute}`, value });
    } else {
      if (page.ids.has(value)) page.duplicateIds.add(value);
      page.ids.add(value);
    }
  }

  onattribentity(): void {}
  oncdata(): void {}
  onclosetag(): void {}
  oncomment(): void {}
  ondeclaration(): void {}
  onend(): void {}
  onopentagend(): void {}
  onprocessinginstruction(): void {}
  onselfclosingtag(): void {}
  ontext(): void {}
  ontextentity(): void {}
}

export function scanPage(html: string): PageLinks {
  const reader = new PageReader(html);
  const tokenizer = new Tokenizer({ decodeEntities: false }, reader);
  tokenizer.write(html);
  tokenizer.end();
  return reader.page;
}

/** A link check issue; one about a link to nowhere names the site path it points at, and the page it is on. */
export interface LinkIssue extends ContentIssue {
  missingTarget?: { sitePath: string; pageUrl: string };
}

/**
 * Every internal link and #fragment in the built site must land somewhere.
 * Runs after each build over the rendered output (no re-reading from disk).
 * Every published URL is known before the first page is read, so each page's
 * links are checked as soon as it is scanned and then let go; only a fragment
 * on a page not yet read waits, for that page's ids.
 */
export function checkLinks(
  results: readonly BuildResult[],
  blog: Blog,
  inputDir = ".",
  scan: (url: string, html: string) => PageLinks = (_url, html) => scanPage(html),
): LinkIssue[] {
  const check = new SiteLinkCheck(blog, inputDir, results);
  for (const [url, { result, html }] of check.published) {
    if (html) check.readPage(url, result.inputPath, scan(url, result.content));
  }
  return check.finish();
}

/** A page being read: its URL, the file the author knows it by, and its absolute address (what its links are relative to). */
interface PageBeingRead {
  url: string;
  file: string;
  pageUrl: string;
}

/** The link check of one build: what is published, the ids of the pages read so far, and the fragments waiting for a page. */
class SiteLinkCheck {
  readonly published = new Map<string, { result: BuildResult; html: boolean }>();
  readonly #issues: LinkIssue[] = [];
  readonly #idsOf = new Map<string, ReadonlySet<string>>();
  readonly #waiting: Array<{ targetUrl: string; fragment: string; missing: () => ContentIssue }> = [];
  readonly #blog: Blog;
  readonly #inputDir: string;
  readonly #resolve: (value: string, pageUrl: string) => ResolvedLink;
  /** Files published as they are, and images' published variants: not pages, but there. */
  readonly #staticFiles: ReadonlyMap<string, string>;
  readonly #imageFiles: ReadonlySet<string>;

  constructor(blog: Blog, inputDir: string, results: readonly BuildResult[]) {
    this.#blog = blog;
    this.#inputDir = inputDir;
    this.#resolve = linkResolver(blog.site.urls);
    this.#staticFiles = blog.model.staticFiles;
    this.#imageFiles = blog.model.images.published;
    for (const result of results) {
      if (typeof result.url === "string") this.published.set(result.url, { result, html: /\.html?$/.test(String(result.outputPath)) });
    }
  }

  readPage(url: string, inputPath: string, links: PageLinks): void {
    this.#idsOf.set(url, links.ids);
    // Named as the author knows it: posts/x.md, not the template that laid it out.
    const file = this.#blog.postFileAt(url) ?? path.relative(this.#inputDir, inputPath).split(path.sep).join("/");
    const page = { url, file, pageUrl: this.#blog.site.urls.absolute(url) };
    for (const id of links.duplicateIds)
      this.#issues.push({ file, field: `id="${id}"`, expected: `the id is used more than once on ${url}; every id on a page must be unique` });
    for (const { attribute, value } of links.links) this.#checkLink(page, attribute, value);
  }

  /** Every issue, once the fragments that waited for a later page are checked against its ids. */
  finish(): LinkIssue[] {
    for (const { targetUrl, fragment, missing } of this.#waiting) {
      if (!this.#idsOf.get(targetUrl)!.has(fragment)) this.#issues.push(missing());
    }
    return this.#issues;
  }

  #checkLink(page: PageBeingRead, attribute: string, value: string): void {
    const target = this.#resolve(value, page.pageUrl);
    if (target === "elsewhere") return; // another site
    const { url } = page;
    if (target === "invalid" || target === "outside the prefix") {
      const { pathPrefix } = this.#blog.site.urls;
      const expected = target === "invalid" ? `a valid URL (on ${url})` : `a link inside the site (under ${pathPrefix}) on ${url}`;
      this.#issues.push(problem(page, attribute, value, expected));
      return;
    }
    const { sitePath, fragment } = target;
    if (this.#staticFiles.has(sitePath) || this.#imageFiles.has(sitePath)) return;
    const targetUrl = [sitePath, sitePath.endsWith("/") ? `${sitePath}index.html` : `${sitePath}/`].find((candidate) => this.published.has(candidate));
    if (targetUrl === undefined) {
      this.#issues.push({
        ...problem(page, attribute, value, `a page or file that exists; nothing is published at ${sitePath} (linked from ${url})`),
        line: lineOf(this.#inputDir, page.file, value, sitePath),
        missingTarget: { sitePath, pageUrl: url },
      });
      return;
    }
    if (fragment === "" || !this.published.get(targetUrl)!.html) return;
    const missing = () => problem(page, attribute, value, `an element with id="${fragment}" on ${sitePath}; there is none (linked from ${url})`);
    const ids = this.#idsOf.get(targetUrl);
    if (ids === undefined) this.#waiting.push({ targetUrl, fragment, missing });
    else if (!ids.has(fragment)) this.#issues.push(missing());
  }
}

function problem(page: PageBeingRead, attribute: string, value: string, expected: string): ContentIssue {
  return { file: page.file, field: attribute, found: JSON.stringify(value), expected };
}

/** The line of a post that holds a link, as the author typed it or as a site path; read only when a link is broken. */
function lineOf(inputDir: string, file: string, value: string, sitePath: string): number | undefined {
  let source: string;
  try {
    source = readFileSync(path.join(inputDir, file), "utf8");
  } catch {
    return undefined;
  }
  const lines = source.split(/\r\n?|\n/);
  for (const needle of [value, sitePath]) {
    const index = lines.findIndex((line) => line.includes(needle));
    if (index !== -1) return index + 1;
  }
  return undefined;
}

type ResolvedLink = "invalid" | "elsewhere" | "outside the prefix" | { sitePath: string; fragment: string };

/** Root-relative and absolute links mean the same on every page. */
const PAGE_INDEPENDENT = /^(?:[a-z][a-z0-9+.-]*:|\/)/i;

/**
 * Where a link lands: a site path and fragment, or why it is not checked further.
 * The same navigation links appear on every page, so a link that means the same
 * on every page is parsed once per build, not once per page.
 */
function linkResolver(urls: SiteUrls): (value: string, pageUrl: string) => ResolvedLink {
  const siteRoot = urls.absolute("/");
  const known = new Map<string, ResolvedLink>();
  const resolveOn = (value: string, pageUrl: string): ResolvedLink => {
    let target: URL;
    try {
      target = new URL(value, pageUrl);
    } catch {
      return "invalid";
    }
    if (!target.href.startsWith(siteRoot) && target.origin !== urls.origin) return "elsewhere";
    if (target.origin === urls.origin && !target.pathname.startsWith(urls.pathPrefix)) return "outside the prefix";
    return {
      sitePath: `/${safeDecode(target.pathname, decodeURI).slice(urls.pathPrefix.length)}`,
      fragment: safeDecode(target.hash.slice(1), decodeURIComponent),
    };
  };
  return (value, pageUrl) => {
    if (!PAGE_INDEPENDENT.test(value)) return resolveOn(value, pageUrl);
    let resolved = known.get(value);
    if (resolved === undefined) {
      resolved = resolveOn(value, pageUrl);
      known.set(value, resolved);
    }
    return resolved;
  };
}

/** A malformed escape (`%zz`) is checked as typed rather than crashing the check. */
function safeDecode(value: string, decode: (text: string) => string): string {
  try {
    return decode(value);
  } catch {
    return value;
  }
}

export default function linkCheckPlugin(eleventyConfig: UserConfig, options: { blog: Blog }): void {
  // Each page's last scan: a dev-server rebuild rescans only the pages whose HTML
  // changed, instead of parsing the whole site again after every edit.
  const lastScans = new Map<string, { html: string; links: PageLinks }>();
  const scanUnlessUnchanged = (url: string, html: string): PageLinks => {
    const last = lastScans.get(url);
    if (last?.html === html) return last.links;
    const links = scanPage(html);
    lastScans.set(url, { html, links });
    return links;
  };
  eleventyConfig.on("eleventy.after", ({ results, directories, runMode }) => {
    options.blog.siteChecks = (async () => {
      try {
        const issues = checkLinks(results, options.blog, directories.input, runMode === "build" ? undefined : scanUnlessUnchanged);
        await judgeAgainstLedger(issues, options.blog, directories.input, runMode === "build");
      } catch (error) {
        recordBuildProblems(error);
        throw error;
      }
    })();
    return options.blog.siteChecks;
  });
}

/**
 * Broken links the known-broken-links ledger records are warnings; any other
 * issue fails the build. After a production build has passed, entries whose
 * links work now are dropped from the ledger.
 */
async function judgeAgainstLedger(issues: readonly LinkIssue[], blog: Blog, inputDir: string, production: boolean): Promise<void> {
  const log = new IssueLog();
  const ledger = await readKnownBrokenLinks(inputDir, log);
  log.throwIfAny();
  const broken = issues.flatMap((issue) =>
    issue.missingTarget === undefined ? [] : [{ issue, sitePath: issue.missingTarget.sitePath, postFiles: blog.postFilesShownAt(issue.missingTarget.pageUrl) }],
  );
  const { known, stillBroken } = partitionBrokenLinks(ledger, broken);
  const knownIssues = new Set(known.map((link) => link.issue));
  const failures = issues.filter((issue) => !knownIssues.has(issue)).map(({ missingTarget: _, ...issue }) => issue);
  if (failures.length > 0) throw new ContentError(failures);
  // One warning per ledger entry, though its link may be on several pages (a post's, its series' one page).
  for (const entry of ledger.filter((candidate) => stillBroken.has(candidate))) {
    const own = known.find((link) => link.issue.file === entry.file && link.sitePath === linkSitePath(entry.link))?.issue;
    console.warn(
      `warning: ${formatIssue({ ...(own ?? { field: "link", found: JSON.stringify(entry.link) }), file: entry.file, line: own?.line ?? entry.line, expected: `a known broken link, recorded in ${BROKEN_LINKS_FILE}: it still leads nowhere` })}`,
    );
  }
  if (!production) return;
  const fixed = await pruneKnownBrokenLinks(inputDir, ledger, stillBroken);
  if (fixed.length > 0) console.log(`Dropped ${fixed.length} link(s) that work now from ${BROKEN_LINKS_FILE}; commit it with the posts.`);
}
