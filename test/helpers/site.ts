import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { inject } from "vitest";
import { writeCorpusSite, type Corpus } from "../../lib/bench/corpus.ts";
import {
  builtSite,
  buildFixture,
  copyCompiledCaches,
  FIXTURE_BLOG,
  makeFixtureSite as makeSiteFolder,
  REPO,
  type BuildOptions,
  type BuiltSite,
  type FixtureOptions,
} from "./fixture-site.ts";
import { buildInTimeZone } from "./publish.ts";

export * from "./fixture-site.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The fixture blog, built once for the whole run by test/helpers/global-setup.ts. */
    blogSite: { input: string; outputDir: string; paths: string[] };
    /** A folder, removed at the end of the run, for builds that the suites of the run share (blogSiteInZone). */
    sharedBuilds: string;
  }
}

/**
 * A throwaway copy of the site (see fixture-site.ts) that starts with the
 * shared fixture blog's compiled CSS and templates, unless `compiledFrom` says otherwise.
 */
export function makeFixtureSite(options: FixtureOptions = {}): Promise<string> {
  return makeSiteFolder({ compiledFrom: inject("blogSite").input, ...options });
}

/** A generated corpus's site folder (lib/bench/corpus.ts) with the fixture blog's data, starting with the shared build's compiled CSS and templates. */
export async function writeCorpusFixture(corpus: Corpus): Promise<string> {
  const dir = await writeCorpusSite(corpus, REPO, undefined, FIXTURE_BLOG);
  await copyCompiledCaches(inject("blogSite").input, dir);
  return dir;
}

/**
 * Builds a site. With no options, the fixture blog's production build for the
 * site's own address (SITE_URL unset), built once for the whole run and shared,
 * read-only, by every suite that needs it;
 * with `env` alone, the fixture blog built again with that environment.
 */
export async function buildSite(options: Partial<BuildOptions> = {}): Promise<BuiltSite> {
  const shared = inject("blogSite");
  if (options.input === undefined && options.env === undefined) {
    return builtSite(shared.input, shared.outputDir, shared.paths, async () => {});
  }
  return buildFixture({ input: options.input ?? (await sharedInputCopy()), env: options.env });
}

let inputCopy: Promise<string> | undefined;

/** The fixture blog's site folder, copied once per worker (test files share a worker one after another): a build may write its feed-id ledger. */
function sharedInputCopy(): Promise<string> {
  inputCopy ??= makeFixtureSite({ blogPosts: true });
  return inputCopy;
}

const zoneBuilds = new Map<string, Promise<string>>();

/**
 * The fixture blog built by a fresh process under `zone`; its output folder.
 * Built once for the run, by the first suite that asks (in whichever worker);
 * the others wait for it. Not in the global setup: a run without those suites
 * does not pay for it.
 */
export function blogSiteInZone(zone: string): Promise<string> {
  let build = zoneBuilds.get(zone);
  if (!build) {
    build = sharedZoneBuild(path.join(inject("sharedBuilds"), zone.replaceAll("/", "-")), zone);
    zoneBuilds.set(zone, build);
  }
  return build;
}

/** `folder/outcome` says how the build went: "built" and the published folder, or the error; whoever makes `folder` builds. */
async function sharedZoneBuild(folder: string, zone: string): Promise<string> {
  const outcome = path.join(folder, "outcome");
  const builder = await mkdir(folder).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "EEXIST") return false;
      throw error;
    },
  );
  if (builder) {
    try {
      // A copy of its own: a build writes caches and its release into its site folder.
      const published = await buildInTimeZone(await makeFixtureSite({ blogPosts: true }), zone);
      await writeFile(outcome, `built ${published}`);
    } catch (error) {
      await writeFile(outcome, String(error));
      throw error;
    }
  }
  for (;;) {
    const result = await readFile(outcome, "utf8").catch(() => undefined);
    if (result?.startsWith("built ")) return result.slice("built ".length);
    if (result !== undefined) throw new Error(`the fixture blog's build under TZ=${zone} failed in another suite: ${result}`);
    await sleep(100);
  }
}
