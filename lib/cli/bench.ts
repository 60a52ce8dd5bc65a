// `npm run bench`: builds synthetic corpora of several sizes, each paired run by
// run with Hugo (and with eleventy-base-blog where asked), and reports every
// speed figure: cold builds, a warm build after an edit, the dev server's edit
// latency, images and code, and the search index. A report, never a test.
// `npm run bench -- --help` lists the options (USAGE below).
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateCorpus, WITH_MEDIA, writeCorpusSite, type Corpus, type CorpusMedia } from "../bench/corpus.ts";
import { eleventyBaseBlogProblem, measureEleventyBaseBlogBuild, prepareEleventyBaseBlog, writeEleventyBaseBlogSite } from "../bench/eleventy-base-blog.ts";
import { measureEleventyFloorBuild, writeEleventyFloorSite } from "../bench/eleventy-floor.ts";
import { hugoVersion, measureHugoBuild, writeHugoSite } from "../bench/hugo.ts";
import { measureBuild, measureEdits, REPO } from "../bench/measure.ts";
import { pairedRatios, pairedRuns, spread, summarise, type Contestant } from "../bench/pairing.ts";
import { printReport, type BenchResults, type MediaFigures, type SizeFigures } from "../bench/report.ts";
import { measureFirstQuery, measureSearchIndex, type SearchIndexSample } from "../bench/search.ts";
import { canMeasureCommands } from "../bench/timing.ts";
import { measureWarmBuilds, removeCache, removeCacheButImages, seconds } from "../bench/warm.ts";

const USAGE = `npm run bench -- [options]

  --sizes 3,300,3000      cold builds of text-only corpora, each paired with Hugo ("" skips)
  --large [--large-size 10000]   adds 10,000 posts to --sizes
  --runs N                runs per size and variant (default: 7 at 3 posts, 5 up to 300, 3 above;
                          5 warm builds)
  --eleventy-sizes 300,3000   sizes also paired with eleventy-base-blog v9 ("" skips)
  --floor-sizes 3,300,3000    sizes also paired with bare Eleventy (no plugins, one
                          Nunjucks layout, the same posts): Eleventy's own share ("" skips)
  --warm-size 3000        warm build after a one-post edit, against Hugo's cold build, and its
                          output compared with a cold build's ("" skips)
  --media-sizes 300,3000  images and code: text, code, cold and warm image cache; the warm
                          image cache paired with Hugo ("" skips)
  --edits 10 --edit-size 300 [--no-edits]   the dev server's save-to-page latency
  --search-sizes 300,3000 --query-size 400 --query scale   the search index ("" skips)
  --output bench-results/latest.json        where the figures are written as JSON
  --highlighters [--posts 3000]   Prism against Shiki: accuracy and cost, then exits
  --import [--runs 3]             import of a Jekyll blog of 400 posts, then exits
  --help                          this list

Hugo is Debian's \`hugo\` package; without it on PATH the bench says so and skips the
pairing. Peak memory and CPU time of Hugo and eleventy-base-blog are read by GNU time
(/usr/bin/time, Debian's \`time\` package).`;

const { values: options } = parseArgs({
  options: {
    sizes: { type: "string", default: "3,300,3000" },
    large: { type: "boolean", default: false },
    "large-size": { type: "string", default: "10000" },
    runs: { type: "string" },
    "eleventy-sizes": { type: "string", default: "300,3000" },
    "floor-sizes": { type: "string", default: "3,300,3000" },
    "warm-size": { type: "string", default: "3000" },
    edits: { type: "string", default: "10" },
    "edit-size": { type: "string", default: "300" },
    "no-edits": { type: "boolean", default: false },
    "search-sizes": { type: "string", default: "300,3000" },
    "query-size": { type: "string", default: "400" },
    // In every generated post (a heading), so the first query matches them all.
    query: { type: "string", default: "scale" },
    output: { type: "string", default: "bench-results/latest.json" },
    "media-sizes": { type: "string", default: "300,3000" },
    highlighters: { type: "boolean", default: false },
    import: { type: "boolean", default: false },
    posts: { type: "string", default: "3000" },
    help: { type: "boolean", default: false },
  },
});

if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

if (options.highlighters) {
  const { compareHighlighters } = await import("../bench/highlighters.ts");
  console.log(compareHighlighters(positiveInteger(options.posts, "posts")));
  process.exit(0);
}

if (options.import) {
  const { benchImport } = await import("../bench/import.ts");
  console.log(await benchImport(positiveInteger(options.runs ?? "3", "runs")));
  process.exit(0);
}

function positiveInteger(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} expects a positive whole number, got ${JSON.stringify(value)}`);
  return number;
}

// An empty list ("") skips that part.
const sizeList = (value: string, name: string) =>
  value
    .split(",")
    .filter((size) => size.trim() !== "")
    .map((size) => positiveInteger(size.trim(), name));
const sizes = sizeList(options.sizes, "sizes");
const largeSize = positiveInteger(options["large-size"], "large-size");
if (options.large && !sizes.includes(largeSize)) sizes.push(largeSize);
const eleventySizes = sizeList(options["eleventy-sizes"], "eleventy-sizes");
const floorSizes = sizeList(options["floor-sizes"], "floor-sizes");
const warmSize = sizeList(options["warm-size"], "warm-size")[0];
const searchSizes = sizeList(options["search-sizes"], "search-sizes");
const mediaSizes = sizeList(options["media-sizes"], "media-sizes");
const querySize = options["query-size"] === "" ? undefined : positiveInteger(options["query-size"], "query-size");
const edits = positiveInteger(options.edits, "edits");
const editSize = positiveInteger(options["edit-size"], "edit-size");
const fixedRuns = options.runs === undefined ? undefined : positiveInteger(options.runs, "runs");
/** Small builds are quick and noisy: more runs. */
const runsFor = (size: number) => fixedRuns ?? (size <= 3 ? 7 : size <= 300 ? 5 : 3);
/** A warm build is short: five edits, each paired with Hugo's cold build. */
const WARM_RUNS = 5;

const cores = os.availableParallelism();
const hugo = hugoVersion();
const notes: string[] = [];
console.log(
  `Benchmark on ${cores} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}; load average ${os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(", ")}.`,
);
if (process.env.BLOG_WORKERS !== undefined) console.log(`BLOG_WORKERS=${process.env.BLOG_WORKERS}.`);
if (hugo) console.log(`Paired with ${hugo}.`);
else notes.push("hugo is not on PATH (Debian's `hugo` package): the Hugo pairing is skipped.");
if (!canMeasureCommands())
  notes.push("/usr/bin/time is missing (Debian's `time` package): Hugo's and eleventy-base-blog's CPU time and peak memory are not measured.");
const eleventyProblem = eleventySizes.length > 0 ? await prepareEleventyBaseBlog().then(() => eleventyBaseBlogProblem()) : undefined;
if (eleventyProblem) notes.push(`eleventy-base-blog is not paired: ${eleventyProblem}`);
for (const note of notes) console.log(`Note: ${note}`);

const log = (line: string) => process.stdout.write(`  ${line}\n`);
// Corpus folders (with every run's output) are deleted at the very end: a
// deletion of thousands of files slows the file system for the next build.
const scratchDirs: string[] = [];
async function corpusSite(corpus: Corpus): Promise<string> {
  const dir = await writeCorpusSite(corpus, REPO);
  scratchDirs.push(dir);
  return dir;
}
async function hugoSite(corpus: Corpus, siteDir: string): Promise<string | undefined> {
  if (!hugo) return undefined;
  const dir = await writeHugoSite(corpus, siteDir);
  scratchDirs.push(dir);
  return dir;
}
/** Text-only sites of each size, built: the search figures reuse them. */
const builtSites = new Map<number, string>();

const FLOOR = "bare Eleventy";

/** Cold builds of one size, ours paired run by run with Hugo's and, where asked, eleventy-base-blog's. */
async function measureSize(size: number): Promise<SizeFigures> {
  const corpus = generateCorpus(size);
  const siteDir = await corpusSite(corpus);
  builtSites.set(size, siteDir);
  const contestants: Contestant[] = [
    {
      name: "ours",
      run: async () => {
        await removeCache(siteDir);
        return measureBuild(siteDir);
      },
    },
  ];
  const hugoDir = await hugoSite(corpus, siteDir);
  if (hugoDir) contestants.push({ name: "hugo", run: (run) => measureHugoBuild(hugoDir, run) });
  if (!eleventyProblem && eleventySizes.includes(size)) {
    const eleventyDir = await writeEleventyBaseBlogSite(corpus);
    scratchDirs.push(eleventyDir);
    contestants.push({ name: "eleventy-base-blog", run: (run) => measureEleventyBaseBlogBuild(eleventyDir, run) });
  }
  if (floorSizes.includes(size)) {
    const floorDir = await writeEleventyFloorSite(corpus);
    scratchDirs.push(floorDir);
    contestants.push({ name: FLOOR, run: (run) => measureEleventyFloorBuild(floorDir, run) });
  }
  return pairedFigures(size, runsFor(size), contestants);
}

async function pairedFigures(size: number, runs: number, contestants: Contestant[]): Promise<SizeFigures> {
  const samples = await pairedRuns(runs, contestants, (name, run, sample) => log(`${size} posts, ${name}: run ${run + 1} of ${runs}: ${seconds(sample)}`));
  const ours = samples.get("ours")!;
  const figures: SizeFigures = { posts: size, ours: summarise(ours), samples: Object.fromEntries(samples) };
  const hugoSamples = samples.get("hugo");
  if (hugoSamples) figures.hugo = { ...summarise(hugoSamples), ratio: pairedRatios(ours, hugoSamples) };
  const eleventySamples = samples.get("eleventy-base-blog");
  if (eleventySamples) figures.eleventyBaseBlog = { ...summarise(eleventySamples), ratio: pairedRatios(ours, eleventySamples) };
  const floorSamples = samples.get(FLOOR);
  if (floorSamples)
    figures.eleventyFloor = {
      ...summarise(floorSamples),
      ratio: pairedRatios(ours, floorSamples),
      overHugo: hugoSamples && pairedRatios(floorSamples, hugoSamples),
    };
  return figures;
}

/**
 * Images and code at one size: text only, with code, and with code and images
 * from a cold image cache (each a cold build); then from a warm image cache
 * (every other cache deleted), paired with Hugo's build of the same site.
 */
async function measureMedia(size: number): Promise<MediaFigures> {
  const variant = async (label: string, media: CorpusMedia, beforeRun: (siteDir: string) => Promise<void>) => {
    const siteDir = await corpusSite(generateCorpus(size, media));
    const samples = await pairedRuns(
      runsFor(size),
      [{ name: label, run: async () => (await beforeRun(siteDir), measureBuild(siteDir)) }],
      (name, run, sample) => log(`${size} posts, ${name}: run ${run + 1}: ${seconds(sample)}`),
    );
    return { siteDir, summary: summarise(samples.get(label)!) };
  };
  const text = await variant("text", {}, removeCache);
  const code = await variant("code", { code: true }, removeCache);
  const cold = await variant("code and images, cold image cache", WITH_MEDIA, removeCache);
  const contestants: Contestant[] = [{ name: "ours", run: async () => (await removeCacheButImages(cold.siteDir), measureBuild(cold.siteDir)) }];
  const hugoDir = await hugoSite(generateCorpus(size, WITH_MEDIA), cold.siteDir);
  if (hugoDir) contestants.push({ name: "hugo", run: (run) => measureHugoBuild(hugoDir, run) });
  const warm = await pairedFigures(size, runsFor(size), contestants);
  return { posts: size, text: text.summary, code: code.summary, cold: cold.summary, warm };
}

async function measureSearch(size: number): Promise<BenchResults["searchIndexes"][number]> {
  let siteDir = builtSites.get(size);
  if (!siteDir) {
    siteDir = await corpusSite(generateCorpus(size));
    await measureBuild(siteDir);
    builtSites.set(size, siteDir);
  }
  const samples: SearchIndexSample[] = [];
  for (let run = 0; run < runsFor(size); run++) samples.push(await measureSearchIndex(path.join(siteDir, "_site")));
  log(`search index of ${size} posts: ${(spread(samples.map((sample) => sample.ms)).median / 1000).toFixed(2)} s`);
  return {
    posts: size,
    ms: spread(samples.map((sample) => sample.ms)),
    bundleBytes: samples.at(-1)!.bundleBytes,
    indexBytes: samples.at(-1)!.indexBytes,
    samples,
  };
}

async function measureDevServer(): Promise<BenchResults["edit"]> {
  const corpus = generateCorpus(editSize);
  const siteDir = await corpusSite(corpus);
  const samples = await measureEdits(siteDir, corpus, edits);
  const settled = samples.flatMap((sample) => (sample.dependentsMs === undefined ? [] : [sample.dependentsMs]));
  return {
    posts: editSize,
    edits,
    pageMs: spread(samples.map((sample) => sample.pageMs)),
    dependentsMs: settled.length === samples.length ? spread(settled) : undefined,
    stale: [...new Set(samples.flatMap((sample) => sample.stale))],
    samples,
  };
}

async function measureWarm(size: number): Promise<BenchResults["warm"]> {
  const corpus = generateCorpus(size);
  const siteDir = await corpusSite(corpus);
  const figures = await measureWarmBuilds(siteDir, await hugoSite(corpus, siteDir), corpus, fixedRuns ?? WARM_RUNS, log);
  return {
    posts: size,
    ours: summarise(figures.warm),
    hugo: figures.hugo ? { ...summarise(figures.hugo), ratio: pairedRatios(figures.warm, figures.hugo) } : undefined,
    cold: figures.cold,
    differences: figures.differences,
  };
}

const results: BenchResults = { builds: [], mediaCosts: [], searchIndexes: [], notes };
try {
  for (const size of sizes) results.builds.push(await measureSize(size));
  if (warmSize) results.warm = await measureWarm(warmSize);
  if (!options["no-edits"]) results.edit = await measureDevServer();
  for (const size of mediaSizes) results.mediaCosts.push(await measureMedia(size));
  for (const size of searchSizes) results.searchIndexes.push(await measureSearch(size));
  if (querySize) {
    const siteDir = builtSites.get(querySize) ?? (await corpusSite(generateCorpus(querySize)));
    if (!builtSites.has(querySize)) await measureBuild(siteDir);
    results.firstQuery = { posts: querySize, ...(await measureFirstQuery(path.join(siteDir, "_site"), options.query)) };
  }
} finally {
  for (const dir of scratchDirs) await rm(dir, { recursive: true, force: true });
}

const command = ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" ");
printReport(results, { cores, command, load: os.loadavg() });
const outputFile = path.resolve(options.output);
await mkdir(path.dirname(outputFile), { recursive: true });
const machine = { cores, cpu: os.cpus()[0]?.model, memoryBytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.release()}`, hugo };
await writeFile(outputFile, `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, command, ...results }, null, 2)}\n`);
console.log(`Figures written to ${path.relative(process.cwd(), outputFile)}.`);
// A warm build that differs from a cold one is a bug, not a figure: the exit status says so too.
if (results.warm && results.warm.differences.length > 0) process.exitCode = 1;
