import type { UserConfig } from "@11ty/eleventy";
import { DateTime } from "luxon";

/*
 * Dates are shown in the site's time zone (`timeZone` in _data/site.json,
 * UTC by default), never the machine's: in local time a reader's (or the build
 * machine's) zone west of Greenwich would show January 9 for January 10. A
 * plain day is midnight in that zone (see loading.ts), so it shows as written.
 * Feeds keep the exact instant, in UTC.
 */
// English, as luxon formats by default; named, it also spares luxon asking
// Intl for the machine's locale, whose first call cost 30 to 140 ms of a
// 3-post build.
const LOCALE = "en-US";
const utc = (date: Date) => DateTime.fromMillis(date.getTime(), { zone: "utc", locale: LOCALE });
let displayZone = "UTC";
const shown = (date: Date) => DateTime.fromMillis(date.getTime(), { zone: displayZone, locale: LOCALE });

/** Sets the zone readable dates are shown in (the site's); formats made in another zone are forgotten. */
export function setDisplayZone(zone: string): void {
  if (zone === displayZone) return;
  displayZone = zone;
  for (const made of rememberedInZone) made.clear();
}
const rememberedInZone: Array<Map<number, string>> = [];

/**
 * Listings, feeds and the sitemap show the same few thousand dates tens of
 * thousands of times a build, and luxon's formatting is slow: each format
 * keeps the text of every date it has made.
 */
function remembered(format: (date: Date) => string, registry?: Array<Map<number, string>>): (date: Date) => string {
  const made = new Map<number, string>();
  registry?.push(made);
  return (date) => {
    let text = made.get(date.getTime());
    if (text === undefined) made.set(date.getTime(), (text = format(date)));
    return text;
  };
}

/** "January 10, 2018" */
export const readableDate = remembered((date) => shown(date).toFormat("LLLL d, yyyy"), rememberedInZone);
/** "2018-01-10", for `<time datetime>` and sitemaps. */
export const isoDate = remembered((date) => shown(date).toISODate() ?? "", rememberedInZone);
/** RFC 3339 with an explicit zone, for Atom and JSON Feed. */
export const rfc3339 = remembered((date) => utc(date).toISO({ suppressMilliseconds: true }) ?? "");
/** RFC 822 with an explicit zone, for RSS 2.0. */
export const rfc822 = remembered((date) => utc(date).toRFC2822() ?? "");

export default function datesPlugin(eleventyConfig: UserConfig): void {
  eleventyConfig.addFilter("readableDate", readableDate);
  eleventyConfig.addFilter("isoDate", isoDate);
}
