// What a production build loads: only runtime dependencies, and the heavy
// packages only for content that needs them (see lib/tools/lazy.ts). Each
// module loaded costs start-up time on every build.
import { execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { MEDIA_POST_BODY, writeMediaImages } from "./helpers/media.ts";
import { makeFixtureSite, post, REPO } from "./helpers/site.ts";

const run = promisify(execFile);
const RECORDER = path.join(REPO, "test/helpers/loaded-packages.js");
const LAZY = ["@11ty/eleventy-img", "sharp", "sanitize-html"];
const sites: string[] = [];

afterAll(async () => {
  for (const site of sites) await rm(site, { recursive: true, force: true });
});

/** Runs `npm run build`'s command on a site; returns the packages its main thread loaded, and every module. */
async function packagesLoadedByBuild(site: string): Promise<Set<string> & { modules: string[] }> {
  sites.push(site);
  const record = path.join(site, "loaded-modules.txt");
  const env = { ...process.env, BLOG_DRAFTS: "0", NODE_OPTIONS: "", LOADED_MODULES_FILE: record };
  await run(process.execPath, ["--import", RECORDER, path.join(REPO, "lib/launch.js"), "cli/build", "--input", site], { cwd: REPO, env });
  const modules = (await readFile(record, "utf8")).split("\n");
  const packages = new Set(modules.flatMap((module) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(module)?.[1] ?? []));
  return Object.assign(packages, { modules });
}

describe("a production build", () => {
  it("of markdown posts without images loads no development package, nor the image tools or the HTML sanitizer", async () => {
    const posts = {
      "first.md": post({ title: "First", date: "2020-01-01", tags: ["notes"] }, "Some *markdown* with a note.[^a]\n\n[^a]: The note.\n"),
      "second.md": post({ title: "Second", date: "2020-02-01" }, "More text, and [a link](/first/).\n\n```ts\nconst code = 1;\n```\n"),
    };
    const loaded = await packagesLoadedByBuild(await makeFixtureSite({ posts }));
    const { devDependencies } = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    // Eleventy and the other packages loaded at start come from their bundle (lib/launch.js), not their own modules.
    const bundled = loaded.modules.flatMap((module) => /\/\.build\/packages-[0-9a-f]+\/src\/Util\/([^/]+)\.js$/.exec(module)?.[1] ?? []);
    expect(bundled).toEqual(expect.arrayContaining(["Eleventy", "markdown-it"]));
    expect(loaded).not.toContain("@11ty/eleventy");
    expect(loaded).toContain("nunjucks");
    expect([...loaded].filter((name) => name in devDependencies || LAZY.includes(name))).toEqual([]);
  });

  it("loads the image tools for a post with an image, and the sanitizer for a post of HTML", async () => {
    const site = await makeFixtureSite({
      posts: {
        "with-images.md": post({ title: "Images", date: "2020-01-01" }, MEDIA_POST_BODY),
        "old.html": "---\ntitle: Old\ndate: 2007-01-01\n---\n<p>From the old blog.</p>\n",
      },
    });
    await writeMediaImages(site);
    const loaded = await packagesLoadedByBuild(site);
    expect(LAZY.filter((name) => !loaded.has(name))).toEqual([]);
  });
});
