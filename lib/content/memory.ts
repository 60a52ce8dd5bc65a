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
 * A post's renderings, each handed over once by a one-off build and then let
 * go (the page that shows it holds it from then on); the dev server keeps them
 * for its next rebuild. Undefined for one not held: the caller renders again.
 */
export function handOver(renders: Map<string, string>, oneOffBuild: boolean): (key: string) => string | undefined {
  return (key) => {
    const html = renders.get(key);
    if (oneOffBuild) renders.delete(key);
    return html;
  };
}

/**
 * Reads a post again for a rendering asked for a second time, refusing it if
 * it has changed since: one build never mixes two versions of a post.
 */
export function unchangedReader(file: string, read: () => Uint8Array, identity: (bytes: Uint8Array) => string, expected: string): () => Uint8Array {
  return () => {
    const bytes = read();
    if (identity(bytes) !== expected) throw new Error(`${file} changed while the site was being built; build again to publish the new text`);
    return bytes;
  };
}
