import { readdirSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseHTML } from "linkedom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findContentError } from "../lib/content/issues.ts";
import { buildFixture, makeFixtureSite, post, REPO, text } from "./helpers/site.ts";
import { publishedState, runBuildCli, type CliRun } from "./helpers/publish.ts";

/**
 * The bad-input corpus: each folder of test/fixtures/bad-input/ holds files to
 * add to a site that builds, and case.json says what the production build must
 * do with them. Each case is first built on its own, in this process: the
 * content errors it alone causes, or the pages it publishes. Then the cases
 * go through the real CLI as a subprocess, all failing ones at once and all
 * passing ones at once: its report, exit status and release switch.
 */
const CORPUS = path.join(REPO, "test/fixtures/bad-input");

interface ExpectedError {
  file: string;
  line?: number;
  field?: string;
  /** Text the error line must contain (what was found and what is expected). */
  says: string;
}

interface CorpusCase {
  name: string;
  about: string;
  exit: 0 | 1;
  errors?: ExpectedError[];
  publishes?: Array<{ path: string; title: string }>;
  padToBytes?: number;
  /** Site-relative path → bytes. */
  files: Map<string, Buffer>;
}

async function loadCorpus(): Promise<CorpusCase[]> {
  const cases: CorpusCase[] = [];
  for (const name of (await readdir(CORPUS, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()) {
    const spec = JSON.parse(await readFile(path.join(CORPUS, name, "case.json"), "utf8")) as Omit<CorpusCase, "name" | "files">;
    const files = new Map<string, Buffer>();
    for (const file of await readdir(path.join(CORPUS, name, "posts"))) files.set(`posts/${file}`, await readFile(path.join(CORPUS, name, "posts", file)));
    cases.push({ ...spec, name, files });
  }
  return cases;
}

/** A larger file of the same post: its last paragraph repeated until the file reaches `bytes`. */
function padded(source: Buffer, bytes: number): Buffer {
  const textSource = source.toString("utf8").trimEnd();
  const paragraph = textSource.slice(textSource.lastIndexOf("\n") + 1);
  const copies = Math.ceil((bytes - source.length) / (paragraph.length + 2)) + 1;
  return Buffer.from(`${textSource}\n${`\n${paragraph}\n`.repeat(copies)}`);
}

/** The lines of a failed build's report that list one content error each. */
function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.startsWith("  - "));
}

/** The report lists exactly the expected errors, each with its file, line, field and text. */
function expectErrorList(report: string, expected: readonly ExpectedError[]): void {
  const lines = errorLines(report);
  for (const error of expected) {
    const where = `  - ${error.file}${error.line === undefined ? "" : `:${error.line}`}:${error.field === undefined ? "" : ` ${error.field}:`} `;
    const match = lines.find((line) => line.startsWith(where) && line.includes(error.says));
    expect(match, `no error line starting ${JSON.stringify(where)} and saying ${JSON.stringify(error.says)} in:\n${report}`).toBeDefined();
  }
  expect(lines, `exactly the expected errors, no others:\n${report}`).toHaveLength(expected.length);
  expect(report).toContain(`${expected.length} content error${expected.length === 1 ? "" : "s"}:`);
}

/** The CLI's report of a failed build: the list, what became of _site, and nothing else. */
function expectReported(run: CliRun, expected: readonly ExpectedError[]): void {
  expectErrorList(run.stderr, expected);
  expect(run.stderr).toMatch(/Build failed; (_site still serves|_site was not there)/);
  // Only the list: none of Eleventy's own log lines or stack traces.
  expect(run.stderr).not.toMatch(/\[11ty\]|^\s+at /m);
}

let site: string;
let corpus: CorpusCase[];

async function addFiles(files: ReadonlyMap<string, Buffer>): Promise<void> {
  for (const [file, bytes] of files) {
    await mkdir(path.dirname(path.join(site, file)), { recursive: true });
    await writeFile(path.join(site, file), bytes);
  }
}

async function removeFiles(files: ReadonlyMap<string, Buffer>): Promise<void> {
  for (const file of files.keys()) await rm(path.join(site, file), { force: true });
}

/** The feed-id ledger's bytes: a published case records its posts, which the next case must not inherit. */
const LEDGER = "_data/feed-ids.json";
const readLedgerBytes = () => readFile(path.join(site, LEDGER)).catch(() => undefined);
async function restoreLedger(bytes: Buffer | undefined): Promise<void> {
  if (bytes === undefined) await rm(path.join(site, LEDGER), { force: true });
  else await writeFile(path.join(site, LEDGER), bytes);
}

/** Builds with the given files added, then takes them away again, so every case starts from the same site. */
async function buildWith<T>(
  files: ReadonlyMap<string, Buffer>,
  build: () => Promise<T>,
): Promise<{ result: T; ledgerBefore: Buffer | undefined; ledgerAfter: Buffer | undefined }> {
  const ledgerBefore = await readLedgerBytes();
  await addFiles(files);
  try {
    const result = await build();
    return { result, ledgerBefore, ledgerAfter: await readLedgerBytes() };
  } finally {
    await removeFiles(files);
    await restoreLedger(ledgerBefore);
  }
}

/** A production build in this process, into a folder of its own: its content errors' report, or the pages it wrote. */
async function buildInProcess(): Promise<{ report: string } | { outputDir: string; cleanup(): Promise<void> }> {
  try {
    return await buildFixture({ input: site });
  } catch (error) {
    const contentError = findContentError(error);
    if (!contentError) throw error;
    return { report: contentError.message };
  }
}

/** A case's files, the large one padded to its size. */
function caseFiles(corpusCase: CorpusCase): Map<string, Buffer> {
  const files = new Map(corpusCase.files);
  if (corpusCase.padToBytes !== undefined) {
    for (const [file, bytes] of files) files.set(file, padded(bytes, corpusCase.padToBytes));
    for (const bytes of files.values()) expect(bytes.length).toBeGreaterThanOrEqual(corpusCase.padToBytes);
  }
  return files;
}

/** Each page the case publishes has its title, and no carriage return or byte-order mark. */
async function expectPublished(outputDir: string, pages: CorpusCase["publishes"] = []): Promise<void> {
  for (const page of pages) {
    const html = await readFile(path.join(outputDir, page.path, "index.html"), "utf8");
    const { document } = parseHTML(html);
    expect(text(document.querySelector("h1"))).toBe(page.title);
    expect(html, "no carriage return or byte-order mark reaches the page").not.toMatch(/\r|\uFEFF/);
  }
}

beforeAll(async () => {
  corpus = await loadCorpus();
  site = await makeFixtureSite({
    posts: {
      "first-part.md": post(
        { title: "First part", date: new Date("2020-01-01"), series: "no-planned-downtime-chasm", part: 1, tags: ["testing"] },
        "The first part, with a note.[^note]\n\n## Details\n\nMore text.\n\n[^note]: A note.\n",
      ),
      "second-part.md": post(
        { title: "Second part", date: new Date("2020-01-02"), series: "no-planned-downtime-chasm", part: 2, tags: ["testing"] },
        "The second part links [back](/first-part/#details).\n",
      ),
    },
  });
  const first = await runBuildCli(site);
  expect(first.status, `the fixture site must publish before any bad input is added:\n${first.stderr}`).toBe(0);
});

afterAll(async () => {
  if (site) await rm(site, { recursive: true, force: true });
});

describe("the bad-input corpus, each case on its own", () => {
  it("has every case the issue asks for", async () => {
    const names = (await loadCorpus()).map((corpusCase) => corpusCase.name);
    for (const required of [
      "invalid-yaml",
      "missing-title",
      "unparseable-date",
      "unknown-series",
      "duplicate-part",
      "string-draft",
      "non-markdown-file",
      "empty-post",
      "bom-and-crlf",
      "large-post",
      "footnote-without-definition",
      "footnote-never-referenced",
      "footnote-defined-twice",
      "link-to-missing-page",
      "link-to-missing-fragment",
    ]) {
      expect(names).toContain(required);
    }
  });

  // One test per corpus folder, listed synchronously so vitest can name them.
  const caseNames = readdirNames(CORPUS);
  for (const name of caseNames) {
    it(name, async () => {
      const corpusCase = corpus.find((candidate) => candidate.name === name)!;
      const { result, ledgerBefore, ledgerAfter } = await buildWith(caseFiles(corpusCase), buildInProcess);
      if ("report" in result) {
        expect(corpusCase.exit, `${corpusCase.about}\n${result.report}`).toBe(1);
        expectErrorList(result.report, corpusCase.errors ?? []);
        expect(ledgerAfter, "a failed build records no feed ids").toEqual(ledgerBefore);
        return;
      }
      try {
        expect(corpusCase.exit, `${corpusCase.about}: the build passed`).toBe(0);
        await expectPublished(result.outputDir, corpusCase.publishes);
      } finally {
        await result.cleanup();
      }
    });
  }
});

describe("the bad-input corpus, all at once", () => {
  /** Adds every given case in one build: it must fail, report each case's errors, and publish nothing. */
  async function expectAllReportedTogether(failing: readonly CorpusCase[]): Promise<void> {
    const files = new Map(failing.flatMap((corpusCase) => [...corpusCase.files]));
    const before = await publishedState(site);
    const { result: run, ledgerBefore, ledgerAfter } = await buildWith(files, () => runBuildCli(site));
    expect(run.status).toBe(1);
    expectReported(
      run,
      failing.flatMap((corpusCase) => corpusCase.errors ?? []),
    );
    // The published site, the link and the releases are exactly as they were; no failed release or temporary link is left behind.
    expect(await publishedState(site)).toEqual(before);
    expect(ledgerAfter, "a failed build records no feed ids").toEqual(ledgerBefore);
  }

  it("reports every content error of one build together, and publishes nothing", async () => {
    // The link check runs over rendered pages, so it only runs once the content itself is valid: those cases get their own build below.
    const failing = corpus.filter((corpusCase) => corpusCase.exit !== 0 && !corpusCase.name.startsWith("link-"));
    expect(failing.length).toBeGreaterThanOrEqual(10);
    await expectAllReportedTogether(failing);
  });

  it("reports every broken link of one build together", async () => {
    const failing = corpus.filter((corpusCase) => corpusCase.name.startsWith("link-"));
    expect(failing).toHaveLength(2);
    await expectAllReportedTogether(failing);
  });
});

describe("the bad-input corpus's passing cases, through the CLI", () => {
  it("publish together: _site switches to a new release that has their pages", async () => {
    const passing = corpus.filter((corpusCase) => corpusCase.exit === 0);
    expect(passing.length).toBeGreaterThanOrEqual(2);
    const before = await publishedState(site);
    const { result: run } = await buildWith(new Map(passing.flatMap((corpusCase) => [...caseFiles(corpusCase)])), () => runBuildCli(site));
    expect(run.status, run.stderr).toBe(0);
    const after = await publishedState(site);
    expect(after.link, "a successful build switches _site to a new release").not.toBe(before.link);
    expect(after.link).toMatch(/^\.releases\/\d{8}T\d{6}-\d{3}Z-[0-9a-f]{4}$/);
    for (const corpusCase of passing) await expectPublished(path.join(site, "_site"), corpusCase.publishes);
  });
});

describe("the production build's guards", () => {
  it("refuses BLOG_DRAFTS=1 before building anything", async () => {
    const before = await publishedState(site);
    const run = await runBuildCli(site, { BLOG_DRAFTS: "1" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('BLOG_DRAFTS: found "1"');
    expect(await publishedState(site)).toEqual(before);
  });
});

function readdirNames(dir: string): string[] {
  // Synchronous on purpose: tests must be declared while the file is collected.
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
