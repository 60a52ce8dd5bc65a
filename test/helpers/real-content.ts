import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { splitFrontMatter } from "../../lib/content/front-matter.ts";
import { REPO, text, type BuiltSite } from "./site.ts";

/*
 * The author's own content: what must hold however many posts and drafts the
 * author adds. The one place tests read the real posts/ and _data/.
 */
const SERIES_PARTS = [1, 2, 3].map((n) => `no-planned-downtime-chasm-part${n}`);
const ORIGIN = "https://blog.bittercoder.com";
/** The author's text of part 3 exactly as given, kept beside the tests. */
const SEED = path.join(REPO, "test/fixtures/part3-author-text.txt");

/** The series' three posts are published at the old blog's URLs. */
export function expectTheThreeUrls(site: BuiltSite): void {
  for (const slug of SERIES_PARTS) expect(site.paths, `nothing published at /${slug}/`).toContain(`/${slug}/`);
}

/** Every paragraph of the author's part 3, word for word, on its page. */
export async function expectSeedVerbatim(site: BuiltSite): Promise<void> {
  const seed = await readFile(SEED, "utf8");
  const paragraphs = seed
    .split(/^---$/m)
    .slice(2)
    .join("---")
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter((block) => block && !/^\[Part 1\]/.test(block) && !/^-+$/.test(block.split("\n")[1] ?? ""))
    .flatMap((block) => (block.startsWith("* ") ? block.split(/\n(?=\* )/) : [block]))
    // Compare the words a reader sees: markdown emphasis and link syntax aside.
    .map((block) =>
      block
        .replace(/^\* /, "")
        .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1")
        .replace(/\*/g, "")
        .replace(/\s+/g, " ")
        .trim(),
    );
  const page = await site.document(`/${SERIES_PARTS[2]}/`);
  for (const sup of page.querySelectorAll("sup, .sidenote")) sup.remove();
  const rendered = [...page.querySelectorAll(".post-body p, .post-body li")].map((node) => text(node));
  expect(paragraphs.length).toBeGreaterThan(20);
  for (const paragraph of paragraphs) expect(rendered, `paragraph missing from part 3: ${paragraph.slice(0, 60)}`).toContain(paragraph);
}

/** Each of the three posts keeps the feed id jekyll-feed gave it, in every site feed. */
export async function expectOldFeedIds(site: BuiltSite): Promise<void> {
  const ids = SERIES_PARTS.map((slug) => `${ORIGIN}/${slug}`);
  const atom = await site.read("/feed.xml");
  const rss = await site.read("/rss.xml");
  const json = JSON.parse(await site.read("/feed.json")) as { items: Array<{ id: string }> };
  for (const id of ids) {
    expect(atom, `Atom entry id ${id}`).toContain(`<id>${id}</id>`);
    expect(rss, `RSS guid ${id}`).toContain(`<guid isPermaLink="false">${id}</guid>`);
    expect(
      json.items.map((item) => item.id),
      `JSON Feed id ${id}`,
    ).toContain(id);
  }
  const ledger = JSON.parse(await readFile(path.join(site.input, "_data/feed-ids.json"), "utf8")) as Record<string, unknown>;
  for (const slug of SERIES_PARTS) expect(Object.keys(ledger), "the feed-id ledger records the old id").toContain(`/${slug}`);
}

/** No post marked `draft: true` in posts/ leaves a trace in a production build: no page, no title anywhere. */
export async function expectNoDraftPublished(site: BuiltSite): Promise<void> {
  const drafts: Array<{ slug: string; title: string }> = [];
  for (const name of await readdir(path.join(site.input, "posts"), { recursive: true })) {
    if (!name.endsWith(".md")) continue;
    const { data } = splitFrontMatter(await readFile(path.join(site.input, "posts", name), "utf8"));
    const fields = data as { draft?: unknown; title?: unknown };
    if (fields.draft === true) drafts.push({ slug: path.basename(name, ".md"), title: String(fields.title) });
  }
  const published = await Promise.all(
    site.paths.filter((sitePath) => /\/$|\.(html|xml|json)$/.test(sitePath)).map(async (sitePath) => ({ sitePath, content: await site.read(sitePath) })),
  );
  for (const draft of drafts) {
    expect(
      site.paths.some((sitePath) => sitePath.includes(draft.slug)),
      `${draft.slug} is published`,
    ).toBe(false);
    for (const { sitePath, content } of published) expect(content.includes(draft.title), `${sitePath} names the draft "${draft.title}"`).toBe(false);
  }
}

export async function expectRealContentInvariants(site: BuiltSite): Promise<void> {
  expectTheThreeUrls(site);
  await expectSeedVerbatim(site);
  await expectOldFeedIds(site);
  await expectNoDraftPublished(site);
}
