import { inject } from "vitest";
import { builtSite, buildFixture, makeFixtureSite as makeSiteFolder, type BuildOptions, type BuiltSite, type FixtureOptions } from "./fixture-site.ts";

export * from "./fixture-site.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The fixture blog, built once for the whole run by test/helpers/global-setup.ts. */
    blogSite: { input: string; outputDir: string; paths: string[] };
    /** The fixture blog built under each of OTHER_ZONES in a fresh process: zone → output folder. */
    blogSiteInZones: Record<string, string>;
  }
}

/**
 * A throwaway copy of the site (see fixture-site.ts) that starts with the
 * shared fixture blog's compiled CSS, unless `stylesheetCacheFrom` says otherwise.
 */
export function makeFixtureSite(options: FixtureOptions = {}): Promise<string> {
  return makeSiteFolder({ stylesheetCacheFrom: inject("blogSite").input, ...options });
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
