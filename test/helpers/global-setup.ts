import { rm } from "node:fs/promises";
import type { TestProject } from "vitest/node";

/**
 * Builds the fixture blog once for the whole run: most suites read the same
 * production build, and building it per suite was a large share of `npm test`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Eleventy imports the TypeScript plugins itself; the workers get tsx from execArgv, this process here.
  const { register } = await import("tsx/esm/api");
  register();
  const { buildFixture, makeFixtureSite } = await import("./fixture-site.ts");
  const input = await makeFixtureSite({ blogPosts: true });
  const site = await buildFixture({ input });
  project.provide("blogSite", { input, outputDir: site.outputDir, paths: site.paths });
  return async () => {
    await site.cleanup();
    await rm(input, { recursive: true, force: true });
  };
}
