import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { parseHTML } from "linkedom";
import { beforeAll, describe, expect, it } from "vitest";
import { isoDate, readableDate, rfc3339, rfc822 } from "../lib/plugins/dates.ts";
import { blogSiteInZone, OTHER_ZONES, REPO, text } from "./helpers/site.ts";

const run = promisify(execFile);

/** How YAML reads `date: 2018-01-10`, and a time late on New Year's Eve in UTC. */
const CASES = [
  {
    date: "2018-01-10T00:00:00.000Z",
    readable: "January 10, 2018",
    iso: "2018-01-10",
    rfc3339: "2018-01-10T00:00:00Z",
    rfc822: "Wed, 10 Jan 2018 00:00:00 +0000",
  },
  {
    date: "2017-12-31T23:30:00.000Z",
    readable: "December 31, 2017",
    iso: "2017-12-31",
    rfc3339: "2017-12-31T23:30:00Z",
    rfc822: "Sun, 31 Dec 2017 23:30:00 +0000",
  },
];

/** The formats as a fresh process under `TZ` prints them (a process fixes its zone on first use of Date). */
async function formatsInZone(timeZone: string): Promise<unknown> {
  const datesModule = pathToFileURL(path.join(REPO, "lib/plugins/dates.ts")).href;
  const script = `
    const { readableDate, isoDate, rfc3339, rfc822 } = await import(${JSON.stringify(datesModule)});
    const dates = ${JSON.stringify(CASES.map((example) => example.date))}.map((value) => new Date(value));
    console.log(JSON.stringify(dates.map((date) => ({ readable: readableDate(date), iso: isoDate(date), rfc3339: rfc3339(date), rfc822: rfc822(date) }))));
  `;
  const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], {
    cwd: REPO,
    env: { ...process.env, TZ: timeZone },
  });
  return JSON.parse(stdout);
}

describe("date formats", () => {
  it.each(CASES)("$date is $readable, $iso, $rfc3339 and $rfc822", (example) => {
    const date = new Date(example.date);
    expect({ readable: readableDate(date), iso: isoDate(date), rfc3339: rfc3339(date), rfc822: rfc822(date) }).toEqual({
      readable: example.readable,
      iso: example.iso,
      rfc3339: example.rfc3339,
      rfc822: example.rfc822,
    });
  });

  it.each(OTHER_ZONES)("are the same under TZ=%s", async (zone) => {
    expect(await formatsInZone(zone)).toEqual(CASES.map(({ readable, iso, rfc3339, rfc822 }) => ({ readable, iso, rfc3339, rfc822 })));
  });
});

describe.each(OTHER_ZONES)("pages built under TZ=%s", (zone) => {
  let outputDir: string;
  beforeAll(async () => {
    outputDir = await blogSiteInZone(zone);
  });

  /** Every <time> on a page as [datetime, text]. */
  async function times(sitePath: string): Promise<Array<[string | null, string]>> {
    const html = await readFile(path.join(outputDir, sitePath, "index.html"), "utf8");
    return [...parseHTML(html).document.querySelectorAll("main time")].map((time) => [time.getAttribute("datetime"), text(time)]);
  }

  it("dates part 3 January 10, 2018 on its own page", async () => {
    expect(await times("/no-planned-downtime-chasm-part3/")).toContainEqual(["2018-01-10", "January 10, 2018"]);
  });

  it.each(["/", "/archive/", "/series/no-planned-downtime-chasm/"])("dates every part on the calendar day it was posted on %s", async (sitePath) => {
    const found = await times(sitePath);
    for (const expected of [
      ["2018-01-10", "January 10, 2018"],
      ["2018-01-05", "January 5, 2018"],
      ["2017-12-28", "December 28, 2017"],
    ]) {
      expect(found, sitePath).toContainEqual(expected);
    }
    // No page shows a neighbouring day instead.
    expect(found.filter(([datetime]) => datetime !== null && !["2018-01-10", "2018-01-05", "2017-12-28"].includes(datetime))).toEqual([]);
  });
});
