import type { FeedLedger } from "./feed-ledger.ts";
import type { FootnoteSummary } from "./footnotes.ts";
import type { ImageStore } from "./images.ts";
import type { ContentIssue } from "./issues.ts";
import type { RenderTarget } from "./markdown-env.ts";
import type { PostFrontMatter, SeriesDeclaration, SiteDeclaration } from "./schema.ts";
import type { SiteUrls } from "./site-urls.ts";

/** The content model's shapes: what every page, feed and check reads. */

export interface Site extends SiteDeclaration {
  urls: SiteUrls;
}

export interface Post extends Omit<PostFrontMatter, "series"> {
  /** Project-relative source file, e.g. `posts/hello.md`. */
  file: string;
  slug: string;
  /** Where the post is published, e.g. `/hello/` (before any path prefix). */
  sitePath: string;
  /** The entry id jekyll-feed published: Jekyll's post id made absolute. Never changes. */
  feedId: string;
  /** Jekyll's post id, site-relative (`/slug`): what the feed-id ledger records. */
  jekyllId: string;
  /** Summary, or else the excerpt: for listings, meta descriptions and feeds. */
  description: string;
  excerpt: string;
  words: number;
  readingMinutes: number;
  footnotes: readonly FootnoteSummary[];
  /** The file line of each front-matter field, for messages. */
  fieldLines: Readonly<Partial<Record<string, number>>>;
  /** The markdown holds raw HTML, which only a pass over the output can vet for feeds. */
  hasRawHtml: boolean;
  /** Published by this build: not a draft, or a draft in a build that shows drafts. */
  published: boolean;
  /** Dated after the build's clock: held back by a production build, shown (marked) by the dev server. */
  scheduled: boolean;
  /** Where the post sits in its series, if it is a published part of one. */
  seriesPart?: SeriesPart;
  /** The body as HTML for the given target (page, feed, or a part of a one-page series). */
  render(target?: RenderTarget): string;
}

/** A post's place in its series: the series, its part number and its published neighbours. */
export interface SeriesPart {
  series: Series;
  part: number;
  readonly previous?: Post;
  readonly next?: Post;
}

export interface SeriesEntry {
  part: number;
  /** Absent for a part that is planned (or still a draft) but not published. */
  post?: Post;
}

export interface Series extends SeriesDeclaration {
  slug: string;
  sitePath: string;
  allPath: string;
  feedPath: string;
  /** Published parts in reading order. */
  posts: Post[];
  /** Every part from 1 to the planned or highest published part, published or not. */
  entries: SeriesEntry[];
  total: number;
}

export interface TagIndex {
  name: string;
  slug: string;
  sitePath: string;
  posts: Post[];
  /** The tag's posts in pages of POSTS_PER_TAG_PAGE, newest first: the first at sitePath. */
  pages: TagPage[];
}

/** One page of a tag's posts, with its neighbours' site paths. */
export interface TagPage {
  tag: TagIndex;
  /** 1-based. */
  number: number;
  count: number;
  sitePath: string;
  posts: Post[];
  previous?: string;
  next?: string;
}

export interface NoteCitation {
  post: Post;
  note: FootnoteSummary;
}

export interface NoteIndex {
  tag: string;
  citations: NoteCitation[];
}

export interface ContentModel {
  site: Site;
  /** Posts held back because they are dated after the build's clock, soonest first. */
  scheduled: Post[];
  /** Published posts, newest first (drafts too in a draft build). */
  posts: Post[];
  series: Series[];
  tags: TagIndex[];
  notes: NoteIndex[];
  /** Posts by year, newest year first, for the archive. */
  years: Array<{ year: number; posts: Post[] }>;
  /** The newest post's date (or its `updated` date): feeds' updated time, never the build time. */
  lastUpdated: Date | undefined;
  /** Every post, published or not, by project-relative source path. */
  byFile: ReadonlyMap<string, Post>;
  /** Published posts by site path (`/slug/`). */
  bySitePath: ReadonlyMap<string, Post>;
  warnings: readonly ContentIssue[];
  /** Feed ids recorded by earlier production builds (see feed-ledger.ts). */
  feedLedger: FeedLedger;
  /** Files published as they are (see static-files.ts): site path → project-relative file. */
  staticFiles: ReadonlyMap<string, string>;
  /** The images the posts show, encoded and published after rendering (see images.ts). */
  images: ImageStore;
}

export interface LoadOptions {
  inputDir: string;
  includeDrafts: boolean;
  /**
   * A one-off build renders each post for each target once: it hands each
   * rendered HTML over and forgets it, rather than hold every post's HTML to the
   * end of the build (a second request renders again), and keeps no parse for a
   * next build. The dev server keeps both for its next rebuild.
   */
  oneOffBuild?: boolean;
  /** The build's clock: posts dated after it are scheduled. Defaults to now. */
  now?: Date;
  /** Where this build is deployed; defaults to `SITE_URL`, then the site's own url. */
  deploymentUrl?: string;
}
