import { BROKEN_LINKS_FILE } from "../content/known-broken-links.ts";
import { SERIES_FILE } from "../content/model.ts";
import { seriesDeclaration, type Attention, type ImportPlan } from "./plan.ts";

const where = (item: Attention) => (item.line === undefined ? item.file : `${item.file}:${item.line}`);
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** The import's report: counts first, then what needs the author's eyes, by file and line. */
export function formatReport(plan: ImportPlan, options: { dryRun: boolean; applySeries: boolean }): string {
  const { report, writes } = plan;
  const lines: string[] = [];
  const total = report.posts.markdown + report.posts.html;
  lines.push(options.dryRun ? `Dry run: nothing was written. The import would write ${plural(writes.length, "file")}:` : `Wrote ${plural(writes.length, "file")}.`);
  if (options.dryRun) for (const write of writes) lines.push(`  ${write.path}`);
  if (plan.staticFolders.length > 0) lines.push(`${options.dryRun ? "It would publish" : "Published"} ${plan.staticFolders.map((folder) => `${folder}/`).join(", ")} as static folders (staticFolders in _data/site.json).`);
  lines.push(
    "",
    `Posts:              ${total} (${report.posts.markdown} markdown, ${report.posts.html} HTML)`,
    `Pages:              ${report.pages} (in pages/, at the URLs they had)`,
    `Drafts:             ${report.drafts}`,
    `Comments archived:  ${report.comments} (readers' email addresses dropped)`,
    `Images copied:      ${report.imagesCopied} (${plural(report.filesCopied, "file")} copied in all)`,
    `Links rewritten:    ${report.linksRewritten}`,
    `Broken references:  ${report.brokenReferences.length}${report.brokenReferences.length > 0 ? ` (recorded in ${BROKEN_LINKS_FILE}; the build warns about them)` : ""}`,
    `Skipped:            ${report.skipped.length}`,
    `Not imported:       ${report.badInputs.length} (bad input)`,
    `Unchanged:          ${plural(report.unchanged, "file")} already as the import would write them`,
  );
  if (report.droppedKeys.size > 0) {
    lines.push("", "Front-matter keys dropped (the site has no use for them; readers' email addresses are never kept):");
    lines.push(`  ${[...report.droppedKeys].sort(([a], [b]) => a.localeCompare(b)).map(([key, count]) => `${key} (${plural(count, "post")})`).join(", ")}`);
  }
  if (report.series.length > 0) {
    lines.push("", options.applySeries ? `Series applied (in ${SERIES_FILE} and each part's front matter):` : `Series proposed (import again with --series to apply them):`);
    for (const proposal of report.series) {
      lines.push(`  ${SERIES_FILE}: ${JSON.stringify({ [proposal.slug]: seriesDeclaration(proposal) })}`);
      for (const [slug, part] of [...proposal.parts].sort(([, a], [, b]) => a - b)) lines.push(`    ${slug}: series: ${proposal.slug}, part: ${part}`);
    }
  }
  const review: Attention[] = [
    ...report.badInputs.map((item) => ({ ...item, message: `not imported: ${item.message}` })),
    ...report.skipped.map((item) => ({ ...item, message: `skipped: ${item.message}` })),
    ...report.attention,
    ...report.brokenReferences.map((entry) => ({ file: entry.file, line: entry.line, message: `broken reference ${JSON.stringify(entry.link)}: nothing on the old site or this one is there` })),
  ];
  review.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  if (review.length > 0) {
    lines.push("", "Needs your eyes:");
    for (const item of review) lines.push(`  ${where(item)}: ${item.message}`);
  }
  return `${lines.join("\n")}\n`;
}
