import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Builds the fixture blog once for the whole run: most suites read the same
 * production build, and building it per suite was a large share of `npm test`.
 * Also provides a folder for builds that suites share when they first need them
 * (see blogSiteInZone in test/helpers/site.ts), removed at the end of the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Eleventy imports the TypeScript plugins itself; the workers get tsx from execArgv, this process here.
  const { register } = await import("tsx/esm/api");
  register();
  const { buildFixture, makeFixtureSite } = await import("./fixture-site.ts");
  const input = await makeFixtureSite({ blogPosts: true });
  // The site's own address, whatever the environment of the test run says.
  const site = await buildFixture({ input, env: { SITE_URL: undefined } });
  project.provide("blogSite", { input, outputDir: site.outputDir, paths: site.paths });
  const sharedBuilds = await mkdtemp(path.join(tmpdir(), "blog-shared-"));
  project.provide("sharedBuilds", sharedBuilds);
  return async () => {
    await site.cleanup();
    await rm(input, { recursive: true, force: true });
    await rm(sharedBuilds, { recursive: true, force: true });
  };
}
