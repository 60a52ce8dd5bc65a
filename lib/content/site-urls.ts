/**
 * Every URL the site prints goes through here, so a path prefix (a project
 * site served from /blog/) or a preview host changes one value, not templates.
 */
export class SiteUrls {
  /** Origin of the deployment, e.g. `https://blog.bittercoder.com`. */
  readonly origin: string;
  /** Path the site is served under: `/`, or `/blog/` for a project site. */
  readonly pathPrefix: string;
  /** Origins the author's own absolute links may use; they are rewritten to site paths. */
  private readonly ownOrigins: ReadonlySet<string>;

  constructor(
    /** What it was made from, so another thread can make the same. */
    readonly deploymentUrl: string,
    readonly canonicalUrl: string,
  ) {
    const deployment = new URL(deploymentUrl);
    this.origin = deployment.origin;
    this.pathPrefix = deployment.pathname.endsWith("/") ? deployment.pathname : `${deployment.pathname}/`;
    // The old blog was reachable over http and https; links of both kinds exist in posts.
    const canonicalHost = new URL(canonicalUrl).host;
    this.ownOrigins = new Set([deployment.origin, `http://${canonicalHost}`, `https://${canonicalHost}`]);
  }

  /** The address of the site root, with a trailing slash. */
  get home(): string {
    return this.absolute("/");
  }

  /** A site path (`/slug/`) as an href that works on this deployment (`/blog/slug/`). */
  href(sitePath: string): string {
    if (typeof sitePath !== "string") throw new TypeError(`href needs a site path, got ${String(sitePath)}`);
    return this.pathPrefix + sitePath.replace(/^\//, "");
  }

  /** A site path as an absolute URL, for feeds, canonical links and social cards. */
  absolute(sitePath: string): string {
    // Feeds and sitemaps need URIs: a tag page at /tags/日本語/ is written percent-encoded there.
    return this.origin + this.href(sitePath).replace(/[^\x21-\x7e]+/g, (text) => encodeURIComponent(text));
  }

  /**
   * The site path an author-written href points at, when it points into this
   * site: `http://blog.bittercoder.com/x/#y` and `/x/#y` both give `/x/#y`.
   * Root-relative hrefs are written as if the site were served from `/`.
   */
  toSitePath(href: string): string | undefined {
    if (href.startsWith("/") && !href.startsWith("//")) return href;
    const match = /^(https?:\/\/[^/?#]+)(.*)$/i.exec(href);
    if (!match) return undefined;
    const [, origin = "", rest = ""] = match;
    if (!this.ownOrigins.has(origin.toLowerCase())) return undefined;
    return rest === "" || !rest.startsWith("/") ? `/${rest}` : rest;
  }
}

/** The path prefix a `SITE_URL` like `https://example.github.io/blog/` implies; `/` without one. */
export function pathPrefixFromEnvironment(siteUrl = process.env.SITE_URL): string {
  if (!siteUrl) return "/";
  const { pathname } = new URL(siteUrl);
  return pathname.endsWith("/") ? pathname : `${pathname}/`;
}
