import type { UserConfig } from "@11ty/eleventy";
import { DateTime } from "luxon";

/*
 * Post dates are calendar days. YAML reads `2018-01-10` as midnight UTC, so
 * every format here is taken in UTC: in local time a reader's (or the build
 * machine's) zone west of Greenwich would show January 9.
 */
const utc = (date: Date) => DateTime.fromJSDate(date, { zone: "utc" });

/**
 * Listings, feeds and the sitemap show the same few thousand dates tens of
 * thousands of times a build, and luxon's formatting is slow: each format
 * keeps the text of every date it has made.
 */
function remembered(format: (date: Date) => string): (date: Date) => string {
  const made = new Map<number, string>();
  return (date) => {
    let text = made.get(date.getTime());
    if (text === undefined) made.set(date.getTime(), (text = format(date)));
    return text;
  };
}

/** "January 10, 2018" */
export const readableDate = remembered((date) => utc(date).toFormat("LLLL d, yyyy"));
/** "2018-01-10", for `<time datetime>` and sitemaps. */
export const isoDate = remembered((date) => utc(date).toISODate() ?? "");
/** RFC 3339 with an explicit zone, for Atom and JSON Feed. */
export const rfc3339 = remembered((date) => utc(date).toISO({ suppressMilliseconds: true }) ?? "");
/** RFC 822 with an explicit zone, for RSS 2.0. */
export const rfc822 = remembered((date) => utc(date).toRFC2822() ?? "");

export default function datesPlugin(eleventyConfig: UserConfig): void {
  eleventyConfig.addFilter("readableDate", readableDate);
  eleventyConfig.addFilter("isoDate", isoDate);
}
