import { readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCorpus } from "../lib/bench/corpus.ts";
import { renderContext, type RenderSettings } from "../lib/content/post-file.ts";
import { postsRendered, renderPostFiles, workerCount, type PostJob } from "../lib/content/post-workers.ts";
import { buildError, post, writeCorpusFixture } from "./helpers/site.ts";

// Thirty-four posts with code: three batches (of at most 16, post-workers.ts), so that the
// main thread and two workers, or two workers alone, each have one to take.
const corpus = generateCorpus(34, { code: true });
const NOW = "2026-01-01T00:00:00Z";

let dir: string;

beforeAll(async () => {
  dir = await writeCorpusFixture(corpus);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const settingsFor = (inputDir: string): RenderSettings => ({
  deploymentUrl: "https://blog.bittercoder.com/",
  canonicalUrl: "https://blog.bittercoder.com/",
  timeZone: "UTC",
  inputDir,
  staticFiles: new Map(),
});

async function jobsIn(inputDir: string): Promise<PostJob[]> {
  const files = (await readdir(path.join(inputDir, "posts"))).filter((name) => name.endsWith(".md")).sort();
  return Promise.all(files.map(async (name) => ({ file: `posts/${name}`, bytes: await readFile(path.join(inputDir, "posts", name)) })));
}

/** Renders the jobs on worker threads alone, and checks they did. */
async function onWorkers(jobs: PostJob[], settings: RenderSettings, workers: number) {
  const before = postsRendered().byWorkers;
  const results = await renderPostFiles(jobs, settings, () => renderContext(settings), { workers, mainThread: false });
  expect(postsRendered().byWorkers - before).toBe(jobs.length);
  return results;
}

describe("rendering posts on several threads", () => {
  // Two workers for three batches: one of them takes two in turn, as a lone worker would take all three.
  it("gives the same result for every post on the main thread and on two workers", async () => {
    const settings = settingsFor(dir);
    const jobs = await jobsIn(dir);
    const alone = await renderPostFiles(jobs, settings, () => renderContext(settings), { workers: 0 });
    expect(alone.map((result) => result.file)).toEqual(jobs.map((job) => job.file));
    expect(alone.every((result) => result.errors.length === 0 && Object.keys(result.renders).length >= 2)).toBe(true);
    expect(await onWorkers(jobs, settings, 2)).toEqual(alone);
  });

  it("reports a worker's content errors with file, line and field, every one of them", async () => {
    const settings = settingsFor(dir);
    const jobs: PostJob[] = [
      { file: "posts/bad-date.md", bytes: Buffer.from(post({ title: "Bad date", date: "2018-02-30" })) },
      {
        file: "posts/bad-bytes.md",
        bytes: Buffer.concat([Buffer.from("---\ntitle: Bytes\ndate: 2018-01-01\n---\nCaf"), Buffer.from([0xe9]), Buffer.from("\n")]),
      },
      {
        file: "posts/bad-notes.md",
        bytes: Buffer.from(post({ title: "Notes", date: new Date("2018-01-01") }, "Text.[^missing] And [^twice].\n\n[^twice]: One.\n[^twice]: Two.\n")),
      },
    ];
    const [date, bytes, notes] = await onWorkers(jobs, settings, 2);
    expect(date!.errors).toEqual([expect.objectContaining({ file: "posts/bad-date.md", line: 3, field: "date" })]);
    expect(bytes!.errors).toEqual([
      expect.objectContaining({ file: "posts/bad-bytes.md", line: 5, field: "encoding", found: expect.stringContaining("0xE9") }),
    ]);
    expect(notes!.errors.map((error) => [error.file, error.line, error.field])).toEqual(
      expect.arrayContaining([
        ["posts/bad-notes.md", 5, "[^missing]"],
        ["posts/bad-notes.md", 8, "[^twice]"],
      ]),
    );
  });

  it("fails a build with every content error from its threads, as one report and no stack trace", async () => {
    const broken = await writeCorpusFixture(generateCorpus(6));
    await writeFile(path.join(broken, "posts/bad-date.md"), post({ title: "Bad date", date: "2018-02-30" }));
    await writeFile(path.join(broken, "posts/bad-title.md"), post({ title: "", date: new Date("2018-01-01") }));
    const error = await buildError({ input: broken, env: { BLOG_NOW: NOW, BLOG_CACHE: "0", BLOG_WORKERS: "2" } });
    await rm(broken, { recursive: true, force: true });
    expect(error.message).toMatch(/posts\/bad-date\.md:3: date:/);
    expect(error.message).toMatch(/posts\/bad-title\.md:2: title:/);
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it("takes the number of extra threads from BLOG_WORKERS, and refuses a number it cannot use", () => {
    const saved = process.env.BLOG_WORKERS;
    try {
      process.env.BLOG_WORKERS = "3";
      expect(workerCount(5)).toBe(3);
      process.env.BLOG_WORKERS = "two";
      expect(() => workerCount(5)).toThrow(/BLOG_WORKERS: found "two"; expected a whole number/);
      delete process.env.BLOG_WORKERS;
      expect(workerCount(5)).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.BLOG_WORKERS;
      else process.env.BLOG_WORKERS = saved;
    }
  });
});
