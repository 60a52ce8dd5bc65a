/*
 * Where the site publishes what the model holds: each URL scheme written once.
 * Paths are site paths (`/tags/x/`), before any deployment prefix; SiteUrls
 * turns them into links. A post's site path becomes a folder with an
 * index.html in it; the generator writes its own files and folders beside
 * them. The content model claims every output path (OutputPaths) before
 * anything is written, so a collision is a content error naming the post, not
 * an ENOTDIR or EISDIR from deep inside Eleventy.
 */

/** A post's page: `posts/<slug>.md` at `/<slug>/`, unless its front matter sets a permalink. */
export function postPath(slug: string, permalink: string | undefined): string {
  return permalink ?? `/${slug}/`;
}

/**
 * Jekyll's `Document#id`: the URL's directory joined with the slug, which
 * jekyll-feed published as each entry's <id>. For `/:title/` permalinks that is
 * `/slug` without the trailing slash. Keeping the rule keeps every old id.
 */
export function jekyllPostId(sitePath: string, slug: string): string {
  const trimmed = sitePath.replace(/\/+$/, "");
  const directory = trimmed.slice(0, trimmed.lastIndexOf("/"));
  return `${directory}/${slug}`;
}

/** A tag's page, from the tag as the author wrote it; its later pages (2, 3...) beneath it. */
export function tagPath(tag: string, page = 1): string {
  const first = `${PAGE_PATHS.tags}${tagSlug(tag)}/`;
  return page === 1 ? first : `${first}page/${page}/`;
}

/** A series' own pages and feed. */
export function seriesPaths(slug: string): { sitePath: string; allPath: string; feedPath: string } {
  const sitePath = `${PAGE_PATHS.series}${slug}/`;
  return { sitePath, allPath: `${sitePath}all/`, feedPath: `${sitePath}rss.xml` };
}

/** A post's file name (and any generated slug): lower-case words of letters and digits, joined by - or _. */
export const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

/** A series' slug, its URL under /series/: lower-case words of letters and digits, joined by hyphens. */
export const SERIES_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The slug of a title or a file name, matching SLUG, or "" when it has no
 * letter or digit: `npm run new` names a post's file with it, and an error
 * about a file name suggests it. Accents are dropped ("Café" → "cafe"), and
 * apostrophes ("Don't" → "dont", not "don-t"); any other run of characters,
 * an underscore too, becomes one hyphen.
 */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents, split off by NFKD
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The site's own pages. Each takes its permalink from here
 * (`permalink: "{{ paths.archive }}"`), and links to it read it too
 * (`{{ paths.archive | href }}`), so the paths the content model keeps from
 * posts are the paths the pages are at. A page the author adds sets a
 * permalink of its own, which the model reads (site-pages.ts).
 */
export const PAGE_PATHS = {
  home: "/",
  notFound: "/404.html",
  archive: "/archive/",
  series: "/series/",
  tags: "/tags/",
  notes: "/notes/",
  about: "/about/",
  feeds: "/feeds/",
  search: "/search/",
} as const;

/** The site-wide feeds. */
export const FEED_PATHS = { atom: "/feed.xml", rss: "/rss.xml", json: "/feed.json" } as const;

/** What machines read: the sitemap, robots.txt and the hosts' headers file. */
export const CRAWLER_PATHS = { sitemap: "/sitemap.xml", robots: "/robots.txt", headers: "/_headers" } as const;

/** The generator's files: the stylesheet and scripts (named by a hash of their content) and images' encoded variants. */
export const ASSETS_PATH = "/assets/";

/** The search index Pagefind writes. */
export const SEARCH_BUNDLE_PATH = "/pagefind/";

/** Files the generator writes at the site's root, with what each is (for messages). */
export const GENERATOR_FILES: ReadonlyMap<string, string> = new Map([
  [outputFile(PAGE_PATHS.home), "the home page"],
  [PAGE_PATHS.notFound, "the not-found page"],
  [FEED_PATHS.atom, "the Atom feed"],
  [FEED_PATHS.rss, "the RSS feed"],
  [FEED_PATHS.json, "the JSON feed"],
  [CRAWLER_PATHS.sitemap, "the sitemap"],
  [CRAWLER_PATHS.robots, "robots.txt"],
  [CRAWLER_PATHS.headers, "the hosts' _headers file"],
]);

/** Folders the generator owns (its pages' and files'): a post's permalink may not be in them. */
export const GENERATOR_FOLDERS: readonly string[] = [
  ...Object.values(PAGE_PATHS).filter((sitePath) => sitePath.endsWith("/") && sitePath !== PAGE_PATHS.home),
  ASSETS_PATH,
  SEARCH_BUNDLE_PATH,
];

/** Every path the generator keeps for itself: its files, and its folders as prefixes. */
export function isGeneratorPath(sitePath: string): boolean {
  return GENERATOR_FILES.has(sitePath) || GENERATOR_FOLDERS.some((folder) => sitePath.startsWith(folder));
}

/** The characters a permalink segment may not hold: URL syntax, spaces, controls, quotes and backslashes. */
const UNSAFE_SEGMENT = /[\s\u0000-\u001f\u007f-\u009f?#%\\"'<>`{}|^]/u;

/**
 * Why a permalink is not a clean site path, or undefined when it is. A clean
 * path starts and ends with /, has no empty, `.` or `..` segment (so no `//`,
 * which a browser reads as another host), no scheme and no characters that
 * mean something else in a URL.
 */
export function permalinkProblem(permalink: string): string | undefined {
  // An imported post may keep an old address that names its page (`/2009/07/old-post.html`).
  const page = /[^/]\.html$/.test(permalink);
  if (!permalink.startsWith("/") || (!permalink.endsWith("/") && !page))
    return "expected a site path that starts and ends with /, like /my-post/ (or an old address ending in .html)";
  if (permalink === PAGE_PATHS.home) return "expected a path of the post's own; / is the home page";
  const segments = permalink.slice(1, page ? undefined : -1).split("/");
  if (segments.some((segment) => segment === "")) return "expected single slashes between segments (// is read as another host)";
  if (segments.some((segment) => segment === "." || segment === "..")) return "expected no . or .. segments; write the path they lead to";
  if (/^[a-z][a-z0-9+.-]*:/i.test(segments[0]!)) return "expected a path on this site, not a URL with a scheme";
  const unsafe = segments.find((segment) => UNSAFE_SEGMENT.test(segment));
  if (unsafe !== undefined) return "expected letters, digits, - _ . ~ and the like in each segment: no spaces, control characters, quotes or ? # % \\";
  return undefined;
}

/** The file a site path is written to: a folder's index.html, or the file it names. */
export function outputFile(sitePath: string): string {
  return sitePath.endsWith("/") ? `${sitePath}index.html` : sitePath;
}

/**
 * The output files of one build, each with who writes it. A post at `/x/` is
 * written to `/x/index.html`; that collides with any file at that path, and
 * with a file at `/x` or any folder above, which would have to be a folder too.
 */
export class OutputPaths {
  private readonly owners = new Map<string, string>();

  /** `pages`: each path a page sets as its own permalink, with the page's file. */
  constructor(staticFiles: Iterable<string>, pages: ReadonlyMap<string, string> = new Map()) {
    for (const [file, owner] of GENERATOR_FILES) this.owners.set(file, owner);
    for (const file of staticFiles) this.owners.set(file, `the static file ${file.slice(1)}`);
    for (const [sitePath, file] of pages) this.owners.set(outputFile(sitePath), `the page ${file}`);
  }

  /** Claims a post's folder for `owner`; returns who already has the path, if anyone. */
  claimFolder(sitePath: string, owner: string): { path: string; owner: string } | undefined {
    const folder = GENERATOR_FOLDERS.find((prefix) => sitePath.startsWith(prefix));
    if (folder) return { path: folder, owner: `the site's own ${folder} pages` };
    const file = outputFile(sitePath);
    const taken = this.owners.get(file);
    if (taken) return { path: file, owner: taken };
    const segments = sitePath.split("/").filter(Boolean);
    for (let depth = 1; depth <= segments.length; depth++) {
      const above = `/${segments.slice(0, depth).join("/")}`;
      const owner = this.owners.get(above);
      if (owner) return { path: above, owner };
    }
    this.owners.set(file, owner);
    return undefined;
  }
}

/** Signs that keep tags apart that would otherwise share a page: C++ and C# are not C. */
const TAG_SIGNS: ReadonlyArray<[RegExp, string]> = [
  [/\+/g, "-plus-"],
  [/#/g, "-sharp-"],
  [/&/g, "-and-"],
  [/@/g, "-at-"],
];

/**
 * A tag's slug: its words in lower case, joined by hyphens. Letters and digits
 * of every script are kept (`日本語`, `русский`), so tags in other languages
 * get pages of their own; + # & @ are spelt out.
 */
export function tagSlug(tag: string): string {
  let text = tag.normalize("NFKC").toLowerCase();
  for (const [sign, word] of TAG_SIGNS) text = text.replace(sign, word);
  return text.replace(/[^\p{L}\p{N}\p{M}]+/gu, "-").replace(/^-+|-+$/g, "") || "tag";
}
