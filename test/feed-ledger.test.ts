import { readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildError, buildSite, fullMessage, makeFixtureSite, post, FIXTURE_BLOG } from "./helpers/site.ts";

const fixtures: string[] = [];
afterEach(async () => {
  for (const dir of fixtures.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function blogCopy(): Promise<string> {
  const dir = await makeFixtureSite({ blogPosts: true });
  fixtures.push(dir);
  return dir;
}

const ledgerOf = async (dir: string) =>
  JSON.parse(await readFile(path.join(dir, "_data/feed-ids.json"), "utf8")) as Record<string, { file: string; title: string }>;

describe("the feed-id ledger", () => {
  it("records the ids jekyll-feed published for the three parts", async () => {
    const ledger = await ledgerOf(FIXTURE_BLOG);
    expect(Object.keys(ledger)).toEqual(["/no-planned-downtime-chasm-part1", "/no-planned-downtime-chasm-part2", "/no-planned-downtime-chasm-part3"]);
    for (const n of [1, 2, 3]) expect(ledger[`/no-planned-downtime-chasm-part${n}`]?.file).toBe(`posts/no-planned-downtime-chasm-part${n}.md`);
  });

  it("fails the build when a published post is renamed, naming the file and both ids", async () => {
    const dir = await blogCopy();
    await rename(path.join(dir, "posts/no-planned-downtime-chasm-part3.md"), path.join(dir, "posts/finishing-thoughts.md"));
    const message = fullMessage(await buildError({ input: dir }));
    expect(message).toContain(
      'posts/finishing-thoughts.md: feed id: found "/finishing-thoughts", but it was published as "/no-planned-downtime-chasm-part3" (from posts/no-planned-downtime-chasm-part3.md)',
    );
  });

  it("fails the build when a published post disappears, naming the ledger entry", async () => {
    const dir = await blogCopy();
    await rm(path.join(dir, "posts/no-planned-downtime-chasm-part3.md"));
    const message = fullMessage(await buildError({ input: dir }));
    expect(message).toContain(
      "_data/feed-ids.json: /no-planned-downtime-chasm-part3: found no post publishes it (it was posts/no-planned-downtime-chasm-part3.md)",
    );
  });

  it("fails the build when two posts would share a feed id", async () => {
    // Jekyll's id is the URL's folder plus the file's slug, so these two collide on /essays/same.
    const dir = await makeFixtureSite({
      posts: {
        "a/same.md": post({ title: "One", date: new Date("2019-01-01"), permalink: "/essays/one/" }),
        "b/same.md": post({ title: "Two", date: new Date("2019-01-02"), permalink: "/essays/two/" }),
      },
    });
    fixtures.push(dir);
    const message = fullMessage(await buildError({ input: dir }));
    expect(message).toContain('posts/b/same.md: feed id: found "/essays/same"; expected an id of its own, but posts/a/same.md has the same one');
  });

  it("records newly published posts after a production build, but never drafts", async () => {
    const dir = await makeFixtureSite({
      posts: {
        "first.md": post({ title: "First", date: new Date("2020-01-01") }),
        "unfinished.md": post({ title: "Unfinished", date: new Date("2020-02-01"), draft: true }),
      },
    });
    fixtures.push(dir);
    const site = await buildSite({ input: dir });
    await site.cleanup();
    expect(await ledgerOf(dir)).toEqual({ "/first": { file: "posts/first.md", title: "First" } });
  });

  it("records nothing when the build fails", async () => {
    const dir = await makeFixtureSite({
      posts: { "first.md": post({ title: "First", date: new Date("2020-01-01") }, "A [broken](/nowhere/) link.\n") },
    });
    fixtures.push(dir);
    await buildError({ input: dir });
    await expect(readFile(path.join(dir, "_data/feed-ids.json"), "utf8")).rejects.toThrow();
  });
});
