import { nearest, quote, type IssueLog } from "./issues.ts";
import type { PostRecord } from "./loading.ts";
import { seriesPaths } from "./paths.ts";
import type { SeriesDeclaration } from "./schema.ts";
import { SERIES_FILE } from "./sources.ts";
import type { Post, Series, SeriesPart } from "./types.ts";

/*
 * The series rules, across posts: every part names a declared series and a
 * part number; each number is taken once, without gaps, and within the plan.
 * Drafts take their numbers too, but only published parts and the declared
 * plan decide what readers see ("Part 1 of N").
 */

/** A series as checked, before its posts are made: its published parts in reading order. */
export interface SeriesPlan {
  slug: string;
  declaration: SeriesDeclaration;
  total: number;
  parts: PostRecord[];
}

export function planSeries(records: readonly PostRecord[], declarations: Record<string, SeriesDeclaration>, log: IssueLog): SeriesPlan[] {
  const members = membersBySeries(records, declarations, log);
  const plans: SeriesPlan[] = [];
  for (const [slug, declaration] of Object.entries(declarations)) {
    const parts = (members.get(slug) ?? []).sort((a, b) => a.part! - b.part!);
    const byPart = checkNumbering(slug, declaration, parts, log);
    const published = parts.filter((record) => record.published && byPart.get(record.part!) === record);
    if (published.length === 0) continue;
    plans.push({ slug, declaration, total: Math.max(declaration.parts ?? 0, published.at(-1)!.part!), parts: published });
  }
  return plans;
}

/** Posts grouped by the series they name; a post naming none, or an undeclared one, is reported here. */
function membersBySeries(records: readonly PostRecord[], declarations: Record<string, SeriesDeclaration>, log: IssueLog): Map<string, PostRecord[]> {
  const members = new Map<string, PostRecord[]>();
  const declared = Object.keys(declarations);
  for (const record of records) {
    const slug = record.seriesSlug;
    if (slug === undefined) {
      if (record.part !== undefined)
        log.error({
          file: record.file,
          field: "part",
          found: `part ${record.part} without a series`,
          expected: `expected a series: field naming one of ${SERIES_FILE} (${declared.join(", ") || "none declared"}), or no part`,
        });
      continue;
    }
    if (!(slug in declarations)) {
      const suggestion = nearest(slug, declared);
      log.error({
        file: record.file,
        field: "series",
        found: quote(slug),
        expected: `expected a series declared in ${SERIES_FILE}${suggestion ? `; did you mean "${suggestion}"?` : ""} (declared: ${declared.join(", ") || "none"}); or add "${slug}" to ${SERIES_FILE}`,
      });
      continue;
    }
    if (record.part === undefined) {
      log.error({ file: record.file, field: "part", found: "nothing", expected: `expected part: N, this post's position in series "${slug}"` });
      continue;
    }
    members.set(slug, [...(members.get(slug) ?? []), record]);
  }
  return members;
}

/** Each part once, numbered 1, 2, 3... without gaps, and no more than the declared plan. */
function checkNumbering(slug: string, declaration: SeriesDeclaration, parts: readonly PostRecord[], log: IssueLog): Map<number, PostRecord> {
  const byPart = new Map<number, PostRecord>();
  for (const record of parts) {
    const other = byPart.get(record.part!);
    if (other)
      log.error({
        file: record.file,
        field: "part",
        found: `part ${record.part}, which ${other.file} also is`,
        expected: `expected each part of "${slug}" once; renumber one of ${other.file} and ${record.file}`,
      });
    else byPart.set(record.part!, record);
  }
  const highest = parts.at(-1)?.part ?? 0;
  // Parts the series never had (declared in "gaps") are not missing.
  for (const gap of missingParts([...byPart.keys(), ...(declaration.gaps ?? [])])) {
    const missing =
      gap.first === gap.last
        ? `part ${gap.first} is missing (renumber, or add part ${gap.first}, as a draft if it is not ready; or list it in "gaps" in ${SERIES_FILE} if the series never had it)`
        : `parts ${gap.first} to ${gap.last} are missing (renumber, or add them, as drafts if they are not ready; or list them in "gaps" in ${SERIES_FILE} if the series never had them)`;
    const next = byPart.get(gap.last + 1)!;
    log.error({
      file: next.file,
      line: next.fieldLines.part,
      field: "part",
      found: `part ${gap.last + 1} of "${slug}"`,
      expected: `expected parts numbered 1, 2, 3... without gaps; ${missing}`,
    });
  }
  if (declaration.parts !== undefined && highest > declaration.parts) {
    log.error({
      file: byPart.get(highest)!.file,
      field: "part",
      found: `part ${highest}`,
      expected: `expected at most the ${declaration.parts} parts "${slug}" declares in ${SERIES_FILE}; raise "parts" there`,
    });
  }
  return byPart;
}

/** The runs of part numbers missing below the highest, each as one range. */
function missingParts(parts: readonly number[]): Array<{ first: number; last: number }> {
  const gaps: Array<{ first: number; last: number }> = [];
  let expected = 1;
  for (const part of [...parts].sort((a, b) => a - b)) {
    if (part > expected) gaps.push({ first: expected, last: part - 1 });
    expected = part + 1;
  }
  return gaps;
}

/**
 * Makes a planned series and its posts, each post once and complete: `make`
 * turns a record into the post, given its place. The series' lists are filled
 * as its posts are made; neighbours are read from them.
 */
export function buildSeries(plan: SeriesPlan, make: (record: PostRecord, seriesPart: SeriesPart) => Post): Series {
  const series: Series = { ...plan.declaration, slug: plan.slug, ...seriesPaths(plan.slug), posts: [], entries: [], total: plan.total };
  const byPart = new Map<number, Post>();
  plan.parts.forEach((record, index) => {
    const post = make(record, {
      series,
      part: record.part!,
      get previous() {
        return series.posts[index - 1];
      },
      get next() {
        return series.posts[index + 1];
      },
    });
    series.posts.push(post);
    byPart.set(record.part!, post);
  });
  const gaps = new Set(plan.declaration.gaps ?? []);
  for (let part = 1; part <= series.total; part++) {
    const post = byPart.get(part);
    if (!post && gaps.has(part)) continue; // a part the series never had
    series.entries.push(post ? { part, post } : { part });
  }
  return series;
}
