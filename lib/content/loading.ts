import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ImageStore } from "./images.ts";
import type { IssueLog } from "./issues.ts";
import { handOver, unchangedReader } from "./memory.ts";
import { cacheEnabled, PostCache, postKey, settingsKey } from "./post-cache.ts";
import { renderContext, renderTarget, type PostRecord, type RenderContext, type RenderedPost, type RenderSettings } from "./post-file.ts";
import { PAGE, targetKey } from "./post-source.ts";
import { renderPostFiles } from "./post-workers.ts";
import { describeZodIssues, SeriesFileSchema, SiteSchema, type SeriesDeclaration } from "./schema.ts";
import { SiteUrls } from "./site-urls.ts";
import { listPostFiles, SERIES_FILE, SITE_FILE } from "./sources.ts";
import type { Site } from "./types.ts";

/*
 * Reading the content model's input: the data files and every post, each
 * checked on its own. Checks across documents are the model's (model.ts).
 */

export type { PostRecord } from "./post-file.ts";

export interface PostReading {
  urls: SiteUrls;
  includeDrafts: boolean;
  oneOffBuild: boolean;
  now: Date;
  /** The zone a plain calendar day (`date: 2018-01-10`) starts in: the site's. */
  timeZone: string;
  /** What posts' images are resolved against (see media.ts). */
  inputDir: string;
  staticFiles: ReadonlyMap<string, string>;
  images: ImageStore;
}

export async function loadSite(inputDir: string, log: IssueLog, deploymentUrl: string | undefined): Promise<Site | undefined> {
  return loadJson(inputDir, SITE_FILE, log, (data, file) => {
    const result = SiteSchema.safeParse(data);
    if (!result.success) {
      for (const problem of describeZodIssues(result.error, data)) log.error({ file, field: problem.field, found: problem.found, expected: problem.expected });
      return undefined;
    }
    const deployment = deploymentUrl ?? process.env.SITE_URL ?? result.data.url;
    try {
      return { ...result.data, urls: new SiteUrls(deployment, result.data.url) };
    } catch {
      log.error({ file: "SITE_URL", found: JSON.stringify(deployment), expected: "expected an absolute URL like https://example.github.io/blog/" });
      return undefined;
    }
  });
}

export async function loadSeriesDeclarations(inputDir: string, log: IssueLog): Promise<Record<string, SeriesDeclaration>> {
  const declarations = await loadJson(inputDir, SERIES_FILE, log, (data, file) => {
    const result = SeriesFileSchema.safeParse(data);
    if (result.success) return result.data;
    for (const problem of describeZodIssues(result.error, data)) log.error({ file, field: problem.field, found: problem.found, expected: problem.expected });
    return undefined;
  });
  return declarations ?? {};
}

async function loadJson<T>(inputDir: string, file: string, log: IssueLog, validate: (data: unknown, file: string) => T | undefined): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(inputDir, file), "utf8");
  } catch {
    log.error({ file, expected: "this file is missing; the site needs it" });
    return undefined;
  }
  try {
    return validate(JSON.parse(text.replace(/^\uFEFF/, "")), file);
  } catch (error) {
    log.error({ file, found: "invalid JSON", expected: `expected valid JSON (${(error as Error).message})` });
    return undefined;
  }
}

/** Every post under posts/, each read and checked on its own; a file that is not a post is an error. */
export async function loadPosts(inputDir: string, reading: PostReading, log: IssueLog): Promise<PostRecord[]> {
  const { posts, others, refused } = await listPostFiles(inputDir);
  for (const file of others) {
    log.error({
      file,
      found: `a ${path.extname(file) || "extension-less"} file`,
      expected: "only posts (.md, or .html for HTML posts) belong in posts/; rename it or move it out (images go in images/, published at /images/)",
    });
  }
  for (const { file, found, expected } of refused) log.error({ file, found, expected });
  const settings: RenderSettings = {
    deploymentUrl: reading.urls.deploymentUrl,
    canonicalUrl: reading.urls.canonicalUrl,
    timeZone: reading.timeZone,
    inputDir,
    staticFiles: reading.staticFiles,
  };
  const sources = readSources(inputDir, posts, settingsKey(settings));
  const rendered = await renderAll(sources, settings, reading);
  let context: RenderContext | undefined;
  const renderAgain = (source: PostSource) => {
    const read = unchangedReader(
      source.file,
      () => readFileSync(path.join(inputDir, source.file)),
      (bytes) => postKey(source.file, bytes, settingsKey(settings)),
      source.key,
    );
    return (target: Parameters<PostRecord["render"]>[0]) => renderTarget(source.file, read(), (context ??= renderContext(settings, reading.images)), target!);
  };
  const records: PostRecord[] = [];
  rendered.forEach((result, index) => {
    for (const issue of result.errors) log.error(issue);
    for (const issue of result.warnings) log.warn(issue);
    if (result.facts) records.push(toRecord(result, reading, renderAgain(sources[index]!)));
  });
  return records;
}

interface PostSource {
  file: string;
  bytes: Uint8Array;
  /** Its cache key (see post-cache.ts). */
  key: string;
}

/**
 * Every post's bytes, read synchronously: posts are small and usually in the
 * page cache, where fs/promises spent ten times the CPU of a plain read on each
 * file's open, stat, read and close (and no less wall time reading a cold disk).
 */
function readSources(inputDir: string, files: readonly string[], settings: string): PostSource[] {
  return files.map((file) => {
    const bytes = readFileSync(path.join(inputDir, file));
    return { file, bytes, key: postKey(file, bytes, settings) };
  });
}

/** Results the dev server keeps between rebuilds, by cache key: a rebuild renders only what changed. */
let remembered = new Map<string, RenderedPost>();

/** Every post's result: from the dev server's memory or the cache when they still hold, else rendered. */
async function renderAll(sources: readonly PostSource[], settings: RenderSettings, reading: PostReading): Promise<RenderedPost[]> {
  const cache = cacheEnabled() ? new PostCache(settings.inputDir) : undefined;
  // BLOG_CACHE=0 is a cold build: nothing kept is used, in memory or on disk.
  const kept = sources.map(({ key }) => (cache ? (remembered.get(key) ?? cache.read(key)) : undefined));
  const results = kept.map((result) => (result && stillHolds(result, reading) ? result : undefined));
  const missing = sources.filter((_source, index) => results[index] === undefined);
  const fresh = await renderPostFiles(missing, settings, () => renderContext(settings, reading.images));
  let next = 0;
  sources.forEach((_source, index) => (results[index] ??= fresh[next++]));
  // Results from other threads described their images there: this build's store publishes them.
  for (const result of fresh) for (const image of result.images) describeAgain(reading.images, image.file);
  await Promise.all(missing.map((source, index) => cache?.write(source.key, fresh[index]!)));
  await cache?.prune();
  const complete = results as RenderedPost[];
  remembered = reading.oneOffBuild
    ? new Map()
    : new Map(sources.flatMap((source, index) => (complete[index]!.errors.length === 0 ? [[source.key, complete[index]!]] : [])));
  return complete;
}

/** A kept result holds while the images it shows are described the same and the files it points at are there. */
function stillHolds(result: RenderedPost, reading: PostReading): boolean {
  const sameImage = (image: RenderedPost["images"][number]) => JSON.stringify(describeAgain(reading.images, image.file)) === JSON.stringify(image);
  return result.images.every(sameImage) && result.files.every((file) => existsSync(path.join(reading.inputDir, file)));
}

function describeAgain(images: ImageStore, file: string): unknown {
  try {
    return images.describe(file);
  } catch {
    return undefined;
  }
}

/** A post's record for this build: its facts, whether this build publishes it, and its HTML. */
function toRecord(result: RenderedPost, reading: PostReading, renderAgain: PostRecord["render"]): PostRecord {
  const facts = result.facts!;
  const take = handOver(new Map(Object.entries(result.renders)), reading.oneOffBuild);
  return {
    ...facts,
    published: (!facts.draft && facts.date <= reading.now) || reading.includeDrafts,
    scheduled: facts.date > reading.now,
    render: (target = PAGE) => take(targetKey(target)) ?? renderAgain(target),
  };
}
