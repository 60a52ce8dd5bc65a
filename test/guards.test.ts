import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { required } from "../lib/plugins/guards.ts";
import { buildError, fullMessage, makeFixtureSite } from "./helpers/site.ts";

const fixtures: string[] = [];
afterEach(async () => {
  for (const dir of fixtures.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("a partial's required inputs", () => {
  const context = { page: { inputPath: "./posts/x.md", url: "/x/", outputPath: "_site/x/index.html" } };

  it("pass a value through untouched", () => {
    const value = { part: 2 };
    expect(required.call(context, value, "position", "partials/series-box.njk")).toBe(value);
    expect(required.call(context, 0, "count", "partials/x.njk")).toBe(0);
  });

  it("fail, naming the partial, the input and the page, when missing or empty", () => {
    for (const missing of [undefined, null, ""]) {
      expect(() => required.call(context, missing, "position", "partials/series-box.njk")).toThrow(
        'partials/series-box.njk needs "position", but ./posts/x.md rendered it without one',
      );
    }
  });

  it("fail the build when a template includes a partial without its input", async () => {
    const dir = await makeFixtureSite({ blogPosts: true });
    fixtures.push(dir);
    // A home page that forgets to set `posts` before including the post list.
    await writeFile(
      path.join(dir, "pages/index.njk"),
      '---\nlayout: layouts/base.njk\ntitle: Home\npermalink: /\n---\n<h1>Home</h1>\n{% include "partials/post-list.njk" %}\n',
    );
    const message = fullMessage(await buildError({ input: dir }));
    expect(message).toContain('partials/post-list.njk needs "posts"');
  });
});
