import { parseJekyllDate } from "./jekyll-dates.ts";

/**
 * A reader's comment from the WordPress era, as the site keeps it: name, link,
 * date and text. Readers' email addresses are personal data and are never
 * kept: they are dropped here, where the source is read, and any copy of one
 * in a comment's other fields is blanked.
 */
export interface ArchivedComment {
  author: string;
  url?: string;
  date: string;
  /** The comment's HTML as written; sanitized whenever it is shown. */
  content: string;
}

export interface ReadComments {
  comments: ArchivedComment[];
  problems: string[];
}

const EMAIL_REMOVED = "[email removed]";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function readComments(value: unknown): ReadComments {
  const problems: string[] = [];
  if (value === undefined || value === null) return { comments: [], problems };
  if (!Array.isArray(value)) return { comments: [], problems: ["comments: expected a list of comments; none were imported"] };
  const emails = value.flatMap((entry) => (typeof entry?.author_email === "string" && entry.author_email.includes("@") ? [entry.author_email.trim()] : []));
  const scrub =
    emails.length === 0
      ? (text: string) => text
      : (() => {
          const pattern = new RegExp(emails.map(escapeRegExp).join("|"), "gi");
          return (text: string) => text.replace(pattern, EMAIL_REMOVED);
        })();
  const comments: ArchivedComment[] = [];
  value.forEach((entry: unknown, index: number) => {
    const comment = (entry ?? {}) as Record<string, unknown>;
    const date = parseJekyllDate(comment.date) ?? parseJekyllDate(comment.date_gmt);
    const content = typeof comment.content === "string" ? comment.content.trim() : "";
    if (!date || content === "") {
      problems.push(`comments[${index}]: ${!date ? "no readable date" : "no text"}; this comment was not imported`);
      return;
    }
    const author = typeof comment.author === "string" && comment.author.trim() !== "" ? scrub(comment.author.trim()) : "Anonymous";
    const url = typeof comment.author_url === "string" && /^https?:\/\/[^/\s]+/i.test(comment.author_url.trim()) ? scrub(comment.author_url.trim()) : undefined;
    comments.push({ author, ...(url && !url.includes(EMAIL_REMOVED) ? { url } : {}), date: date.iso, content: scrub(content) });
  });
  return { comments, problems };
}
