import { BROKEN_LINKS_FILE } from "../content/known-broken-links.ts";
import { SERIES_FILE } from "../content/model.ts";
import { seriesDeclaration, type Attention, type ImportPlan, type ImportReport } from "./plan.ts";

const where = (item: Attention) => (item.line === undefined ? item.file : `${item.file}:${item.line}`);
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** The import's report: counts first, then what needs the author's eyes, by file and line. */
export function formatReport(plan: ImportPlan, options: { dryRun: boolean; applySeries: boolean }): string {
  const lines = [...writtenLines(plan, options.dryRun), "", ...countLines(plan.report)];
  const { droppedKeys, series } = plan.report;
  if (droppedKeys.size > 0) lines.push("", ...droppedKeyLines(droppedKeys));
  if (series.length > 0) lines.push("", ...seriesLines(series, options.applySeries));
  const review = needsReview(plan.report);
  if (review.length > 0) lines.push("", "Needs your eyes:", ...review.map((item) => `  ${where(item)}: ${item.message}`));
  return `${lines.join("\n")}\n`;
}

/** What was written (or, in a dry run, would be), and the static folders published. */
function writtenLines(plan: ImportPlan, dryRun: boolean): string[] {
  const { writes } = plan;
  const lines = [dryRun ? `Dry run: nothing was written. The import would write ${plural(writes.length, "file")}:` : `Wrote ${plural(writes.length, "file")}.`];
  if (dryRun) for (const write of writes) lines.push(`  ${write.path}`);
  if (plan.staticFolders.length > 0)
    lines.push(
      `${dryRun ? "It would publish" : "Published"} ${plan.staticFolders.map((folder) => `${folder}/`).join(", ")} as static folders (staticFolders in _data/site.json).`,
    );
  return lines;
}

function countLines(report: ImportReport): string[] {
  const broken = report.brokenReferences.length;
  return [
    `Posts:              ${report.posts.markdown + report.posts.html} (${report.posts.markdown} markdown, ${report.posts.html} HTML)`,
    `Pages:              ${report.pages} (in pages/, at the URLs they had)`,
    `Drafts:             ${report.drafts}`,
    `Comments archived:  ${report.comments} (readers' email addresses dropped)`,
    `Images copied:      ${report.imagesCopied} (${plural(report.filesCopied, "file")} copied in all)`,
    `Links rewritten:    ${report.linksRewritten}`,
    `Broken references:  ${broken}${broken > 0 ? ` (recorded in ${BROKEN_LINKS_FILE}; the build warns about them)` : ""}`,
    `Skipped:            ${report.skipped.length}`,
    `Not imported:       ${report.badInputs.length} (bad input)`,
    `Unchanged:          ${plural(report.unchanged, "file")} already as the import would write them`,
  ];
}

function droppedKeyLines(droppedKeys: ImportReport["droppedKeys"]): string[] {
  const keys = [...droppedKeys].sort(([a], [b]) => a.localeCompare(b)).map(([key, count]) => `${key} (${plural(count, "post")})`);
  return ["Front-matter keys dropped (the site has no use for them; readers' email addresses are never kept):", `  ${keys.join(", ")}`];
}

/** Each series as its declaration and its parts' front matter. */
function seriesLines(series: ImportReport["series"], applied: boolean): string[] {
  const lines = [applied ? `Series applied (in ${SERIES_FILE} and each part's front matter):` : `Series proposed (import again with --series to apply them):`];
  for (const proposal of series) {
    lines.push(`  ${SERIES_FILE}: ${JSON.stringify({ [proposal.slug]: seriesDeclaration(proposal) })}`);
    for (const [slug, part] of [...proposal.parts].sort(([, a], [, b]) => a - b)) lines.push(`    ${slug}: series: ${proposal.slug}, part: ${part}`);
  }
  return lines;
}

/** Everything the author should look at, by file and line. */
function needsReview(report: ImportReport): Attention[] {
  const review: Attention[] = [
    ...report.badInputs.map((item) => ({ ...item, message: `not imported: ${item.message}` })),
    ...report.skipped.map((item) => ({ ...item, message: `skipped: ${item.message}` })),
    ...report.attention,
    ...report.brokenReferences.map((entry) => ({
      file: entry.file,
      line: entry.line,
      message: `broken reference ${JSON.stringify(entry.link)}: nothing on the old site or this one is there`,
    })),
  ];
  return review.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
}
