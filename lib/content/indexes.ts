import { tagPath, tagSlug } from "./paths.ts";
import type { NoteCitation, NoteIndex, Post, TagIndex, TagPage } from "./types.ts";

/** The indexes pages read, each built once per build from the published posts. */

export function newestFirst(a: Post, b: Post): number {
  return b.date.getTime() - a.date.getTime() || a.title.localeCompare(b.title);
}

/**
 * The newest date among posts (a revision counts): a feed's or the site's
 * updated time, so it changes only when the content does, never with the clock.
 */
export function newestDate(posts: readonly Post[]): Date | undefined {
  return posts.reduce<Date | undefined>((latest, post) => {
    const date = post.updated ?? post.date;
    return latest === undefined || date > latest ? date : latest;
  }, undefined);
}

/**
 * Posts on one page of a tag: a tag page lists each post with its summary, so
 * a tag of several hundred posts would be a page of hundreds of kilobytes.
 */
export const POSTS_PER_TAG_PAGE = 20;

export function indexTags(posts: readonly Post[]): TagIndex[] {
  const tags = new Map<string, TagIndex>();
  for (const post of posts) {
    for (const name of post.tags) {
      const slug = tagSlug(name);
      let tag = tags.get(slug);
      if (!tag) tags.set(slug, (tag = { name, slug, sitePath: tagPath(name), posts: [], pages: [] }));
      if (!tag.posts.includes(post)) tag.posts.push(post);
    }
  }
  for (const tag of tags.values()) tag.pages = paginate(tag);
  return [...tags.values()].sort((a, b) => a.slug.localeCompare(b.slug));
}

function paginate(tag: TagIndex): TagPage[] {
  const count = Math.max(1, Math.ceil(tag.posts.length / POSTS_PER_TAG_PAGE));
  const path = (number: number) => tagPath(tag.name, number);
  return Array.from({ length: count }, (_, index) => ({
    tag,
    number: index + 1,
    count,
    sitePath: path(index + 1),
    posts: tag.posts.slice(index * POSTS_PER_TAG_PAGE, (index + 1) * POSTS_PER_TAG_PAGE),
    ...(index > 0 ? { previous: path(index) } : {}),
    ...(index + 1 < count ? { next: path(index + 2) } : {}),
  }));
}

/** Every footnote by its tag, oldest citation first. */
export function indexNotes(posts: readonly Post[]): NoteIndex[] {
  const notes = new Map<string, NoteCitation[]>();
  for (const post of [...posts].reverse()) {
    for (const note of post.footnotes) notes.set(note.tag, [...(notes.get(note.tag) ?? []), { post, note }]);
  }
  return [...notes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([tag, citations]) => ({ tag, citations }));
}

export function groupByYear(posts: readonly Post[]): Array<{ year: number; posts: Post[] }> {
  const years: Array<{ year: number; posts: Post[] }> = [];
  for (const post of posts) {
    const year = post.date.getUTCFullYear();
    const last = years.at(-1);
    if (last?.year === year) last.posts.push(post);
    else years.push({ year, posts: [post] });
  }
  return years;
}
