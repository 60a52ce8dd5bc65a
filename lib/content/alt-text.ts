/**
 * Marks an `<img>` that came without alt text from the old blog: the import
 * writes it with `alt=""` and this attribute, so the blog builds, and every
 * build names it (a warning at its line) until the author describes the image
 * and removes the mark. A module of its own: the import reads it without
 * loading the image pipeline.
 */
export const ALT_MISSING_MARK = "data-alt-missing";
