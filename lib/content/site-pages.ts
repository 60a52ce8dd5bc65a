import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { splitFrontMatter } from "./front-matter.ts";

/*
 * The site's pages are Eleventy's: templates in pages/ (and at the root), each
 * with its own front matter. The content model reads only the permalink a page
 * gives itself, so that a post cannot take a page's path.
 */

/** Where the site keeps its pages. */
export const PAGES_DIR = "pages";

/** Page templates with YAML front matter (an 11ty.js page sets its permalink in code). */
const PAGE_TEMPLATE = /\.(?:njk|md)$/;

/**
 * Each path a page in pages/ (or a template at the root) sets as its own
 * `permalink:`, with the page's file. A permalink that is a template
 * (`{{ paths.archive }}`) is one of PAGE_PATHS, which the model keeps anyway;
 * a page whose front matter cannot be read is Eleventy's to report.
 */
export function pagePermalinks(inputDir: string): Map<string, string> {
  const permalinks = new Map<string, string>();
  for (const file of pageTemplates(inputDir)) {
    const permalink = fixedPermalink(path.join(inputDir, file));
    if (permalink !== undefined) permalinks.set(permalink.startsWith("/") ? permalink : `/${permalink}`, file);
  }
  return permalinks;
}

/** pages/**, and the templates at the root but a README: relative, with forward slashes. */
function pageTemplates(inputDir: string): string[] {
  const inPages = readFolder(path.join(inputDir, PAGES_DIR), true).map((file) => `${PAGES_DIR}/${file}`);
  const atRoot = readFolder(inputDir, false).filter((file) => !/^readme\./i.test(file));
  return [...inPages, ...atRoot].filter((file) => PAGE_TEMPLATE.test(file)).sort();
}

function readFolder(folder: string, recursive: boolean): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true, recursive })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"));
  } catch {
    return [];
  }
}

/** A `permalink:` line whose value is not a template: only then is a page's front matter worth parsing. */
const FIXED_PERMALINK_LINE = /^permalink:[ \t]*["']?[^\s"'{]/m;

function fixedPermalink(file: string): string | undefined {
  try {
    const text = readFileSync(file, "utf8");
    if (!FIXED_PERMALINK_LINE.test(text)) return undefined;
    const { data } = splitFrontMatter(text);
    const permalink = (data as { permalink?: unknown } | null)?.permalink;
    return typeof permalink === "string" && permalink.trim() !== "" && !permalink.includes("{") ? permalink.trim() : undefined;
  } catch {
    return undefined;
  }
}
