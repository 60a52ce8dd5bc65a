import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Eleventy imports the TypeScript plugins itself, outside vite's transform.
    execArgv: ["--import", "tsx"],
    // One module graph per worker, not per file: importing Eleventy and the site's
    // code again for every file cost a fifth of the run's CPU time.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: builds and browsers compete for them.
    maxWorkers: 2,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
    // The fixture blog's production build, made once and shared by every suite.
    globalSetup: ["./test/helpers/global-setup.ts"],
    // Console output only from tests that fail: an expected build failure is not news.
    silent: "passed-only",
  },
});
