import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A package loaded on its first use instead of at start-up, for the heavy ones
 * most builds never call: a blog without raster images never loads sharp, one
 * without raw HTML never loads the sanitizer. Synchronous (`require`, which
 * loads ES modules too), since their callers are: a template filter, an
 * image's size read while a post renders.
 */
export function onFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
