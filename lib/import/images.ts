import { ALT_MISSING_MARK } from "../content/alt-text.ts";
import { lineAt } from "./liquid.ts";

const IMG_TAG = /<img\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi;
const ALT_ATTRIBUTE = /\salt(?:\s*=|[\s/>])/i;

/**
 * WordPress-era images often have no alt text, which the build refuses in an
 * HTML post. Each is imported with `alt=""` and marked, so the blog builds and
 * the build names each one (as a warning) until the author describes it; the
 * report lists them by line. Returns the lines (1-based, in the text) marked.
 */
export function markImagesWithoutAlt(html: string): { text: string; lines: number[] } {
  const lines: number[] = [];
  const text = html.replace(IMG_TAG, (tag, offset: number) => {
    if (ALT_ATTRIBUTE.test(tag)) return tag;
    lines.push(lineAt(html, offset));
    return `<img alt="" ${ALT_MISSING_MARK}${tag.slice(4)}`;
  });
  return { text, lines };
}
