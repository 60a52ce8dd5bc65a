import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEMPLATE_CACHE_DIR } from "../lib/plugins/template-cache.ts";
import { buildFixture, makeFixtureSite, type BuiltSite } from "./helpers/site.ts";

/*
 * Templates compiled by one build are kept in .cache/templates and read by the
 * next (lib/plugins/template-cache.ts): the site must come out byte for byte as
 * it does compiled from source, and a cold build (BLOG_CACHE=0) must not use them.
 */
let site: string;
const builds: BuiltSite[] = [];

async function build(env: Record<string, string> = {}): Promise<BuiltSite> {
  const built = await buildFixture({ input: site, env });
  builds.push(built);
  return built;
}

async function cached(): Promise<string[]> {
  return (await readdir(path.join(site, TEMPLATE_CACHE_DIR)).catch(() => [])).sort();
}

async function sameOutput(a: BuiltSite, b: BuiltSite): Promise<void> {
  expect(b.paths).toEqual(a.paths);
  for (const sitePath of a.paths) expect(await b.read(sitePath), sitePath).toBe(await a.read(sitePath));
}

beforeAll(async () => {
  site = await makeFixtureSite({ blogPosts: true });
});

afterAll(async () => {
  for (const built of builds) await built.cleanup();
  await rm(site, { recursive: true, force: true });
});

describe("compiled templates kept between builds", () => {
  it("a cold build compiles from source and keeps nothing; the next keeps each template; a third reads them and makes the same site", async () => {
    const cold = await build({ BLOG_CACHE: "0" });
    expect(await cached()).toEqual([]);
    const first = await build();
    const kept = await cached();
    expect(kept.length).toBeGreaterThan(10);
    const second = await build();
    expect(await cached()).toEqual(kept);
    await sameOutput(cold, first);
    await sameOutput(cold, second);
  }, 120_000);

  it("reads the kept JavaScript instead of compiling the source", async () => {
    // Every kept template made to fail when it is loaded (templates Eleventy compiled already in this process are not compiled again).
    const files = (await cached()).map((name) => path.join(site, TEMPLATE_CACHE_DIR, name));
    const kept = await Promise.all(files.map((file) => readFile(file, "utf8")));
    await Promise.all(files.map((file, index) => writeFile(file, `throw new Error("read from the template cache");\n${kept[index]}`)));
    // Eleventy wraps the error of the template it was rendering: the kept code's own error is its cause.
    const failure: unknown = await build().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(inspect(failure, { depth: 10 })).toContain("read from the template cache");
    await Promise.all(files.map((file, index) => writeFile(file, kept[index]!)));
  }, 120_000);
});
