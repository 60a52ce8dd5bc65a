import { rm } from "node:fs/promises";
import { generateCorpus, writeCorpusSite } from "./corpus.ts";
import { JEKYLL_CORPUS_HOSTS, writeJekyllCorpus, type JekyllCorpusSize } from "./jekyll-corpus.ts";
import { measureBuild, measureImport, REPO } from "./measure.ts";

export const IMPORT_SIZE: JekyllCorpusSize = { posts: 400, images: 300 };

/** Median and min–max of values, divided by scale. */
const spreadOf = (values: readonly number[], scale: number, digits: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return `${(median / scale).toFixed(digits)} (${(sorted[0]! / scale).toFixed(digits)}–${(sorted.at(-1)! / scale).toFixed(digits)})`;
};

/**
 * `npm run bench -- --import`: `npm run import` of a generated Jekyll blog
 * into a fresh copy of the site, then the production build of the result, each
 * in a fresh process; median and min–max over the runs.
 */
export async function benchImport(runs: number, size = IMPORT_SIZE): Promise<string> {
  const folders: string[] = [];
  const imports: number[] = [];
  const builds: number[] = [];
  const peaks: number[] = [];
  try {
    const jekyllDir = await writeJekyllCorpus(size);
    folders.push(jekyllDir);
    for (let run = 0; run < runs; run++) {
      const siteDir = await writeCorpusSite(generateCorpus(0), REPO);
      folders.push(siteDir);
      const imported = await measureImport(jekyllDir, siteDir, [JEKYLL_CORPUS_HOSTS.older]);
      const built = await measureBuild(siteDir);
      imports.push(imported.wallMs);
      builds.push(built.wallMs);
      peaks.push(Math.max(imported.peakBytes, built.peakBytes));
      process.stdout.write(`  run ${run + 1} of ${runs}: import ${(imported.wallMs / 1000).toFixed(2)} s, build ${(built.wallMs / 1000).toFixed(2)} s\n`);
    }
  } finally {
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  }
  return [
    `Import of a generated Jekyll blog (${size.posts} posts, ${size.images} images), ${runs} run(s), seconds: median (min–max)`,
    `  npm run import: ${spreadOf(imports, 1000, 2)}`,
    `  npm run build:  ${spreadOf(builds, 1000, 2)}`,
    `  peak memory, MiB: ${spreadOf(peaks, 1024 * 1024, 0)}`,
  ].join("\n");
}
