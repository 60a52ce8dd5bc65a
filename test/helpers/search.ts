import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";

/** One page as Pagefind stored it for the result cards (a fragment file). */
export interface IndexedPage {
  url: string;
  content: string;
  meta: Record<string, string>;
  filters: Record<string, string[]>;
}

export interface SearchBundle {
  pages: IndexedPage[];
  /** The word index's chunks, decompressed: every indexed word (stemmed) is in it as UTF-8 text. */
  words: string;
}

/** Pagefind's files are gzipped, after a 12-byte signature. */
async function unpack(file: string): Promise<Buffer> {
  const bytes = gunzipSync(await readFile(file));
  if (bytes.subarray(0, 12).toString() !== "pagefind_dcd") throw new Error(`${file} is not a Pagefind file`);
  return bytes.subarray(12);
}

/** Reads a built site's search bundle (`<site>/pagefind/`) the way its script would. */
export async function readSearchBundle(siteDir: string): Promise<SearchBundle> {
  const bundle = path.join(siteDir, "pagefind");
  const pages: IndexedPage[] = [];
  for (const name of await readdir(path.join(bundle, "fragment"))) {
    pages.push(JSON.parse((await unpack(path.join(bundle, "fragment", name))).toString("utf8")) as IndexedPage);
  }
  const chunks: string[] = [];
  for (const name of await readdir(path.join(bundle, "index"))) chunks.push((await unpack(path.join(bundle, "index", name))).toString("utf8"));
  return { pages: pages.sort((a, b) => a.url.localeCompare(b.url)), words: chunks.join("\n") };
}
