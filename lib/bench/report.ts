import type { EditSample } from "./measure.ts";
import type { Ratios, Spread, Summary } from "./pairing.ts";
import type { FirstQuerySample, SearchIndexSample } from "./search.ts";
import type { CommandSample } from "./timing.ts";

/** Another generator's runs, and our time over its time run by run. */
export type Paired = Summary & { ratio: Ratios };

export interface SizeFigures {
  posts: number;
  ours: Summary;
  hugo?: Paired;
  eleventyBaseBlog?: Paired;
  /** Bare Eleventy on the same posts; its own time over Hugo's too, where Hugo ran. */
  eleventyFloor?: Paired & { overHugo: Ratios | undefined };
  samples: Record<string, CommandSample[]>;
}

export interface MediaFigures {
  posts: number;
  text: Summary;
  code: Summary;
  cold: Summary;
  /** Code and images from a warm image cache, paired with Hugo. */
  warm: SizeFigures;
}

export interface BenchResults {
  builds: SizeFigures[];
  warm?: { posts: number; ours: Summary; hugo: Paired | undefined; cold: CommandSample; differences: string[] };
  edit?: { posts: number; edits: number; pageMs: Spread; dependentsMs: Spread | undefined; stale: string[]; samples: EditSample[] };
  mediaCosts: MediaFigures[];
  searchIndexes: Array<{ posts: number; ms: Spread; bundleBytes: number; indexBytes: number; samples: SearchIndexSample[] }>;
  firstQuery?: FirstQuerySample & { posts: number };
  notes: string[];
}

const MIB = 1024 * 1024;
const KIB = 1024;
const posts = (count: number) => count.toLocaleString("en");
/** median (min–max), scaled; "n/a" when the figure was not measured. */
export function formatSpread(value: Spread, scale: number, digits: number, unit = ""): string {
  if (Number.isNaN(value.median)) return "n/a";
  const number = (n: number) => (n / scale).toFixed(digits);
  return `${number(value.median)}${unit} (${number(value.min)}–${number(value.max)})`;
}
const ratio = (paired: Paired | undefined, measure: keyof Ratios = "wall") => (paired ? formatSpread(paired.ratio[measure], 1, 2, "×") : "–");
const seconds = (value: Spread) => formatSpread(value, 1000, 2);
const memory = (summary: Summary | undefined) => (summary ? formatSpread(summary.peakBytes, MIB, 0, " MiB") : "–");

/** The table: one row per size, then the warm build and the dev server. */
function printSummaryTable(results: BenchResults): void {
  console.log("");
  console.log("| posts | ours / Hugo (wall) | ours / eleventy-base-blog (wall) | our peak memory | Hugo's peak memory |");
  console.log("|---:|---:|---:|---:|---:|");
  for (const size of results.builds)
    console.log(`| ${posts(size.posts)} | ${ratio(size.hugo)} | ${ratio(size.eleventyBaseBlog)} | ${memory(size.ours)} | ${memory(size.hugo)} |`);
  const { warm, edit } = results;
  if (warm)
    console.log(
      `| ${posts(warm.posts)}, warm build after a one-post edit (ours warm / Hugo cold) | ${ratio(warm.hugo)} | – | ${memory(warm.ours)} | ${memory(warm.hugo)} |`,
    );
  for (const media of results.mediaCosts)
    console.log(
      `| ${posts(media.posts)}, images and code, warm image cache | ${ratio(media.warm.hugo)} | – | ${memory(media.warm.ours)} | ${memory(media.warm.hugo)} |`,
    );
  if (edit)
    console.log(
      `| ${posts(edit.posts)}, dev server: a saved edit on its page, median of ${edit.edits} | ${formatSpread(edit.pageMs, 1, 0, " ms")} | – | – | – |`,
    );
  console.log("Ratios are our time over theirs, run by run in turn, as median (min–max).");
}

/** Every cold build's times: ours, Hugo's and eleventy-base-blog's, wall and CPU, and the CPU ratios. */
function printBuildTable(results: BenchResults): void {
  console.log("");
  console.log(
    "| Posts | Runs | Our build, s | Our CPU, s | Hugo, s | Hugo's CPU, s | ours / Hugo (CPU) | eleventy-base-blog, s | its CPU, s | its peak memory | ours / it (CPU) |",
  );
  console.log("|---:|---:|---|---|---|---|---:|---|---|---:|---:|");
  for (const size of results.builds) {
    const { ours, hugo, eleventyBaseBlog: eleventy } = size;
    const theirs = (paired: Paired | undefined) => (paired ? [seconds(paired.wallMs), seconds(paired.cpuMs), ratio(paired, "cpu")] : ["–", "–", "–"]);
    const [eleventyWall, eleventyCpu, eleventyRatio] = theirs(eleventy);
    console.log(
      `| ${posts(size.posts)} | ${ours.runs} | ${seconds(ours.wallMs)} | ${seconds(ours.cpuMs)} | ${theirs(hugo).join(" | ")} | ${eleventyWall} | ${eleventyCpu} | ${memory(eleventy)} | ${eleventyRatio} |`,
    );
  }
}

/** Bare Eleventy against Hugo and against ours: how much of our ratio to Hugo is Eleventy's own. */
function printFloor(results: BenchResults): void {
  const sizes = results.builds.filter((size) => size.eleventyFloor);
  if (sizes.length === 0) return;
  console.log("");
  console.log("Bare Eleventy (no plugins, one Nunjucks layout, the same posts), each run paired with ours and Hugo's:");
  console.log("");
  console.log("| Posts | Bare Eleventy, s | its CPU, s | its peak memory | bare Eleventy / Hugo (wall) | ours / bare Eleventy (wall) |");
  console.log("|---:|---|---|---:|---:|---:|");
  for (const size of sizes) {
    const floor = size.eleventyFloor!;
    const overHugo = floor.overHugo ? formatSpread(floor.overHugo.wall, 1, 2, "×") : "–";
    console.log(`| ${posts(size.posts)} | ${seconds(floor.wallMs)} | ${seconds(floor.cpuMs)} | ${memory(floor)} | ${overHugo} | ${ratio(floor)} |`);
  }
}

function printWarm(warm: NonNullable<BenchResults["warm"]>): void {
  console.log("");
  const hugo = warm.hugo ? `; Hugo's cold build of the same site ${seconds(warm.hugo.wallMs)} s, CPU ${seconds(warm.hugo.cpuMs)} s` : "";
  console.log(
    `Warm build, ${posts(warm.posts)} posts, one post edited before each run, cache kept: ${seconds(warm.ours.wallMs)} s, CPU ${seconds(warm.ours.cpuMs)} s${hugo}.`,
  );
  if (warm.differences.length === 0) {
    console.log(`The last warm build's release is byte-identical to a cold build's (cold: ${(warm.cold.wallMs / 1000).toFixed(2)} s).`);
    return;
  }
  console.log(`MISMATCH: the last warm build's release differs from a cold build's in ${warm.differences.length} file(s):`);
  for (const difference of warm.differences.slice(0, 20)) console.log(`  ${difference}`);
}

function printMedia(mediaCosts: MediaFigures[]): void {
  console.log("");
  console.log("Images and code: each post with one image and two highlighted code blocks; each a build in a fresh process, s, median (min–max):");
  console.log("");
  console.log(
    "| Posts | Text only | + code | + code and images, cold image cache | + code and images, warm image cache | Hugo, same site | ours / Hugo (wall) | ours / Hugo (CPU) |",
  );
  console.log("|---:|---|---|---|---|---|---:|---:|");
  for (const media of mediaCosts) {
    const { warm } = media;
    const hugo = warm.hugo ? seconds(warm.hugo.wallMs) : "–";
    console.log(
      `| ${posts(media.posts)} | ${seconds(media.text.wallMs)} | ${seconds(media.code.wallMs)} | ${seconds(media.cold.wallMs)} | ${seconds(warm.ours.wallMs)} | ${hugo} | ${ratio(warm.hugo)} | ${ratio(warm.hugo, "cpu")} |`,
    );
  }
  console.log("(CPU time of each variant is in the JSON results.)");
}

function printSearch(results: BenchResults): void {
  if (results.searchIndexes.length > 0) {
    console.log("");
    console.log(`| Posts | Search index, s: median (min–max) | Index, KiB | Bundle at /pagefind/, KiB |`);
    console.log(`|---:|---|---:|---:|`);
    for (const index of results.searchIndexes)
      console.log(`| ${posts(index.posts)} | ${seconds(index.ms)} | ${(index.indexBytes / KIB).toFixed(0)} | ${(index.bundleBytes / KIB).toFixed(0)} |`);
    console.log("(Indexing is part of each build above; here it runs again on the built site alone.)");
  }
  const query = results.firstQuery;
  if (query) {
    console.log("");
    console.log(
      `First search at ${query.posts} posts ("${query.query}", ${query.results} results, 10 shown): ${query.files} files from /pagefind/, ${(query.bytes / KIB).toFixed(1)} KiB as stored, ${(query.bytesWithGzip / KIB).toFixed(1)} KiB with its scripts gzipped (goal: 150 KB).`,
    );
  }
}

function printEdit(edit: NonNullable<BenchResults["edit"]>): void {
  console.log("");
  console.log(`Dev server, ${edit.posts} posts, ${edit.edits} edits: the edited post's page in ${formatSpread(edit.pageMs, 1, 0)} ms;`);
  console.log(
    edit.dependentsMs
      ? `its series page, series feed, site feed, home page and previous part in ${formatSpread(edit.dependentsMs, 1, 0)} ms.`
      : `STALE after 10 s: ${edit.stale.join(", ")}.`,
  );
}

/** One of the targets, against the figure measured: its median decides. */
interface Target {
  what: string;
  figure: string;
  met: boolean;
}

function sizeTargets(size: SizeFigures): Target[] {
  const targets: Target[] = [];
  const { ours, hugo, eleventyBaseBlog: eleventy } = size;
  const at = `${posts(size.posts)} posts`;
  if (size.posts <= 3)
    targets.push({ what: `${at}: a production build in at most 0.5 s wall`, figure: `${seconds(ours.wallMs)} s`, met: ours.wallMs.median <= 500 });
  const hugoLimit = size.posts <= 300 ? 4 : 2;
  if (hugo && size.posts >= 300)
    targets.push({ what: `${at}: at most ${hugoLimit}× Hugo (wall)`, figure: ratio(hugo), met: hugo.ratio.wall.median <= hugoLimit });
  if (eleventy && size.posts >= 3000)
    targets.push({ what: `${at}: at most 0.3× eleventy-base-blog (wall)`, figure: ratio(eleventy), met: eleventy.ratio.wall.median <= 0.3 });
  if (hugo && size.posts >= 3000 && size.posts < 10_000) {
    targets.push({
      what: `${at}: peak memory at most Hugo's`,
      figure: `${memory(ours)} against ${memory(hugo)}`,
      met: ours.peakBytes.median <= hugo.peakBytes.median,
    });
  }
  if (size.posts >= 10_000) targets.push({ what: `${at}: peak memory under 1 GiB`, figure: memory(ours), met: ours.peakBytes.median < 1024 * MIB });
  return targets;
}

/** The targets, each with the figure that decides it. */
function printTargets(results: BenchResults): void {
  const targets = results.builds.flatMap(sizeTargets);
  const { warm, edit } = results;
  if (warm?.hugo)
    targets.push({
      what: `${posts(warm.posts)} posts: a warm build after an edit faster than Hugo's cold build`,
      figure: ratio(warm.hugo),
      met: warm.hugo.ratio.wall.median < 1,
    });
  if (warm)
    targets.push({
      what: `${posts(warm.posts)} posts: the warm build's output byte-identical to a cold build's`,
      figure: `${warm.differences.length} file(s) differ`,
      met: warm.differences.length === 0,
    });
  if (edit)
    targets.push({
      what: `${posts(edit.posts)} posts: a saved edit on its page within 100 ms (dev server)`,
      figure: formatSpread(edit.pageMs, 1, 0, " ms"),
      met: edit.pageMs.median <= 100,
    });
  for (const media of results.mediaCosts)
    targets.push(...sizeTargets(media.warm).map((target) => ({ ...target, what: `${target.what}, images and code, warm image cache` })));
  if (targets.length === 0) return;
  console.log("");
  console.log("Targets (medians):");
  for (const target of targets) console.log(`  ${target.met ? "met    " : "NOT MET"}  ${target.what}: ${target.figure}`);
}

export function printReport(results: BenchResults, context: { cores: number; command: string; load: number[] }): void {
  if (results.builds.length > 0) printBuildTable(results);
  printFloor(results);
  if (results.warm) printWarm(results.warm);
  if (results.edit) printEdit(results.edit);
  if (results.mediaCosts.length > 0) printMedia(results.mediaCosts);
  printSearch(results);
  printSummaryTable(results);
  printTargets(results);
  for (const note of results.notes) console.log(`Note: ${note}`);
  console.log(`${context.command} on ${context.cores} cores; load average at the end ${context.load.map((load) => load.toFixed(2)).join(", ")}.`);
  console.log("(Posts counts generated posts; each copy of our site keeps its own few posts too, which its pages link to.)");
}
