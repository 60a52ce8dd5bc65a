import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";

/**
 * A synthetic corpus for the benchmark and for tests of the fast paths: posts of
 * about 900 words in series of three, each with two headings, a list, a link to
 * another generated post, an external link and a tagged footnote. Everything is
 * derived from the post's index, so the same size always gives the same files.
 */
export interface GeneratedPost {
  /** File name under posts/. */
  file: string;
  slug: string;
  title: string;
  /** Calendar day, YYYY-MM-DD. */
  date: string;
  seriesSlug: string;
  part: number;
  tags: string[];
  /** The site path of the generated post this one links to. */
  linksTo: string;
}

export interface GeneratedSeries {
  slug: string;
  title: string;
  description: string;
  /** Its posts' slugs in part order. */
  parts: string[];
}

export interface Corpus {
  posts: GeneratedPost[];
  series: GeneratedSeries[];
  /** posts/<file> → text. */
  files: Map<string, string>;
  /** The content of _data/series.json. */
  seriesFile: Record<string, { title: string; description: string }>;
  /** How many of the image pool the posts show (see generatedImage). */
  images: number;
}

export const PARTS_PER_SERIES = 3;
export const TAGS = ["architecture", "databases", "deployment", "leadership", "migrations", "testing"];
/** The newest generated post's date; older posts go back one day per post. */
const NEWEST_DATE = Date.UTC(2025, 11, 31);
const DAY_MS = 86_400_000;

const WORDS = (
  "system data migration release schema traffic replica cluster queue latency deploy rollback feature flag " +
  "customer contract downtime window budget capacity service monolith boundary risk compliance audit " +
  "engineer team practice rehearsal automation switch cutover backfill index table column version " +
  "the a of to and in that is for it with as on be at by this we our their can will more less often"
).split(" ");

/** A small deterministic generator (mulberry32), so corpora are reproducible. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function sentence(random: () => number, length: number): string {
  const words = Array.from({ length }, () => WORDS[Math.floor(random() * WORDS.length)]!);
  const text = words.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random: () => number, sentences: number): string {
  return Array.from({ length: sentences }, () => sentence(random, 12 + Math.floor(random() * 8))).join(" ");
}

export function seriesSlug(seriesIndex: number): string {
  return `generated-series-${seriesIndex + 1}`;
}

export function postSlug(index: number): string {
  return `generated-post-${index + 1}`;
}

/** Plans the corpus: which post is in which series, its date, tags and link. */
/** What generated posts carry besides text: an image each (from a pool), two fenced code blocks each. */
export interface CorpusMedia {
  images?: boolean;
  code?: boolean;
}

/** What `npm run bench` builds: posts with an image and two code blocks each. */
export const WITH_MEDIA: CorpusMedia = { images: true, code: true };

export function generateCorpus(postCount: number, media: CorpusMedia = {}): Corpus {
  const posts: GeneratedPost[] = [];
  const series: GeneratedSeries[] = [];
  for (let index = 0; index < postCount; index++) {
    const seriesIndex = Math.floor(index / PARTS_PER_SERIES);
    const part = (index % PARTS_PER_SERIES) + 1;
    if (part === 1) {
      series.push({
        slug: seriesSlug(seriesIndex),
        title: `Generated series ${seriesIndex + 1}`,
        description: `Synthetic series number ${seriesIndex + 1}, generated for the benchmark.`,
        parts: [],
      });
    }
    const slug = postSlug(index);
    series[seriesIndex]!.parts.push(slug);
    posts.push({
      file: `${slug}.md`,
      slug,
      title: `Generated series ${seriesIndex + 1} - part ${part} - Post ${index + 1}`,
      // Index 0 is the oldest: parts of a series come in date order.
      date: new Date(NEWEST_DATE - (postCount - 1 - index) * DAY_MS).toISOString().slice(0, 10),
      seriesSlug: seriesSlug(seriesIndex),
      part,
      tags: [TAGS[index % TAGS.length]!, TAGS[(index + 2) % TAGS.length]!],
      // An older post when there is one, so links point backwards like real ones.
      linksTo: `/${postSlug(index === 0 ? postCount - 1 : Math.floor(index / 2))}/`,
    });
  }
  const files = new Map(posts.map((post, index) => [post.file, postText(post, index, media)]));
  const seriesFile = Object.fromEntries(series.map(({ slug, title, description }) => [slug, { title, description }]));
  const images = media.images ? Math.min(postCount, IMAGE_POOL) : 0;
  return { posts, series, files, seriesFile, images };
}

/** The two code blocks every generated post carries; `42` becomes the post's number, so no two posts' code is alike. */
export const SAMPLE_CODE = [
  {
    language: "csharp",
    code: [
      "// Copies one batch of rows to the new table",
      "public async Task<int> CopyBatchAsync(SqlConnection connection, long fromId, CancellationToken token)",
      "{",
      '    const string sql = "INSERT INTO users_v2 (id, email) SELECT id, LOWER(email) FROM users WHERE id > @from AND id <= @to";',
      "    await using var command = new SqlCommand(sql, connection);",
      '    command.Parameters.AddWithValue("@from", fromId);',
      '    command.Parameters.AddWithValue("@to", fromId + 42);',
      "    return await command.ExecuteNonQueryAsync(token);",
      "}",
    ].join("\n"),
  },
  {
    language: "sql",
    code: [
      "-- Backfill, then swap in one transaction",
      "UPDATE users SET email_normalised = LOWER(email) WHERE id BETWEEN 1 AND 42;",
      "BEGIN;",
      "ALTER TABLE users RENAME TO users_old;",
      "ALTER TABLE users_v2 RENAME TO users;",
      "COMMIT;",
    ].join("\n"),
  },
];

/** Distinct images the generated posts show, one each in turn: encoding one per post would be the whole benchmark. */
export const IMAGE_POOL = 30;

export function generatedImage(index: number): string {
  return `images/generated/diagram-${(index % IMAGE_POOL) + 1}.png`;
}

/** The marker text of a post's body, which edits replace. */
export const BODY_MARKER = "Opening words of the post.";

function fenced({ language, code }: { language: string; code: string }, index: number): string {
  return `\`\`\`${language}\n${code.replace(/\b42\b/g, String(index + 1))}\n\`\`\``;
}

function postText(post: GeneratedPost, index: number, media: CorpusMedia): string {
  const random = randomSource(index + 1);
  // Every seventh note shares a tag across posts, so the notes index has groups.
  const noteTag = index % 7 === 0 ? "shared-source" : `source-${index + 1}`;
  const frontMatter = [
    "---",
    `title: ${JSON.stringify(post.title)}`,
    `date: ${post.date}`,
    `series: ${post.seriesSlug}`,
    `part: ${post.part}`,
    `tags: [${post.tags.join(", ")}]`,
    ...(index % 2 === 0 ? [`summary: ${JSON.stringify(`Summary of generated post ${index + 1}.`)}`] : []),
    "---",
  ];
  const body = [
    `${BODY_MARKER} ${paragraph(random, 6)}`,
    paragraph(random, 6),
    `## What changes at scale`,
    `${paragraph(random, 5)} See [an earlier post](${post.linksTo}) and [the reference](https://example.com/reference/${index + 1}) for more.[^${noteTag}]`,
    paragraph(random, 7),
    ...(media.images ? [`![Diagram ${(index % IMAGE_POOL) + 1} of the migration](/${generatedImage(index)})`] : []),
    ...(media.code ? [fenced(SAMPLE_CODE[0]!, index)] : []),
    Array.from({ length: 4 }, () => `* ${sentence(random, 9)}`).join("\n"),
    `## Lessons learned`,
    paragraph(random, 7),
    paragraph(random, 7),
    paragraph(random, 7),
    paragraph(random, 6),
    ...(media.code ? [fenced(SAMPLE_CODE[1]!, index)] : []),
    paragraph(random, 5),
    `[^${noteTag}]: [Source for post ${index + 1}](https://example.com/source/${index + 1}), an external reference.`,
  ];
  return `${frontMatter.join("\n")}\n${body.join("\n\n")}\n`;
}

/**
 * Writes the corpus into a throwaway copy of the site (taken from `siteDir`)
 * and returns its folder. The site's own posts and series stay, because its
 * pages link to them (the about page names the real series): the copy holds
 * the generated posts plus the site's few real ones (from `contentDir`: the
 * tests give their fixture blog).
 */
export async function writeCorpusSite(corpus: Corpus, siteDir: string, parentDir = tmpdir(), contentDir = siteDir): Promise<string> {
  const dir = await mkdtemp(path.join(parentDir, "blog-corpus-"));
  for (const part of ["pages", "_includes", "assets"]) await cp(path.join(siteDir, part), path.join(dir, part), { recursive: true });
  for (const part of ["_data", "posts"]) await cp(path.join(contentDir, part), path.join(dir, part), { recursive: true });
  const realSeries = JSON.parse(await readFile(path.join(contentDir, "_data/series.json"), "utf8")) as Record<string, unknown>;
  // Like the repository: .js files are ES modules.
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify({ private: true, type: "module" }, null, 2)}\n`);
  await writeFile(path.join(dir, "_data/series.json"), `${JSON.stringify({ ...realSeries, ...corpus.seriesFile }, null, 2)}\n`);
  await Promise.all([...corpus.files].map(([file, text]) => writeFile(path.join(dir, "posts", file), text)));
  await mkdir(path.join(dir, "images/generated"), { recursive: true });
  for (let index = 0; index < corpus.images; index++) await writeDiagram(path.join(dir, generatedImage(index)), index);
  return dir;
}

/** A 1200 x 800 PNG diagram, different for each index: bars of varying height and colour, like a screenshot's flat areas. */
async function writeDiagram(file: string, index: number): Promise<void> {
  const random = randomSource(1_000 + index);
  const bars = Array.from({ length: 8 }, (_, bar) => {
    const height = 100 + Math.floor(random() * 600);
    const colour = `rgb(${Math.floor(random() * 200)},${Math.floor(random() * 200)},${Math.floor(random() * 200)})`;
    return `<rect x="${60 + bar * 140}" y="${760 - height}" width="100" height="${height}" fill="${colour}"/>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800"><rect width="1200" height="800" fill="#f7f5f0"/>${bars.join("")}<text x="60" y="60" font-size="40" font-family="sans-serif">Diagram ${index + 1}</text></svg>`;
  await sharp(Buffer.from(svg)).png().toFile(file);
}
