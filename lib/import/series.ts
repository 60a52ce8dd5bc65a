import { tagSlug } from "../content/model.ts";

/** A run of "Part N" posts sharing a tag, proposed as a series. */
export interface SeriesProposal {
  slug: string;
  title: string;
  description: string;
  /** Post slug → its part. */
  parts: Map<string, number>;
  /** Part numbers below the highest that no post has: a real series may have gaps. */
  gaps: number[];
}

interface Candidate {
  slug: string;
  title: string;
  tags: readonly string[];
  date: string;
}

const PART = /\bpart\s*[-#:]?\s*(\d{1,3})\b/i;

/**
 * Posts whose titles say "Part N" and share a tag. The tag shared by the most
 * such posts is taken first; a post joins one series at most, and a tag whose
 * posts repeat a part number is not proposed (its parts would be ambiguous).
 */
export function proposeSeries(posts: readonly Candidate[], declared: ReadonlySet<string>): SeriesProposal[] {
  const numbered = posts.flatMap((post) => {
    const part = PART.exec(post.title)?.[1];
    return part === undefined ? [] : [{ ...post, part: Number(part) }];
  });
  const byTag = new Map<string, typeof numbered>();
  for (const post of numbered) for (const tag of post.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), post]);
  const taken = new Set<string>();
  const proposals: SeriesProposal[] = [];
  const tags = [...byTag.entries()].sort(([a, left], [b, right]) => right.length - left.length || a.localeCompare(b));
  for (const [tag, members] of tags) {
    const free = members.filter((post) => !taken.has(post.slug)).sort((a, b) => a.part - b.part || a.date.localeCompare(b.date));
    const partNumbers = free.map((post) => post.part);
    if (free.length < 2 || new Set(partNumbers).size !== partNumbers.length || partNumbers.includes(0)) continue;
    let slug = tagSlug(tag);
    while (declared.has(slug) || proposals.some((proposal) => proposal.slug === slug)) slug = `${slug}-series`;
    const highest = Math.max(...partNumbers);
    proposals.push({
      slug,
      title: seriesTitle(free.map((post) => post.title)) ?? tag,
      description: `Posts tagged "${tag}" from the old blog, in parts.`,
      parts: new Map(free.map((post) => [post.slug, post.part])),
      gaps: Array.from({ length: highest }, (_, index) => index + 1).filter((part) => !partNumbers.includes(part)),
    });
    for (const post of free) taken.add(post.slug);
  }
  return proposals;
}

/** The words the titles share before "Part N", e.g. "IoC tutorial" from "IoC tutorial - Part 9 - ...". */
function seriesTitle(titles: readonly string[]): string | undefined {
  const heads = titles.map((title) =>
    title
      .slice(0, PART.exec(title)!.index)
      .replace(/[\s,:;([-]+$/, "")
      .trim(),
  );
  const first = heads[0];
  return first && heads.every((head) => head === first) ? first : undefined;
}
