import type sanitizeHtml from "sanitize-html";
import { onFirstUse } from "../tools/lazy.ts";

/*
 * HTML written by someone else, or read away from the site, goes through an
 * allowlist sanitizer that parses it (sanitize-html, on htmlparser2) and
 * writes back only elements and attributes named here. Regexes and one-pass
 * token filters cannot do this: a browser re-parses `<noscript>`, `<noembed>`,
 * `<iframe>` and attribute text in ways a filter does not see, and the payload
 * wakes up there. Whatever is not listed is dropped; the text of elements
 * whose content is never prose (scripts, styles, frames) goes with them.
 */

/** Where relative URLs in the HTML resolve, when it is read away from the site. */
export interface UrlBase {
  /** The post's own absolute URL: relative URLs and bare #fragments resolve against it. */
  postUrl: string;
  /** A root-relative site path as an absolute URL (keeps a deployment's path prefix). */
  siteUrl: (sitePath: string) => string;
}

/** Elements a post's body uses: markdown's output, footnotes, figures, tables, media, and the old blog's HTML. */
const POST_ELEMENTS = [
  "a",
  "abbr",
  "b",
  "blockquote",
  "br",
  "caption",
  "cite",
  "code",
  "col",
  "colgroup",
  "dd",
  "del",
  "details",
  "dfn",
  "div",
  "dl",
  "dt",
  "em",
  "figcaption",
  "figure",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "i",
  "img",
  "ins",
  "kbd",
  "li",
  "mark",
  "ol",
  "p",
  "picture",
  "pre",
  "q",
  "s",
  "samp",
  "section",
  "small",
  "source",
  "span",
  "strong",
  "sub",
  "summary",
  "sup",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "time",
  "tr",
  "u",
  "ul",
  "var",
  "video",
  "audio",
  "track",
];

const GLOBAL_ATTRIBUTES = ["class", "id", "title", "lang", "dir", "role", "aria-*"];

const POST_ATTRIBUTES: Record<string, string[]> = {
  "*": GLOBAL_ATTRIBUTES,
  a: ["href", "name", "rel", "hreflang"],
  img: ["src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"],
  source: ["src", "srcset", "sizes", "type", "media"],
  video: ["src", "poster", "controls", "width", "height", "preload", "loop", "muted", "playsinline"],
  audio: ["src", "controls", "preload", "loop", "muted"],
  track: ["src", "kind", "srclang", "label", "default"],
  ol: ["start", "reversed", "type"],
  li: ["value"],
  td: ["colspan", "rowspan", "headers"],
  th: ["colspan", "rowspan", "headers", "scope", "abbr"],
  col: ["span"],
  colgroup: ["span"],
  time: ["datetime"],
  blockquote: ["cite"],
  q: ["cite"],
  del: ["cite", "datetime"],
  ins: ["cite", "datetime"],
  details: ["open"],
};

/** Elements whose content is not prose: when they go, their text goes too. */
const NON_TEXT_ELEMENTS = [
  "script",
  "style",
  "textarea",
  "option",
  "xmp",
  "noscript",
  "noembed",
  "noframes",
  "iframe",
  "template",
  "title",
  "object",
  "embed",
  "math",
  "svg",
  "plaintext",
];

/** Every attribute that holds one URL (sanitize-html checks their schemes). */
const URL_ATTRIBUTES = ["href", "src", "poster", "cite"];

/** Loaded by the first post with raw HTML or the first comment: a blog of markdown alone never needs it. */
const sanitizer = onFirstUse<typeof sanitizeHtml>("sanitize-html");

const POST_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: POST_ELEMENTS,
  allowedAttributes: POST_ATTRIBUTES,
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"], source: ["http", "https"], video: ["http", "https"], audio: ["http", "https"], track: ["http", "https"] },
  allowProtocolRelative: true,
  nonTextTags: NON_TEXT_ELEMENTS,
  disallowedTagsMode: "discard",
  parseStyleAttributes: false,
};

/**
 * A post's HTML with only the elements and attributes posts use, and only
 * http(s) and mailto URLs. With `base`, every URL is made absolute against it,
 * as a feed reader (which has no base URL) needs.
 */
export function sanitizePostHtml(html: string, base?: UrlBase): string {
  if (base === undefined) return sanitizer()(html, POST_OPTIONS);
  return sanitizer()(html, { ...POST_OPTIONS, transformTags: { "*": (tagName, attribs) => ({ tagName, attribs: absoluteAttributes(attribs, base) }) } });
}

/** Elements a reader's comment may keep: text formatting, quotes, code and links. No images, frames, scripts or styles. */
const COMMENT_ELEMENTS = [
  "a",
  "b",
  "blockquote",
  "br",
  "code",
  "em",
  "i",
  "li",
  "ol",
  "p",
  "pre",
  "q",
  "s",
  "strong",
  "sub",
  "sup",
  "u",
  "ul",
  "del",
  "ins",
  "abbr",
];

const COMMENT_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: COMMENT_ELEMENTS,
  allowedAttributes: { a: ["href", "title", "rel"], abbr: ["title"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  nonTextTags: NON_TEXT_ELEMENTS,
  disallowedTagsMode: "discard",
  parseStyleAttributes: false,
  // A commenter's link is not the site's recommendation (rel values search engines read).
  transformTags: { a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "nofollow ugc" } }) },
};

/** A reader's comment (the old WordPress blog's), kept as prose: links marked `nofollow ugc`, nothing else that loads or runs. */
export function sanitizeCommentHtml(html: string): string {
  return sanitizer()(html, COMMENT_OPTIONS);
}

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function absoluteAttributes(attribs: Record<string, string>, base: UrlBase): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(attribs)) {
    const lower = name.toLowerCase();
    if (URL_ATTRIBUTES.includes(lower)) {
      const absolute = absoluteUrl(value, base);
      if (absolute !== undefined) result[name] = absolute;
    } else if (lower === "srcset") {
      result[name] = absoluteSrcset(value, base);
    } else {
      result[name] = value;
    }
  }
  return result;
}

/** One URL made absolute; undefined when it cannot be (the sanitizer then never sees it). */
function absoluteUrl(value: string, base: UrlBase): string | undefined {
  const url = value.trim();
  if (url.startsWith("#")) return base.postUrl.replace(/#.*$/, "") + url;
  if (url.startsWith("/") && !url.startsWith("//")) return base.siteUrl(url);
  // A scheme is left for the sanitizer to judge (it drops javascript: and the like).
  if (HAS_SCHEME.test(url.replace(/[\u0000-\u0020]/g, ""))) return value;
  try {
    return new URL(url, base.postUrl).href;
  } catch {
    return undefined;
  }
}

function absoluteSrcset(value: string, base: UrlBase): string {
  return value
    .split(",")
    .map((candidate) => {
      const [url = "", ...descriptors] = candidate.trim().split(/\s+/);
      const absolute = absoluteUrl(url, base);
      return absolute === undefined ? undefined : [absolute, ...descriptors].join(" ");
    })
    .filter((candidate) => candidate !== undefined)
    .join(", ");
}
