import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { scaffoldPost } from "../lib/authoring/scaffold.ts";
import { expectNoDraftPublished, expectOldFeedIds, expectRealContentInvariants, expectSeedVerbatim, expectTheThreeUrls } from "./helpers/real-content.ts";
import { buildSite, post, REPO, type BuiltSite } from "./helpers/site.ts";

/** A copy of the real site: a production build records feed ids, and must not write to the author's _data/. */
async function copyOfTheRealSite(): Promise<string> {
  const input = await mkdtemp(path.join(tmpdir(), "blog-real-copy-"));
  for (const part of ["pages", "_includes", "_data", "assets", "posts"]) await cp(path.join(REPO, part), path.join(input, part), { recursive: true });
  return input;
}

/*
 * The only suite that reads the author's real posts/ and _data/. Every other
 * suite builds a fixture site of its own, so the author's drafts and new posts
 * never break them; these invariants must hold whatever the author adds.
 */
describe("the author's real content", () => {
  let input: string;
  let site: BuiltSite;
  beforeAll(async () => {
    input = await copyOfTheRealSite();
    site = await buildSite({ input });
  });
  afterAll(async () => {
    await site?.cleanup();
    await rm(input, { recursive: true, force: true });
  });

  it("publishes the series' three posts at the old blog's URLs", () => expectTheThreeUrls(site));
  it("prints every paragraph of the author's part 3 verbatim", () => expectSeedVerbatim(site));
  it("keeps the feed ids jekyll-feed published", () => expectOldFeedIds(site));
  it("publishes no draft", () => expectNoDraftPublished(site));
});

describe("a copy of the real site with a draft part and a new published post added", () => {
  let input: string;
  let site: BuiltSite;
  beforeAll(async () => {
    input = await copyOfTheRealSite();
    // As the author would: `npm run new -- "..." --series <slug>` makes the next part, a draft.
    await scaffoldPost({ inputDir: input, title: "An unfinished next part", seriesSlug: "no-planned-downtime-chasm", slug: "zz-unfinished-next-part" });
    await writeFile(path.join(input, "posts/zz-a-new-post.md"), post({ title: "A new published post", date: "2024-06-01", tags: ["news"] }, "Fresh.\n"));
    site = await buildSite({ input });
  });
  afterAll(async () => {
    await site?.cleanup();
    await rm(input, { recursive: true, force: true });
  });

  it("still holds every real-content invariant", () => expectRealContentInvariants(site));
});
