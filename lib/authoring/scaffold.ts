import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import yaml from "js-yaml";
import { FrontMatterSyntaxError, splitFrontMatter } from "../content/front-matter.ts";
import { nearest } from "../content/issues.ts";
import { SLUG, slugify } from "../content/paths.ts";
import { describeZodIssues, PostFrontMatterSchema, SeriesFileSchema, type PostFrontMatter, type SeriesDeclaration } from "../content/schema.ts";
import { listPostFiles, POST_FORMATS, POSTS_DIR, SERIES_FILE } from "../content/sources.ts";

/**
 * `npm run new`: the pure parts (slug, next part, file text) and the one step
 * that writes. Everything is checked against the same schema the build uses,
 * so a scaffolded post always builds.
 */

/** A refusal the author can act on; the CLI prints its message and exits non-zero. */
export class ScaffoldError extends Error {
  override readonly name = "ScaffoldError";
}

/** The UTC calendar day, as the build reads dates (YYYY-MM-DD). */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export interface ExistingPost {
  file: string;
  series?: unknown;
  part?: unknown;
}

/** One more than the highest part of the series, counting drafts: their numbers are taken too. */
export function nextPart(posts: readonly ExistingPost[], seriesSlug: string): number {
  const taken = posts.filter((post) => post.series === seriesSlug && typeof post.part === "number").map((post) => post.part as number);
  return Math.max(0, ...taken) + 1;
}

export interface NewPost {
  title: string;
  date: string;
  series?: { slug: string; part: number };
}

/** The new file's text: valid front matter, a draft, with the optional fields shown as comments. */
export function postText(post: NewPost): string {
  const field = (key: string, value: unknown) => yaml.dump({ [key]: value }, { lineWidth: -1, flowLevel: 1 }).trimEnd();
  const lines = [
    "---",
    field("title", post.title),
    `date: ${post.date}`,
    ...(post.series ? [`series: ${post.series.slug}`, `part: ${post.series.part}`] : []),
    "tags: []",
    // A placeholder summary would be published if forgotten; as a comment it is only a prompt.
    "# summary: One sentence for listings, feeds and search results.",
    "draft: true # remove, or set to false, to publish",
    "---",
    "Write the post here.",
    "",
  ];
  return lines.join("\n");
}

/** Checks text with the build's own parser and schema; a failure here is a bug in the scaffold. */
export function parsePostText(text: string): PostFrontMatter {
  const { data } = splitFrontMatter(text);
  const result = PostFrontMatterSchema.safeParse(data);
  if (!result.success) {
    const problems = describeZodIssues(result.error, data).map((problem) => `${problem.field}: ${problem.expected}`);
    throw new Error(`the scaffold made invalid front matter (${problems.join("; ")})`);
  }
  return result.data;
}

/** Front matter of every post under posts/, drafts included; unreadable ones are reported, not fatal. */
export async function readExistingPosts(inputDir: string, onUnreadable: (file: string, reason: string) => void = () => {}): Promise<ExistingPost[]> {
  const posts: ExistingPost[] = [];
  for (const file of (await listPostFiles(inputDir)).posts) {
    try {
      const data = splitFrontMatter(await readFile(path.join(inputDir, file), "utf8")).data;
      const fields = data !== null && typeof data === "object" ? (data as Record<string, unknown>) : {};
      posts.push({ file, series: fields.series, part: fields.part });
    } catch (error) {
      if (!(error instanceof FrontMatterSyntaxError)) throw error;
      onUnreadable(file, error.message);
    }
  }
  return posts;
}

async function readSeries(inputDir: string): Promise<Record<string, SeriesDeclaration>> {
  const text = await readFile(path.join(inputDir, SERIES_FILE), "utf8").catch(() => {
    throw new ScaffoldError(`${SERIES_FILE} is missing; declare the series there first`);
  });
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ScaffoldError(`${SERIES_FILE} is not valid JSON (${(error as Error).message}); fix it first`);
  }
  const result = SeriesFileSchema.safeParse(data);
  if (!result.success) throw new ScaffoldError(`${SERIES_FILE} does not match the series schema; run the build to see where`);
  return result.data;
}

export interface ScaffoldOptions {
  inputDir: string;
  title: string;
  seriesSlug?: string;
  /** Overrides the slug made from the title. */
  slug?: string;
  now?: Date;
  /** Where non-fatal notes go (a post that could not be read, a part beyond the planned count). */
  warn?: (message: string) => void;
}

export interface ScaffoldResult {
  /** Project-relative path of the new post, e.g. posts/my-post.md. */
  file: string;
  absolutePath: string;
  text: string;
  part?: number;
}

/** Writes posts/<slug>.md; refuses to overwrite anything or to join a series that is not declared. */
export async function scaffoldPost(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const warn = options.warn ?? (() => {});
  const title = options.title.trim();
  if (title === "") throw new ScaffoldError('a title is needed: npm run new -- "My post title"');
  const slug = options.slug ?? slugify(title);
  if (!SLUG.test(slug)) {
    throw new ScaffoldError(
      `cannot make a file name from ${JSON.stringify(options.slug ?? title)}; expected a slug of lower-case letters, digits and hyphens (pass --slug my-post)`,
    );
  }
  // An HTML post (an imported one) holds its slug, and its URL, as a markdown post does.
  const taken = POST_FORMATS.map((format) => `${POSTS_DIR}/${slug}.${format}`).find((other) => existsSync(path.join(options.inputDir, other)));
  if (taken) throw new ScaffoldError(`${taken} already exists; nothing was written. Choose another title or pass --slug`);

  let series: NewPost["series"];
  if (options.seriesSlug !== undefined) {
    const declarations = await readSeries(options.inputDir);
    const declared = Object.keys(declarations);
    const declaration = declarations[options.seriesSlug];
    if (!declaration) {
      const suggestion = nearest(options.seriesSlug, declared);
      throw new ScaffoldError(
        `unknown series ${JSON.stringify(options.seriesSlug)}${suggestion ? `; did you mean "${suggestion}"?` : "."} Series declared in ${SERIES_FILE}: ${declared.join(", ") || "none"}.`,
      );
    }
    const existing = await readExistingPosts(options.inputDir, (file, reason) => warn(`${file} was skipped when counting parts: ${reason}`));
    const part = nextPart(existing, options.seriesSlug);
    if (declaration.parts !== undefined && part > declaration.parts) {
      warn(`"${options.seriesSlug}" plans ${declaration.parts} parts in ${SERIES_FILE}; raise "parts" there to ${part} before building`);
    }
    series = { slug: options.seriesSlug, part };
  }

  const text = postText({ title, date: utcDay(options.now ?? new Date()), series });
  parsePostText(text);
  const file = `${POSTS_DIR}/${slug}.md`;
  const absolutePath = path.join(options.inputDir, file);
  try {
    // "wx": fail if the file exists, checked and created in one step.
    await writeFile(absolutePath, text, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      throw new ScaffoldError(`${file} already exists; nothing was written. Choose another title or pass --slug`);
    throw error;
  }
  return { file, absolutePath, text, part: series?.part };
}
