import path from "node:path";
import { PAGES_DIR } from "../content/site-pages.ts";
import type { JekyllSite } from "./jekyll-site.ts";
import type { OwnLinks } from "./links.ts";
import { convertBody, isBadInput, readSourceDocument, titleFromSlug, type BadInput } from "./posts.ts";
import type { SourceNote } from "./liquid.ts";
import { writeFrontMatter } from "./yaml.ts";

/** The layout an imported page is framed by (its title as the heading). */
const PAGE_LAYOUT = "layouts/page.njk";

/** A Jekyll page (`about.md`, `projects.html`), ready to be written as an Eleventy page at the URL Jekyll gave it. */
export interface ConvertedPage {
  /** Relative to the Jekyll site: `projects.md`. */
  source: string;
  /** Relative to this site: `pages/projects.md`. */
  file: string;
  url: string;
  format: "md" | "html";
  /** The file as written: front matter and body. */
  content: string;
  /** The body alone. */
  text: string;
  linksRewritten: number;
  notes: SourceNote[];
}

/**
 * The URL Jekyll gives a top-level page: its own `permalink:` (with the
 * `:basename`, `:path` and `:output_ext` placeholders), or else its name with
 * the suffix the site-wide style implies (Jekyll's `add_permalink_suffix`):
 * `/about/` under `pretty` or a style ending in `/`, `/about.html` otherwise.
 * A URL without a trailing slash or an extension is the `.html` file Jekyll wrote.
 */
export function jekyllPageUrl(site: Pick<JekyllSite, "permalink">, file: string, permalink: string | undefined): string {
  const basename = path.posix.basename(file).replace(/\.[^.]+$/, "");
  const style = site.permalink;
  const pretty = style === "pretty" || (!["date", "ordinal", "weekdate", "none"].includes(style) && style.endsWith("/"));
  const template = permalink ?? (pretty ? "/:basename/" : "/:basename:output_ext");
  const url = `/${template
    .replace(/:basename/g, basename)
    .replace(/:output_ext/g, ".html")
    .replace(/:path/g, "")}`.replace(/\/{2,}/g, "/");
  return url.endsWith("/") || /\.[a-z0-9]+$/i.test(url) ? url : `${url}.html`;
}

/**
 * Reads and converts one page as posts are converted (Liquid, kramdown, the
 * old hosts' links). The page is written for Eleventy without a template
 * engine (`templateEngineOverride`): its text was Jekyll's, and `{{` left in
 * it is text here. Returns why it cannot be imported, or undefined for a page
 * Jekyll never published.
 */
export function convertPage(
  site: JekyllSite,
  source: string,
  bytes: Buffer,
  own: OwnLinks,
  postUrls: ReadonlyMap<string, string>,
): ConvertedPage | BadInput[] | undefined {
  const document = readSourceDocument(source, bytes);
  if (isBadInput(document)) return [document];
  const { data } = document;
  if (data.published === false) return undefined;
  const format = /\.html?$/i.test(source) ? "html" : "md";
  const body = convertBody(site, { source, format, body: document.body, bodyLineOffset: document.bodyLineOffset }, own, postUrls);
  if (Array.isArray(body)) return body;
  const permalink = typeof data.permalink === "string" && data.permalink.trim() !== "" ? data.permalink.trim() : undefined;
  const url = jekyllPageUrl(site, source, permalink);
  const basename = path.posix.basename(source).replace(/\.[^.]+$/, "");
  const title = typeof data.title === "string" && data.title.trim() !== "" ? data.title.trim() : titleFromSlug(basename);
  const description = typeof data.description === "string" && data.description.trim() !== "" ? data.description.trim() : undefined;
  const fields = { layout: PAGE_LAYOUT, title, ...(description ? { description } : {}), permalink: url, templateEngineOverride: format };
  const file = `${PAGES_DIR}/${basename}.${format === "md" ? "md" : "njk"}`;
  return {
    source,
    file,
    url,
    format,
    content: `${writeFrontMatter(fields)}${body.text}`,
    text: body.text,
    linksRewritten: body.linksRewritten,
    notes: body.notes,
  };
}
