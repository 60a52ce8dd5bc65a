import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Builds the fixture blog once for the whole run: most suites read the same
 * production build, and building it per suite was a large share of `npm test`.
 * Then builds it again under each of OTHER_ZONES, in fresh processes side by
 * side, for the suites that prove the output does not depend on the machine's zone.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Eleventy imports the TypeScript plugins itself; the workers get tsx from execArgv, this process here.
  const { register } = await import("tsx/esm/api");
  register();
  const { buildFixture, buildInTimeZone, makeFixtureSite, OTHER_ZONES } = await import("./fixture-site.ts");
  const folders: string[] = [];
  const input = await makeFixtureSite({ blogPosts: true });
  folders.push(input);
  // The site's own address, whatever the environment of the test run says.
  const site = await buildFixture({ input, env: { SITE_URL: undefined } });
  project.provide("blogSite", { input, outputDir: site.outputDir, paths: site.paths });

  const inZones = await Promise.all(
    OTHER_ZONES.map(async (zone) => {
      // A copy each: a build writes caches into its site folder.
      const copy = await makeFixtureSite({ blogPosts: true, stylesheetCacheFrom: input });
      const outputDir = await mkdtemp(path.join(tmpdir(), "blog-tz-"));
      folders.push(copy, outputDir);
      await buildInTimeZone(copy, outputDir, zone);
      return [zone, outputDir] as const;
    }),
  );
  project.provide("blogSiteInZones", Object.fromEntries(inZones));
  return async () => {
    await site.cleanup();
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  };
}
