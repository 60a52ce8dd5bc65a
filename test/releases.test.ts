import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  carryForwardAssets,
  isReleaseName,
  listReleases,
  pruneReleases,
  publishPaths,
  readLiveSite,
  releaseName,
  releasesToPrune,
  switchLiveSite,
  type PublishPaths,
} from "../lib/publish/releases.ts";

describe("release names", () => {
  it("spell the UTC time to the millisecond and a tag", () => {
    expect(releaseName(new Date("2026-01-26T10:15:30.123Z"), "3fa9")).toBe("20260126T101530-123Z-3fa9");
  });

  it("sort in the order they were made, across seconds, days and years", () => {
    const times = ["2025-12-31T23:59:59.999Z", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.001Z", "2026-01-01T00:00:01.000Z", "2026-10-02T00:00:00.000Z"];
    const names = times.map((time) => releaseName(new Date(time)));
    expect([...names].reverse().sort()).toEqual(names);
    for (const name of names) expect(isReleaseName(name)).toBe(true);
  });

  it("differ for two builds in the same millisecond", () => {
    const now = new Date();
    const names = new Set(Array.from({ length: 20 }, () => releaseName(now)));
    expect(names.size).toBeGreaterThan(1);
  });

  it("are told apart from other folders", () => {
    for (const other of ["notes", "_site", "2026-01-26", ""]) expect(isReleaseName(other)).toBe(false);
  });
});

describe("choosing releases to prune", () => {
  const releases = ["20260101T000000-000Z-a", "20260102T000000-000Z-a", "20260103T000000-000Z-a", "20260104T000000-000Z-a", "20260105T000000-000Z-a"];

  it("keeps the newest few and deletes the rest, oldest first", () => {
    expect(releasesToPrune(releases, releases[4], 2)).toEqual(releases.slice(0, 3));
  });

  it("never deletes the live release, even when it is old (after a rollback)", () => {
    expect(releasesToPrune(releases, releases[0], 2)).toEqual(releases.slice(1, 3));
  });

  it("deletes nothing when there are no more than it keeps", () => {
    expect(releasesToPrune(releases, releases[4], 5)).toEqual([]);
  });

  it("does not accept keeping fewer than one", () => {
    expect(() => releasesToPrune(releases, undefined, 0)).toThrow(RangeError);
  });
});

describe("on disk", () => {
  let root: string;
  let paths: PublishPaths;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "releases-"));
    paths = publishPaths(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function release(name: string, marker = name): Promise<void> {
    await mkdir(path.join(paths.releasesDir, name), { recursive: true });
    await writeFile(path.join(paths.releasesDir, name, "index.html"), marker);
  }

  it("publishes the first release where there was no _site, as a relative link", async () => {
    expect(await readLiveSite(paths)).toEqual({ kind: "missing" });
    await release("20260101T000000-000Z-a");
    await switchLiveSite(paths, "20260101T000000-000Z-a");
    expect(await readlink(paths.siteLink)).toBe(".releases/20260101T000000-000Z-a");
    expect(await readFile(path.join(paths.siteLink, "index.html"), "utf8")).toBe("20260101T000000-000Z-a");
  });

  it("replaces the link in one rename, leaving no temporary link behind", async () => {
    await release("20260101T000000-000Z-a");
    await release("20260102T000000-000Z-a");
    await switchLiveSite(paths, "20260101T000000-000Z-a");
    await switchLiveSite(paths, "20260102T000000-000Z-a");
    expect(await readLiveSite(paths)).toEqual({ kind: "symlink", target: ".releases/20260102T000000-000Z-a", release: "20260102T000000-000Z-a" });
    expect((await readdir(root)).sort()).toEqual([".releases", "_site"]);
  });

  it("moves a plain _site folder into .releases once, keeping its files", async () => {
    await mkdir(paths.siteLink);
    await writeFile(path.join(paths.siteLink, "index.html"), "the old site");
    await release("20260101T000000-000Z-a");
    const { migrated } = await switchLiveSite(paths, "20260101T000000-000Z-a");
    expect(migrated).toBeDefined();
    expect(isReleaseName(migrated!)).toBe(true);
    expect(await readFile(path.join(paths.releasesDir, migrated!, "index.html"), "utf8")).toBe("the old site");
    expect((await lstat(paths.siteLink)).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(paths.siteLink, "index.html"), "utf8")).toBe("20260101T000000-000Z-a");
  });

  it("refuses to switch to a release that does not exist, and leaves _site alone", async () => {
    await release("20260101T000000-000Z-a");
    await switchLiveSite(paths, "20260101T000000-000Z-a");
    await expect(switchLiveSite(paths, "20260109T000000-000Z-a")).rejects.toThrow();
    expect(await readlink(paths.siteLink)).toBe(".releases/20260101T000000-000Z-a");
    expect((await readdir(root)).sort()).toEqual([".releases", "_site"]);
  });

  it("prunes all but the newest releases and the live one, and ignores other folders", async () => {
    const names = Array.from({ length: 7 }, (_, day) => `2026010${day + 1}T000000-000Z-a`);
    for (const name of names) await release(name);
    await mkdir(path.join(paths.releasesDir, "notes"));
    // A rollback: the oldest release is live.
    await switchLiveSite(paths, names[0]!);
    const pruned = await pruneReleases(paths, 3);
    expect(pruned).toEqual(names.slice(1, 4));
    expect(await listReleases(paths)).toEqual([names[0], ...names.slice(4)]);
    expect(await readdir(paths.releasesDir)).toContain("notes");
  });

  it("carries the live release's own hashed assets into the next, for one release only", async () => {
    const [first, second, third] = ["20260101T000000-000Z-a", "20260102T000000-000Z-a", "20260103T000000-000Z-a"];
    const asset = async (name: string, file: string) => {
      await mkdir(path.join(paths.releasesDir, name, "assets"), { recursive: true });
      await writeFile(path.join(paths.releasesDir, name, "assets", file), file);
    };
    await release(first!);
    await asset(first!, "site.aaaa.css");
    await switchLiveSite(paths, first!);
    await release(second!);
    await asset(second!, "site.bbbb.css");
    expect(await carryForwardAssets(paths, second!)).toEqual(["site.aaaa.css"]);
    await switchLiveSite(paths, second!);
    await release(third!);
    await asset(third!, "site.bbbb.css");
    // site.bbbb.css is already there; site.aaaa.css was itself carried, so it is not carried again.
    expect(await carryForwardAssets(paths, third!)).toEqual([]);
    expect((await readdir(path.join(paths.releasesDir, third!, "assets"))).filter((name) => !name.startsWith("."))).toEqual(["site.bbbb.css"]);
  });

  it("carries the files of any folder it is given, and none of its subfolders", async () => {
    const [first, second] = ["20260101T000000-000Z-a", "20260102T000000-000Z-a"];
    await release(first!);
    await mkdir(path.join(paths.releasesDir, first!, "pagefind/index"), { recursive: true });
    await writeFile(path.join(paths.releasesDir, first!, "pagefind/pagefind.en_aaaa.pf_meta"), "old meta");
    await writeFile(path.join(paths.releasesDir, first!, "pagefind/pagefind.js"), "old script");
    await writeFile(path.join(paths.releasesDir, first!, "pagefind/index/en_aaaa.pf_index"), "old words");
    await switchLiveSite(paths, first!);
    await release(second!);
    await mkdir(path.join(paths.releasesDir, second!, "pagefind"), { recursive: true });
    await writeFile(path.join(paths.releasesDir, second!, "pagefind/pagefind.js"), "new script");
    expect(await carryForwardAssets(paths, second!, "pagefind")).toEqual(["pagefind.en_aaaa.pf_meta"]);
    expect(await readFile(path.join(paths.releasesDir, second!, "pagefind/pagefind.js"), "utf8")).toBe("new script");
    expect(await carryForwardAssets(paths, second!, "pagefind/index")).toEqual(["en_aaaa.pf_index"]);
  });
});
