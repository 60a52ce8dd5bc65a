import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { JEKYLL_CORPUS_HOSTS, writeJekyllCorpus } from "../lib/bench/jekyll-corpus.ts";
import { runImport } from "./helpers/import.ts";
import { buildSite, makeFixtureSite, text, type BuiltSite } from "./helpers/site.ts";

/** The URL Jekyll's `/:title/` gave each post of a generated blog: its file name without the date. */
async function oldUrls(jekyllDir: string): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  for (const file of await readdir(path.join(jekyllDir, "_posts"))) {
    const source = await readFile(path.join(jekyllDir, "_posts", file), "utf8");
    const title = /^title: (.*)$/m.exec(source)![1]!;
    urls.set(`/${file.replace(/^\d{4}-\d{2}-\d{2}-/, "").replace(/\.\w+$/, "")}/`, JSON.parse(title) as string);
  }
  return urls;
}

describe("a generated WordPress-era blog, imported and built as a new user would", () => {
  let jekyllDir: string;
  let input: string;
  let site: BuiltSite;

  beforeAll(async () => {
    jekyllDir = await writeJekyllCorpus({ posts: 40, images: 30 });
    input = await makeFixtureSite();
    const run = await runImport(jekyllDir, input, "--host", JEKYLL_CORPUS_HOSTS.older);
    expect(run.code, run.stdout).toBe(0);
    vi.spyOn(console, "warn").mockImplementation(() => {});
    site = await buildSite({ input });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await site?.cleanup();
    await rm(jekyllDir, { recursive: true, force: true });
    await rm(input, { recursive: true, force: true });
  });

  it("serves every old post URL with its post, and shows its images", async () => {
    const urls = await oldUrls(jekyllDir);
    expect(urls.size).toBe(40);
    for (const [url, title] of urls) {
      const page = await site.document(url);
      expect(text(page.querySelector("h1")), url).toBe(title);
      for (const image of page.querySelectorAll(".post-body img")) {
        const src = image.getAttribute("src")!;
        expect(src, url).toMatch(/^\//);
        await expect(readFile(path.join(site.outputDir, src.replace(/[?#].*$/, ""))), src).resolves.toBeDefined();
      }
    }
  });
});
