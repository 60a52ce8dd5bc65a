// `npm run bench`: builds synthetic corpora of several sizes and reports build
// time, peak memory, the search index's cost and the dev server's edit latency.
// A report, never a test.
//
//   npm run bench -- [--sizes 3,300,3000] [--large] [--runs 3] [--edits 5] [--edit-size 300] [--no-edits]
//                    [--search-sizes 300,3000] [--query-size 400] [--query scale] [--output bench-results/latest.json]
//   npm run bench -- [--media-sizes 300,3000]   (what images and highlighting add, cold and warm image cache)
//   npm run bench -- --highlighters [--posts 3000]   (Prism against Shiki: accuracy and cost, then exits)
//   npm run bench -- --import [--runs 3]             (import of a Jekyll blog of 400 posts and 300 images, and the build after it, then exits)
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateCorpus, IMAGE_POOL, WITH_MEDIA, writeCorpusSite, type CorpusMedia } from "../bench/corpus.ts";
import { measureBuild, measureEdits, REPO, type BuildSample, type EditSample } from "../bench/measure.ts";
import { measureFirstQuery, measureSearchIndex, type FirstQuerySample, type SearchIndexSample } from "../bench/search.ts";
import { IMAGE_CACHE_DIR } from "../content/images.ts";

const { values: options } = parseArgs({
  options: {
    sizes: { type: "string", default: "3,300,3000" },
    large: { type: "boolean", default: false },
    runs: { type: "string", default: "3" },
    edits: { type: "string", default: "5" },
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
  },
});

if (options.highlighters) {
  const { compareHighlighters } = await import("../bench/highlighters.ts");
  console.log(compareHighlighters(positiveInteger(options.posts, "posts")));
  process.exit(0);
}

if (options.import) {
  const { benchImport } = await import("../bench/import.ts");
  console.log(await benchImport(positiveInteger(options.runs, "runs")));
  process.exit(0);
}

function positiveInteger(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} expects a positive whole number, got ${JSON.stringify(value)}`);
  return number;
}

// `--sizes ""` skips the builds (to time only the dev server).
const sizeList = (value: string, name: string) => value.split(",").filter((size) => size.trim() !== "").map((size) => positiveInteger(size.trim(), name));
const sizes = sizeList(options.sizes, "sizes");
// `--search-sizes ""` skips the search index figures.
const searchSizes = sizeList(options["search-sizes"], "search-sizes");
// `--media-sizes ""` skips the image and highlighting figures.
const mediaSizes = sizeList(options["media-sizes"], "media-sizes");
const querySize = options["query-size"] === "" ? undefined : positiveInteger(options["query-size"], "query-size");
if (options.large && !sizes.includes(10_000)) sizes.push(10_000);
const runs = positiveInteger(options.runs, "runs");
const edits = positiveInteger(options.edits, "edits");
const editSize = positiveInteger(options["edit-size"], "edit-size");

interface Spread {
  median: number;
  min: number;
  max: number;
}

function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

const MIB = 1024 * 1024;
const format = (value: Spread, scale: number, digits: number) =>
  `${(value.median / scale).toFixed(digits)} (${(value.min / scale).toFixed(digits)}–${(value.max / scale).toFixed(digits)})`;

const cores = os.availableParallelism();
console.log(`Benchmark on ${cores} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}; ${runs} cold build(s) per size.`);

let edit: { posts: number; pageMs: Spread; dependentsMs: Spread | undefined; stale: string[]; samples: EditSample[] } | undefined;
const builds: Array<{ posts: number; runs: number; wallMs: Spread; cpuMs: Spread; peakBytes: Spread; samples: BuildSample[] }> = [];
// Corpus folders (with every run's release) are deleted at the very end: a
// deletion of thousands of files slows the file system for the next build.
const corpusDirs: string[] = [];
/** A built corpus of each size, for the search figures. */
const builtSites = new Map<number, string>();
async function builtSite(size: number): Promise<string> {
  let siteDir = builtSites.get(size);
  if (!siteDir) {
    siteDir = await writeCorpusSite(generateCorpus(size, WITH_MEDIA), REPO);
    corpusDirs.push(siteDir);
    await measureBuild(siteDir);
    builtSites.set(size, siteDir);
  }
  return path.join(siteDir, "_site");
}
/**
 * Builds of one size as text only, with code, and with code and images from a
 * cold and a warm image cache. CPU time as well as wall time: on a shared
 * machine the wall time of one build swings with the others' load.
 */
type MediaVariant = "text" | "code" | "cold" | "warm";
type MediaCost = Record<MediaVariant, { wallMs: Spread; cpuMs: Spread }>;
const mediaCosts: Array<{ posts: number } & MediaCost> = [];
async function measureMedia(size: number): Promise<MediaCost> {
  const timed = async (siteDir: string, label: string, beforeRun: () => Promise<void>) => {
    const samples: BuildSample[] = [];
    for (let run = 0; run < runs; run++) {
      await beforeRun();
      samples.push(await measureBuild(siteDir));
      process.stdout.write(`  ${size} posts, ${label}: run ${run + 1} of ${runs}: ${(samples.at(-1)!.wallMs / 1000).toFixed(2)} s, CPU ${(samples.at(-1)!.cpuMs / 1000).toFixed(2)} s\n`);
    }
    return { wallMs: spread(samples.map((sample) => sample.wallMs)), cpuMs: spread(samples.map((sample) => sample.cpuMs)) };
  };
  const site = async (media: CorpusMedia) => {
    const siteDir = await writeCorpusSite(generateCorpus(size, media), REPO);
    corpusDirs.push(siteDir);
    return siteDir;
  };
  const nothing = async () => {};
  const withMedia = await site(WITH_MEDIA);
  const cache = path.join(withMedia, IMAGE_CACHE_DIR);
  return {
    text: await timed(await site({}), "text", nothing),
    code: await timed(await site({ code: true }), "code", nothing),
    cold: await timed(withMedia, "images, cold cache", () => rm(cache, { recursive: true, force: true })),
    // The cold runs left the cache full.
    warm: await timed(withMedia, "images, warm cache", nothing),
  };
}
const searchIndexes: Array<{ posts: number; ms: Spread; bundleBytes: number; indexBytes: number; samples: SearchIndexSample[] }> = [];
let firstQuery: (FirstQuerySample & { posts: number }) | undefined;
try {
  for (const size of sizes) {
    const siteDir = await writeCorpusSite(generateCorpus(size, WITH_MEDIA), REPO);
    corpusDirs.push(siteDir);
    builtSites.set(size, siteDir);
    const samples: BuildSample[] = [];
    for (let run = 0; run < runs; run++) {
      // Cold means cold: no image encoded by an earlier run.
      await rm(path.join(siteDir, IMAGE_CACHE_DIR), { recursive: true, force: true });
      samples.push(await measureBuild(siteDir));
      process.stdout.write(`  ${size} posts: run ${run + 1} of ${runs}: ${(samples.at(-1)!.wallMs / 1000).toFixed(2)} s\n`);
    }
    builds.push({ posts: size, runs, wallMs: spread(samples.map((s) => s.wallMs)), cpuMs: spread(samples.map((s) => s.cpuMs)), peakBytes: spread(samples.map((s) => s.peakBytes)), samples });
  }

  for (const size of mediaSizes) {
    const variants = await measureMedia(size);
    mediaCosts.push({ posts: size, ...variants });
  }

  for (const size of searchSizes) {
    const site = await builtSite(size);
    const samples: SearchIndexSample[] = [];
    for (let run = 0; run < runs; run++) samples.push(await measureSearchIndex(site));
    process.stdout.write(`  search index of ${size} posts: ${(spread(samples.map((sample) => sample.ms)).median / 1000).toFixed(2)} s\n`);
    searchIndexes.push({ posts: size, ms: spread(samples.map((sample) => sample.ms)), bundleBytes: samples.at(-1)!.bundleBytes, indexBytes: samples.at(-1)!.indexBytes, samples });
  }
  if (querySize) firstQuery = { posts: querySize, ...(await measureFirstQuery(await builtSite(querySize), options.query)) };

  if (!options["no-edits"]) {
    const corpus = generateCorpus(editSize, WITH_MEDIA);
    const siteDir = await writeCorpusSite(corpus, REPO);
    corpusDirs.push(siteDir);
    const samples = await measureEdits(siteDir, corpus, edits);
    const settled = samples.flatMap((sample) => (sample.dependentsMs === undefined ? [] : [sample.dependentsMs]));
    edit = {
      posts: editSize,
      pageMs: spread(samples.map((sample) => sample.pageMs)),
      dependentsMs: settled.length === samples.length ? spread(settled) : undefined,
      stale: [...new Set(samples.flatMap((sample) => sample.stale))],
      samples,
    };
  }
} finally {
  for (const siteDir of corpusDirs) await rm(siteDir, { recursive: true, force: true });
}

if (builds.length > 0) {
  console.log("");
  console.log(`| Posts | Cold build, s: median (min–max) | CPU time, s | Peak memory, MiB |`);
  console.log(`|---:|---|---|---|`);
  for (const build of builds) console.log(`| ${build.posts.toLocaleString("en")} | ${format(build.wallMs, 1000, 2)} | ${format(build.cpuMs, 1000, 2)} | ${format(build.peakBytes, MIB, 0)} |`);
}
const KIB = 1024;
if (searchIndexes.length > 0) {
  if (mediaCosts.length > 0) {
    const seconds = (value: Spread) => format(value, 1000, 2);
    const added = (value: Spread, base: Spread) => `${value.median >= base.median ? "+" : ""}${((value.median - base.median) / 1000).toFixed(2)}`;
    console.log("");
    console.log(`Images and code: each post with one image (from a pool of ${IMAGE_POOL} distinct 1200x800 PNGs) and two highlighted code blocks; each a build in a fresh process, s, median (min–max):`);
    for (const measure of ["cpuMs", "wallMs"] as const) {
      console.log("");
      console.log(`| Posts (${measure === "cpuMs" ? "CPU time" : "wall time"}) | Text only | + code | + code and images, cold image cache | + code and images, warm image cache | Highlighting adds | Images add, cold | Images add, warm |`);
      console.log(`|---:|---|---|---|---|---:|---:|---:|`);
      for (const cost of mediaCosts) {
        const [text, code, cold, warm] = [cost.text[measure], cost.code[measure], cost.cold[measure], cost.warm[measure]];
        console.log(`| ${cost.posts.toLocaleString("en")} | ${seconds(text)} | ${seconds(code)} | ${seconds(cold)} | ${seconds(warm)} | ${added(code, text)} | ${added(cold, code)} | ${added(warm, code)} |`);
      }
    }
  }
  console.log("");
  console.log(`| Posts | Search index, s: median (min–max) | Index, KiB | Bundle at /pagefind/, KiB |`);
  console.log(`|---:|---|---:|---:|`);
  for (const index of searchIndexes) console.log(`| ${index.posts.toLocaleString("en")} | ${format(index.ms, 1000, 2)} | ${(index.indexBytes / KIB).toFixed(0)} | ${(index.bundleBytes / KIB).toFixed(0)} |`);
  console.log("(Indexing is part of each cold build above; here it runs again on the built site alone.)");
}
if (firstQuery) {
  console.log("");
  console.log(`First search at ${firstQuery.posts} posts ("${firstQuery.query}", ${firstQuery.results} results, 10 shown): ${firstQuery.files} files from /pagefind/, ${(firstQuery.bytes / KIB).toFixed(1)} KiB as stored, ${(firstQuery.bytesWithGzip / KIB).toFixed(1)} KiB with its scripts gzipped (goal: 150 KB).`);
}
if (edit) {
  console.log("");
  console.log(`Dev server, ${edit.posts} posts, ${edits} edits: the edited post's page in ${format(edit.pageMs, 1, 0)} ms;`);
  console.log(edit.dependentsMs
    ? `its series page, series feed, site feed, home page and previous part in ${format(edit.dependentsMs, 1, 0)} ms.`
    : `STALE after 10 s: ${edit.stale.join(", ")}.`);
}
console.log(`(${cores} cores. Posts counts generated posts; each copy of the site keeps its own few posts too, which its pages link to.)`);

const outputFile = path.resolve(options.output);
await mkdir(path.dirname(outputFile), { recursive: true });
await writeFile(outputFile, `${JSON.stringify({
  measuredAt: new Date().toISOString(),
  machine: { cores, cpu: os.cpus()[0]?.model, memoryBytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.release()}` },
  command: ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" "),
  builds,
  mediaCosts,
  searchIndexes,
  firstQuery,
  edit,
}, null, 2)}\n`);
console.log(`Figures written to ${path.relative(process.cwd(), outputFile)}.`);
