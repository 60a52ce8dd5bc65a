import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { BROKEN_LINKS_FILE } from "../lib/content/known-broken-links.ts";
import { buildError, buildSite, fullMessage, makeFixtureSite, post } from "./helpers/site.ts";

const fixtures: string[] = [];
afterAll(() => Promise.all(fixtures.map((dir) => rm(dir, { recursive: true, force: true }))));
afterEach(() => vi.restoreAllMocks());

const OLD_POST = post(
  { title: "An old post", date: "2007-04-19" },
  "A screenshot:\n\n![gone](/images/never-uploaded.png)\n\nAnd [a category](/category/castle/#top).\n",
);

async function siteWithLedger(posts: Record<string, string>, ledger: unknown): Promise<string> {
  const input = await makeFixtureSite({ posts });
  fixtures.push(input);
  await writeFile(path.join(input, BROKEN_LINKS_FILE), JSON.stringify(ledger, null, 2));
  return input;
}

const ONE_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const LEDGER = [
  { file: "posts/old.md", line: 7, link: "/images/never-uploaded.png" },
  { file: "posts/old.md", line: 9, link: "/category/castle/#top" },
];

describe("the known-broken-links ledger", () => {
  it("turns the broken links it records into warnings", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const site = await buildSite({ input: await siteWithLedger({ "old.md": OLD_POST }, LEDGER) });
    await site.cleanup();
    const warnings = warn.mock.calls.map((call) => String(call[0]));
    expect(warnings.filter((line) => line.includes("known broken link"))).toEqual([
      expect.stringMatching(
        /^warning: posts\/old\.md:7: img src: found "\/images\/never-uploaded\.png"; a known broken link, recorded in _data\/known-broken-links\.json: it still leads nowhere$/,
      ),
      expect.stringMatching(/^warning: posts\/old\.md:9: a href: found "\/category\/castle\/#top"/),
    ]);
  });

  it("still fails the build on a broken link it does not record, and only on that one", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const input = await siteWithLedger(
      { "old.md": OLD_POST, "new.md": post({ title: "New", date: "2024-01-01" }, "See [this](/not-written-yet/).\n") },
      LEDGER,
    );
    const error = await buildError({ input });
    const message = fullMessage(error);
    expect(error.name, message).toBe("ContentError");
    expect(message).toMatch(/^1 content error:\n {2}- posts\/new\.md:\d+: a href: found "\/not-written-yet\/"/m);
    expect(message).not.toContain("never-uploaded");
  });

  it("is only for the post it names: the same link broken in another post fails", async () => {
    const input = await siteWithLedger(
      { "old.md": OLD_POST, "copy.md": post({ title: "Copy", date: "2024-01-01" }, "![gone](/images/never-uploaded.png)\n") },
      LEDGER,
    );
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(fullMessage(await buildError({ input }))).toMatch(/posts\/copy\.md:\d+: (?:img src|image): found "\/images\/never-uploaded\.png"/);
  });

  it("shrinks: a production build drops an entry whose link works now, and keeps the rest", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const input = await siteWithLedger({ "old.md": OLD_POST }, LEDGER);
    await mkdir(path.join(input, "images"), { recursive: true });
    await writeFile(path.join(input, "images/never-uploaded.png"), Buffer.from(ONE_PIXEL_PNG, "base64"));
    const site = await buildSite({ input });
    await site.cleanup();
    expect(JSON.parse(await readFile(path.join(input, BROKEN_LINKS_FILE), "utf8"))).toEqual([LEDGER[1]]);
    expect(log.mock.calls.map((call) => String(call[0]))).toContain(
      "Dropped 1 link(s) that work now from _data/known-broken-links.json; commit it with the posts.",
    );
  });

  it("refuses a ledger it cannot read, naming the file and the form it expects", async () => {
    const input = await siteWithLedger({ "old.md": OLD_POST }, { "posts/old.md": "/images/never-uploaded.png" });
    expect(fullMessage(await buildError({ input }))).toMatch(
      /_data\/known-broken-links\.json: found invalid content; expected a list of entries like \{"file": "posts\/x\.html", "line": 12, "link": "\/images\/gone\.png"\}/,
    );
  });
});
