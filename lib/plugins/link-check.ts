import path from "node:path";
import type { BuildResult, UserConfig } from "@11ty/eleventy";
import { Parser } from "htmlparser2";
import { ContentError, type ContentIssue } from "../content/issues.ts";
import type { Blog } from "./content-model.ts";

/** What one page offers (its ids) and asks for (its links). */
interface PageLinks {
  ids: Set<string>;
  duplicateIds: Set<string>;
  links: Array<{ attribute: string; value: string }>;
}

const LINK_ATTRIBUTES: Record<string, string[]> = { a: ["href"], link: ["href"], img: ["src"], script: ["src"], source: ["src"], area: ["href"] };

export function scanPage(html: string): PageLinks {
  const page: PageLinks = { ids: new Set(), duplicateIds: new Set(), links: [] };
  const parser = new Parser({
    onopentag(name, attributes) {
      const id = attributes.id;
      if (id !== undefined) {
        if (page.ids.has(id)) page.duplicateIds.add(id);
        page.ids.add(id);
      }
      for (const attribute of LINK_ATTRIBUTES[name] ?? []) {
        const value = attributes[attribute];
        // rel=alternate feed links and the like are checked too; only the
        // canonical-style absolute links to other hosts are out of scope.
        if (value !== undefined) page.links.push({ attribute: `${name} ${attribute}`, value });
      }
    },
  }, { decodeEntities: true, lowerCaseAttributeNames: true });
  parser.end(html);
  return page;
}

/**
 * Every internal link and #fragment in the built site must land somewhere.
 * Runs after each build over the rendered output (no re-reading from disk).
 */
export function checkLinks(results: readonly BuildResult[], blog: Blog, inputDir = ".", scan: (url: string, html: string) => PageLinks = (_url, html) => scanPage(html)): ContentIssue[] {
  const { urls } = blog.site;
  const pages = new Map<string, { result: BuildResult; links?: PageLinks }>();
  for (const result of results) {
    if (typeof result.url !== "string") continue;
    const html = /\.html?$/.test(String(result.outputPath));
    pages.set(result.url, { result, links: html ? scan(result.url, result.content) : undefined });
  }
  const issues: ContentIssue[] = [];
  const siteRoot = urls.absolute("/");

  for (const [url, { result, links }] of pages) {
    if (!links) continue;
    // Named as the author knows it: posts/x.md, not the path Eleventy was given.
    const file = path.relative(inputDir, result.inputPath).split(path.sep).join("/");
    for (const id of links.duplicateIds) issues.push({ file, field: `id="${id}"`, expected: `the id is used more than once on ${url}; every id on a page must be unique` });
    for (const { attribute, value } of links.links) {
      let target: URL;
      try {
        target = new URL(value, urls.absolute(url));
      } catch {
        issues.push({ file, field: attribute, found: JSON.stringify(value), expected: `a valid URL (on ${url})` });
        continue;
      }
      if (!target.href.startsWith(siteRoot) && target.origin !== urls.origin) continue; // another site
      if (target.origin === urls.origin && !target.pathname.startsWith(urls.pathPrefix)) {
        issues.push({ file, field: attribute, found: JSON.stringify(value), expected: `a link inside the site (under ${urls.pathPrefix}) on ${url}` });
        continue;
      }
      const sitePath = `/${safeDecode(target.pathname, decodeURI).slice(urls.pathPrefix.length)}`;
      const linked = pages.get(sitePath) ?? pages.get(sitePath.endsWith("/") ? `${sitePath}index.html` : `${sitePath}/`);
      if (!linked) {
        issues.push({ file, field: attribute, found: JSON.stringify(value), expected: `a page or file that exists; nothing is published at ${sitePath} (linked from ${url})` });
        continue;
      }
      const fragment = safeDecode(target.hash.slice(1), decodeURIComponent);
      if (fragment !== "" && linked.links && !linked.links.ids.has(fragment)) {
        issues.push({ file, field: attribute, found: JSON.stringify(value), expected: `an element with id="${fragment}" on ${sitePath}; there is none (linked from ${url})` });
      }
    }
  }
  return issues;
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
    const issues = checkLinks(results, options.blog, directories.input, runMode === "build" ? undefined : scanUnlessUnchanged);
    if (issues.length > 0) throw new ContentError(issues);
  });
}
