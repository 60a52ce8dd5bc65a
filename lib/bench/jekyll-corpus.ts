import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A generated Jekyll Now blog of WordPress-era HTML posts (with `<br>` runs,
 * `<pre>` code, screenshots under wp-content/uploads and images/, absolute
 * self-links on two old hosts, readers' comments) and a few kramdown posts,
 * for timing `npm run import` and the build that follows. Everything is
 * derived from the post's index, so one size always gives the same files.
 */
export interface JekyllCorpusSize {
  posts: number;
  images: number;
}

export const JEKYLL_CORPUS_HOSTS = { url: "https://blog.bittercoder.com", older: "bittercoder.com" };

// A valid 1×1 PNG: the import and the build copy image files, and never decode them.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

const WORDS = [
  "container",
  "service",
  "windsor",
  "castle",
  "component",
  "dependency",
  "release",
  "migration",
  "schema",
  "deploy",
  "cache",
  "query",
  "index",
  "queue",
  "message",
  "retry",
  "timeout",
  "lock",
  "thread",
  "config",
];

const pad = (value: number) => String(value).padStart(2, "0");

function sentence(seed: number, length: number): string {
  const words = Array.from({ length }, (_, index) => WORDS[(seed * 7 + index * 13) % WORDS.length]!);
  return `${words[0]![0]!.toUpperCase()}${words.join(" ").slice(1)}.`;
}

function imagePath(index: number, images: number): string {
  const image = index % images;
  return image % 3 === 0 ? `images/screenshot-${image}.png` : `wp-content/uploads/${2004 + (image % 10)}/${pad(1 + (image % 12))}/screenshot-${image}.png`;
}

function postDay(index: number): { year: number; month: number; day: number } {
  return { year: 2004 + Math.floor(index / 36), month: 1 + (Math.floor(index / 3) % 12), day: 1 + (index % 3) * 9 };
}

function postName(index: number): { file: string; slug: string } {
  const { year, month, day } = postDay(index);
  const slug = `post-${index + 1}-${WORDS[index % WORDS.length]}`;
  return { slug, file: `${year}-${pad(month)}-${pad(day)}-${slug}` };
}

function htmlPost(index: number, size: JekyllCorpusSize): string {
  return `${wordpressFrontMatter(index).join("\n")}\n${wordpressBody(index, size).join("\n")}\n`;
}

/** A WordPress export's front matter, as jekyll-import wrote it: its ids, author and dates, some posts in a series, some with comments. */
function wordpressFrontMatter(index: number): string[] {
  const { year, month, day } = postDay(index);
  const partOf = index % 10 < 4 ? { series: Math.floor(index / 10), part: (index % 10) + 1 } : undefined;
  const title = partOf ? `Series ${partOf.series} - Part ${partOf.part} - ${sentence(index, 3).slice(0, -1)}` : sentence(index, 5).slice(0, -1);
  return [
    "---",
    "layout: post",
    "status: publish",
    "published: true",
    `title: ${JSON.stringify(title)}`,
    "author:",
    "  display_name: Alex Henderson",
    "  login: bittercoder",
    "author_login: bittercoder",
    "author_email: alex@example.org",
    `wordpress_id: ${1000 + index}`,
    `wordpress_url: http://blog.bittercoder.com/?p=${1000 + index}`,
    `date: '${year}-${pad(month)}-${pad(day)} 10:22:11 +1200'`,
    `date_gmt: '${year}-${pad(month)}-${pad(day)} 22:22:11 +0000'`,
    "categories:",
    "- Uncategorized",
    `- ${WORDS[index % 5]}`,
    "tags:",
    `- ${partOf ? `series-${partOf.series}` : WORDS[(index + 3) % WORDS.length]}`,
    ...wordpressComments(index),
    "---",
  ];
}

/** Two readers' comments on every third post, with the email addresses the import must drop. */
function wordpressComments(index: number): string[] {
  if (index % 3 !== 0) return [];
  const { year, month, day } = postDay(index);
  return [
    "comments:",
    ...[1, 2].flatMap((n) => [
      `- id: ${index * 10 + n}`,
      `  author: Reader ${n}`,
      `  author_email: reader${n}.${index}@example.org`,
      `  author_url: http://reader${n}.example.org/`,
      `  date: '${year}-${pad(month)}-${pad(day)} 1${n}:00:00 +0000'`,
      `  content: "<p>${sentence(index + n, 12)}</p>"`,
    ]),
  ];
}

/** WordPress-era HTML: an excerpt mark, a screenshot on an old host, code in <pre>, and links to the post before. */
function wordpressBody(index: number, size: JekyllCorpusSize): string[] {
  const previous = index > 0 ? postName(index - 1).slug : undefined;
  const host = index % 2 === 0 ? "http://blog.bittercoder.com" : `http://${JEKYLL_CORPUS_HOSTS.older}`;
  return [
    `<p>${sentence(index, 14)}<br />\n${sentence(index + 1, 12)}</p>`,
    "<!--more-->",
    `<p><img src="${host}/${imagePath(index, size.images)}" alt="Screenshot ${index}" width="640" height="480" /></p>`,
    ...Array.from({ length: 6 }, (_, n) => `<p>${sentence(index + n, 18)} ${sentence(index + n + 2, 15)}</p>`),
    `<pre>var container = new WindsorContainer();<br />container.AddComponent("service${index}", typeof(IService));<br />var service = container.Resolve&lt;IService&gt;();</pre>`,
    previous
      ? `<p>Earlier: <a href="${host}/?p=${999 + index}">the post before</a>, and <a href="https://blog.bittercoder.com/${previous}/">again</a>.</p>`
      : "",
    `<p><a href="http://example.com/reference/${index}">An external reference</a>.</p>`,
  ];
}

function markdownPost(index: number, size: JekyllCorpusSize): string {
  return [
    "---",
    "layout: post",
    `title: ${JSON.stringify(sentence(index, 4).slice(0, -1))}`,
    "tags: [kramdown]",
    "---",
    `${sentence(index, 16)}[^1]`,
    "",
    `![A screenshot]({{ site.baseurl }}/${imagePath(index, size.images)})`,
    "{: .center}",
    "",
    "{% highlight csharp %}",
    `var answer = ${index};`,
    "{% endhighlight %}",
    "",
    ...Array.from({ length: 5 }, (_, n) => `${sentence(index + n, 20)}\n`),
    "[^1]: A kramdown footnote.",
    "",
  ].join("\n");
}

/** Writes the generated Jekyll site into a new temporary folder and returns it. */
export async function writeJekyllCorpus(size: JekyllCorpusSize, parentDir = tmpdir()): Promise<string> {
  const dir = await mkdtemp(path.join(parentDir, "jekyll-corpus-"));
  await mkdir(path.join(dir, "_posts"), { recursive: true });
  await writeFile(
    path.join(dir, "_config.yml"),
    `title: The bitter coder\nurl: "${JEKYLL_CORPUS_HOSTS.url}"\nbaseurl: ""\npermalink: /:title/\nmarkdown: kramdown\n`,
  );
  for (let index = 0; index < size.posts; index++) {
    const { file } = postName(index);
    // One post in eight is a later kramdown post, as on a blog that moved to Jekyll.
    const markdown = index % 8 === 7;
    await writeFile(path.join(dir, "_posts", `${file}.${markdown ? "md" : "html"}`), markdown ? markdownPost(index, size) : htmlPost(index, size));
  }
  for (let image = 0; image < size.images; image++) {
    const file = path.join(dir, imagePath(image, size.images));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, PNG);
  }
  return dir;
}
