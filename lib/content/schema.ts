import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { quote } from "./issues.ts";
import { permalinkProblem, SERIES_SLUG } from "./paths.ts";
import { NOT_STATIC, STATIC_FOLDER } from "./static-files.ts";

/**
 * The author's contract: the front matter a post may carry. One schema, read by
 * the build (validation), the scaffold (`npm run new`) and the types below.
 */
/**
 * The most parts a series may have. A long series runs to a few dozen parts;
 * a part number far beyond that is a typo (a date, say), and every part below
 * it would be listed as missing.
 */
export const MAX_SERIES_PARTS = 100;

const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date given as text: ISO dates and timestamps, and YAML's "2018-01-10 10:00:00" form. */
function parseDateText(text: string): Date | undefined {
  // Most posts give a plain day; that needs no general parser (luxon's took a
  // second per 50,000 posts). Anything else, an impossible day included, is luxon's to judge.
  const day = CALENDAR_DAY.exec(text);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const parsed = new Date(Date.UTC(year, month - 1, date));
    if (parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === date) return parsed;
  }
  const iso = DateTime.fromISO(text, { zone: "utc" });
  const parsed = iso.isValid ? iso : DateTime.fromSQL(text, { zone: "utc" });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}

/** A calendar day or a timestamp: YAML dates, or ISO strings such as "2018-01-10". */
const postDate = z.union([z.date(), z.string()], { error: "expected a date like 2018-01-10" }).transform((value, context) => {
  const date = value instanceof Date ? (Number.isNaN(value.getTime()) ? undefined : value) : parseDateText(value);
  if (date) return date;
  context.addIssue({ code: "custom", message: "expected a date like 2018-01-10 (YYYY-MM-DD)" });
  return z.NEVER;
});

/**
 * A reader's comment from the old blog, kept as a read-only archive under its
 * post. Strict: an email address (or any other field) is refused, because
 * readers' email addresses are never published.
 */
const ArchivedCommentSchema = z
  .object(
    {
      author: z.string({ error: "expected the commenter's name as text" }).trim().min(1),
      url: z.url({ protocol: /^https?$/, error: "expected the commenter's web address as an http(s) URL, or no url" }).optional(),
      date: postDate,
      content: z.string({ error: "expected the comment's text (HTML)" }).trim().min(1),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `expected only author, url, date and content, found ${issue.keys.join(", ")}; remove it (readers' email addresses are never kept)`
          : "expected a comment with author, date and content",
    },
  )
  .strict();

export const PostFrontMatterSchema = z.object({
  title: z.string({ error: "expected the post's title as text" }).trim().min(1, { error: "expected a non-empty title" }),
  date: postDate,
  updated: postDate.optional(),
  series: z
    .string({ error: "expected a series slug from _data/series.json" })
    .regex(SERIES_SLUG, { error: "expected a series slug like my-series (lower case, digits and hyphens)" })
    .optional(),
  part: z
    .number({ error: "expected the part number as a whole number, like 2" })
    .int({ error: "expected a whole number, like 2" })
    .positive({ error: "expected a positive whole number, like 2" })
    .max(MAX_SERIES_PARTS, { error: `expected a part number from 1 to ${MAX_SERIES_PARTS}` })
    .optional(),
  tags: z.array(z.string().trim().min(1), { error: "expected a list of tags, like [databases, migrations]" }).default([]),
  summary: z
    .string({ error: "expected a one-sentence summary as text" })
    .trim()
    .min(1, { error: "expected a non-empty summary, or no summary field" })
    .optional(),
  draft: z.boolean({ error: "expected true or false (without quotes)" }).default(false),
  permalink: z
    .string({ error: "expected a URL path like /my-post/" })
    .superRefine((permalink, context) => {
      const problem = permalinkProblem(permalink);
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  comments: z.array(ArchivedCommentSchema, { error: "expected a list of archived comments (author, url, date, content)" }).default([]),
});

export type PostFrontMatter = z.output<typeof PostFrontMatterSchema>;
export const POST_FIELDS = Object.keys(PostFrontMatterSchema.shape);

/**
 * Keys a post migrated from Jekyll still carries (`layout: post`) that the site
 * has no use for: tolerated without a warning. Eleventy's own keys are not:
 * posts are not Eleventy templates, so they would do nothing.
 */
export const JEKYLL_FIELDS = ["layout"];

export const SeriesSchema = z
  .object({
    title: z.string({ error: "expected the series title as text" }).trim().min(1),
    description: z.string({ error: "expected a description of the series as text" }).trim().min(1),
    parts: z
      .number({ error: "expected the number of planned parts as a whole number" })
      .int()
      .positive()
      .max(MAX_SERIES_PARTS, { error: `expected at most ${MAX_SERIES_PARTS} planned parts` })
      .optional(),
    /** Part numbers the series never had (an imported series may skip some). */
    gaps: z.array(z.number().int().positive().max(MAX_SERIES_PARTS), { error: "expected a list of part numbers the series never had, like [3]" }).optional(),
  })
  .strict();

export const SeriesFileSchema = z.record(
  z.string().regex(SERIES_SLUG, { error: "expected a series slug like my-series (lower case, digits and hyphens)" }),
  SeriesSchema,
);
export type SeriesDeclaration = z.output<typeof SeriesSchema>;

export const SiteSchema = z
  .object({
    title: z.string().min(1),
    tagline: z.string().min(1),
    description: z.string().min(1),
    language: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]+)*$/, { error: "expected a language tag like en or en-NZ" }),
    url: z.url({ protocol: /^https?$/, error: "expected an absolute http(s) URL like https://blog.example.com" }),
    author: z.object({ name: z.string().min(1), url: z.url().optional(), email: z.email().optional() }),
    homePostCount: z.number().int().positive(),
    feedPostCount: z.number().int().positive(),
    timeZone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), { error: "expected an IANA time zone like Pacific/Auckland or UTC" })
      .optional(),
    staticFolders: z
      .array(
        z
          .string()
          .regex(STATIC_FOLDER, { error: "expected a folder inside the site, like wp-content or files/downloads" })
          .refine((folder) => !NOT_STATIC.includes(folder), {
            error: `expected a folder of the author's own; ${NOT_STATIC.join(", ")} belong to the generator`,
          }),
        { error: "expected a list of folders published as they are, like [wp-content]" },
      )
      .optional(),
  })
  .strict();
export type SiteDeclaration = z.output<typeof SiteSchema>;

/** Turns a zod failure into one line per problem: the path, what was found, what was expected. */
export function describeZodIssues(error: z.ZodError, input: unknown): Array<{ field: string; found: string | undefined; expected: string }> {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join(".") || "(top level)";
    const value = valueAt(input, issue.path);
    return { field, found: value === undefined ? undefined : describeValue(value), expected: issue.message };
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeValue(value: unknown): string {
  const kind = value === null ? "null" : Array.isArray(value) ? "list" : value instanceof Date ? "date" : typeof value;
  return `${kind} ${value instanceof Date ? value.toISOString().slice(0, 10) : quote(value)}`;
}
