import { describe, expect, it } from "vitest";
import { PostFrontMatterSchema } from "../lib/content/schema.ts";

const dateOf = (date: unknown) => PostFrontMatterSchema.safeParse({ title: "A post", date });

describe("a post's date given as text", () => {
  it.each([
    ["2018-01-10", "2018-01-10T00:00:00.000Z"],
    ["2016-02-29", "2016-02-29T00:00:00.000Z"],
    ["2018-01-10 10:30:00", "2018-01-10T10:30:00.000Z"],
    ["2018-01-10T10:30:00Z", "2018-01-10T10:30:00.000Z"],
    ["2018-01-10T10:30:00+13:00", "2018-01-09T21:30:00.000Z"],
  ])("reads %s as %s", (text, expected) => {
    const result = dateOf(text);
    expect(result.success && result.data.date.toISOString()).toBe(expected);
  });

  it.each(["2018-02-30", "2017-02-29", "2020-13-45", "2018-1-10", "10/01/2018", "soon"])("refuses %s, naming the form it expects", (text) => {
    const result = dateOf(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("expected a date like 2018-01-10 (YYYY-MM-DD)");
  });
});
