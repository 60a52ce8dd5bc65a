import { createHash } from "node:crypto";

/*
 * The build's memory-saving measures, in one place. A site of thousands of
 * posts holds every post's HTML at once (Eleventy keeps the rendered site to
 * its after-build step), so what a post keeps decides the build's peak memory.
 */

/**
 * A copy of text that shares no memory with the markdown it was cut from. Text
 * and HTML made from tokens are slices of the post's markdown, and a slice
 * keeps the whole of it alive for as long as the model holds the slice.
 */
export function detached(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}

/**
 * A one-off build lets each post's markdown go once it is rendered. Should a
 * template ask for a rendering again, the file is read again, and refused if
 * it has changed since: one build never mixes two versions of a post.
 */
export function rereader(file: string, readBody: () => string, body: string): () => string {
  const digest = (text: string) => createHash("sha256").update(text).digest("hex");
  const original = digest(body);
  return () => {
    const again = readBody();
    if (digest(again) !== original) throw new Error(`${file} changed while the site was being built; build again to publish the new text`);
    return again;
  };
}
