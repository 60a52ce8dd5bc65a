import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { BODY_MARKER, type Corpus } from "./corpus.ts";
import { measureHugoBuild } from "./hugo.ts";
import { measureBuild } from "./measure.ts";
import { pairedRuns, type Contestant } from "./pairing.ts";
import { compareReleases, liveRelease } from "./same-output.ts";
import type { CommandSample } from "./timing.ts";
import { IMAGE_CACHE_DIR } from "../content/images.ts";

/** The build's caches (rendered posts, encoded images) live here, under the site folder. */
export const CACHE_DIR = ".cache";

/** Cold: no cache at all. */
export async function removeCache(siteDir: string): Promise<void> {
  await rm(path.join(siteDir, CACHE_DIR), { recursive: true, force: true });
}

/** Cold, but with the encoded images kept: every cache but the image cache goes. */
export async function removeCacheButImages(siteDir: string): Promise<void> {
  const keep = path.relative(CACHE_DIR, IMAGE_CACHE_DIR);
  const entries = await readdir(path.join(siteDir, CACHE_DIR)).catch(() => [] as string[]);
  await Promise.all(entries.filter((entry) => entry !== keep).map((entry) => rm(path.join(siteDir, CACHE_DIR, entry), { recursive: true, force: true })));
}

/** Changes one word in a post's body (a different word each run, so each build has an edit to find). */
async function editPost(file: string, run: number): Promise<void> {
  const text = await readFile(file, "utf8");
  const words = BODY_MARKER.replace(/\.$/, "");
  const edited = text.replace(new RegExp(`^${words}(?:, edit \\d+)?\\.`, "m"), `${words}, edit ${run + 1}.`);
  if (edited === text) throw new Error(`${file} has no "${BODY_MARKER}" to edit`);
  await writeFile(file, edited);
}

export interface WarmFigures {
  warm: CommandSample[];
  hugo: CommandSample[] | undefined;
  /** The cold build that the last warm build's output was compared with. */
  cold: CommandSample;
  /** Files where the last warm build's release and a cold build's differ (empty: byte-identical). */
  differences: string[];
}

/**
 * Warm production builds: the site is built once to fill its cache, then, run
 * after run, one post is edited and `npm run build` runs with the cache kept,
 * each paired with Hugo's cold build of the same site with the same edit.
 * Then the cache is deleted and the site built cold, and the two releases are
 * compared byte for byte.
 */
export async function measureWarmBuilds(
  siteDir: string,
  hugoDir: string | undefined,
  corpus: Corpus,
  runs: number,
  log: (line: string) => void,
): Promise<WarmFigures> {
  await removeCache(siteDir);
  await measureBuild(siteDir);
  const post = corpus.posts[Math.floor(corpus.posts.length / 2)]!;
  const contestants: Contestant[] = [
    {
      name: "warm",
      run: async (run) => {
        await editPost(path.join(siteDir, "posts", post.file), run);
        return measureBuild(siteDir);
      },
    },
  ];
  if (hugoDir) {
    contestants.push({
      name: "hugo",
      run: async (run) => {
        await editPost(path.join(hugoDir, "content/posts", post.file), run);
        return measureHugoBuild(hugoDir, run);
      },
    });
  }
  const samples = await pairedRuns(runs, contestants, (name, run, sample) =>
    log(`${corpus.posts.length} posts, ${name === "warm" ? "our warm build" : "Hugo cold"}: run ${run + 1} of ${runs}: ${seconds(sample)}`),
  );
  const warmRelease = await liveRelease(siteDir);
  await removeCache(siteDir);
  const cold = await measureBuild(siteDir);
  const differences = await compareReleases(warmRelease, await liveRelease(siteDir));
  return { warm: samples.get("warm")!, hugo: samples.get("hugo"), cold, differences };
}

export function seconds(sample: CommandSample): string {
  const cpu = Number.isNaN(sample.cpuMs) ? "" : `, CPU ${(sample.cpuMs / 1000).toFixed(2)} s`;
  return `${(sample.wallMs / 1000).toFixed(2)} s${cpu}`;
}
