import { lineAt } from "./liquid.ts";

/**
 * The old blog's own links: absolute URLs on any host it was served from,
 * and root-relative links under its `baseurl`. Both become site paths, and a
 * link to a post's old WordPress address becomes the post's URL.
 */
export interface OwnLinks {
  /** Hosts the old blog was served from (`blog.example.com`), lower case. */
  hosts: ReadonlySet<string>;
  /** The Jekyll `baseurl` (`/blog`), or "" at the root. */
  baseurl: string;
  /** Old addresses of posts (path and query, as WordPress printed them) to their URLs. */
  oldAddresses: ReadonlyMap<string, string>;
  /** Post slugs to their URLs: WordPress's dated addresses (`/2007/04/26/slug/`) end in the slug. */
  postsBySlug: ReadonlyMap<string, string>;
}

const WORDPRESS_DATED_ADDRESS = /^\/\d{4}\/\d{2}(?:\/\d{2})?\/([^/?#]+)\/?(?=$|[?#])/;

/** Where links sit in a body: the pattern, and how a match is rebuilt around a new link. */
interface LinkSyntax {
  pattern: RegExp;
  link: (match: RegExpExecArray | RegExpMatchArray) => string;
  rebuild: (match: RegExpExecArray | RegExpMatchArray, link: string) => string;
}

const HTML_ATTRIBUTE: LinkSyntax = {
  pattern: /(\b(?:href|src)\s*=\s*)(["'])(.*?)\2/gi,
  link: (match) => match[3]!,
  rebuild: (match, link) => `${match[1]}${match[2]}${link}${match[2]}`,
};
const MARKDOWN_SYNTAX: LinkSyntax[] = [
  // [text](link) and ![alt](link)
  { pattern: /(\]\(\s*<?)([^\s)>]+)/g, link: (match) => match[2]!, rebuild: (match, link) => `${match[1]}${link}` },
  // [label]: link
  { pattern: /^( {0,3}\[[^\]\n]+\]:[ \t]*<?)([^\s>]+)/gm, link: (match) => match[2]!, rebuild: (match, link) => `${match[1]}${link}` },
  // <http://...>, which markdown only links when absolute
  { pattern: /<(https?:\/\/[^\s>]+)>/gi, link: (match) => match[1]!, rebuild: (_match, link) => `[${link}](${link})` },
];

const syntaxes = (format: "md" | "html") => (format === "md" ? [HTML_ATTRIBUTE, ...MARKDOWN_SYNTAX] : [HTML_ATTRIBUTE]);

/** Normalises an old address for lookup: no host, no trailing slash, no fragment. */
export function addressKey(pathAndQuery: string): string {
  const [withoutFragment = ""] = pathAndQuery.split("#");
  return withoutFragment.replace(/(.)\/+(?=$|\?)/, "$1") || "/";
}

/** The site path an old link points at, or undefined when it points elsewhere. */
export function ownSitePath(link: string, own: OwnLinks): string | undefined {
  let rest: string;
  const absolute = /^(?:https?:)?\/\/([^/?#]+)(.*)$/i.exec(link);
  if (absolute) {
    if (!own.hosts.has(absolute[1]!.toLowerCase().replace(/:\d+$/, ""))) return undefined;
    rest = absolute[2] || "/";
  } else if (link.startsWith("/")) {
    rest = link;
  } else {
    return undefined;
  }
  if (!rest.startsWith("/")) rest = `/${rest}`;
  if (own.baseurl && (rest === own.baseurl || rest.startsWith(`${own.baseurl}/`) || rest.startsWith(`${own.baseurl}?`) || rest.startsWith(`${own.baseurl}#`))) {
    rest = rest.slice(own.baseurl.length) || "/";
    if (!rest.startsWith("/")) rest = `/${rest}`;
  }
  const fragment = rest.includes("#") ? rest.slice(rest.indexOf("#")) : "";
  const dated = WORDPRESS_DATED_ADDRESS.exec(rest)?.[1];
  const moved = own.oldAddresses.get(addressKey(rest)) ?? (dated === undefined ? undefined : own.postsBySlug.get(dated));
  return moved === undefined ? rest : moved + fragment;
}

/** Rewrites the old blog's own links to site paths; counts the links changed. */
export function rewriteOwnLinks(text: string, format: "md" | "html", own: OwnLinks): { text: string; rewritten: number } {
  let rewritten = 0;
  for (const syntax of syntaxes(format)) {
    text = text.replace(syntax.pattern, (...args: unknown[]) => {
      const match = args.slice(0, -2) as unknown as RegExpMatchArray;
      const link = syntax.link(match);
      const sitePath = ownSitePath(link, own);
      if (sitePath === undefined || sitePath === link) return match[0]!;
      rewritten++;
      return syntax.rebuild(match, sitePath);
    });
  }
  return { text, rewritten };
}

/** Every root-relative link in a body, with its 1-based line: what the link check will follow. */
export function siteLinks(text: string, format: "md" | "html"): Array<{ line: number; link: string }> {
  const found: Array<{ index: number; link: string }> = [];
  for (const syntax of syntaxes(format)) {
    for (const match of text.matchAll(syntax.pattern)) {
      const link = syntax.link(match);
      if (link.startsWith("/") && !link.startsWith("//")) found.push({ index: match.index, link });
    }
  }
  return found.sort((a, b) => a.index - b.index).map(({ index, link }) => ({ line: lineAt(text, index), link }));
}
