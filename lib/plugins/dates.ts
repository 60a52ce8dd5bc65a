import type { UserConfig } from "@11ty/eleventy";
import { DateTime } from "luxon";

/*
 * Post dates are calendar days. YAML reads `2018-01-10` as midnight UTC, so
 * every format here is taken in UTC: in local time a reader's (or the build
 * machine's) zone west of Greenwich would show January 9.
 */
const utc = (date: Date) => DateTime.fromJSDate(date, { zone: "utc" });

/** "January 10, 2018" */
export const readableDate = (date: Date): string => utc(date).toFormat("LLLL d, yyyy");
/** "2018-01-10", for `<time datetime>` and sitemaps. */
export const isoDate = (date: Date): string => utc(date).toISODate() ?? "";
/** RFC 3339 with an explicit zone, for Atom and JSON Feed. */
export const rfc3339 = (date: Date): string => utc(date).toISO({ suppressMilliseconds: true }) ?? "";
/** RFC 822 with an explicit zone, for RSS 2.0. */
export const rfc822 = (date: Date): string => utc(date).toRFC2822() ?? "";

export default function datesPlugin(eleventyConfig: UserConfig): void {
  eleventyConfig.addFilter("readableDate", readableDate);
  eleventyConfig.addFilter("isoDate", isoDate);
}
