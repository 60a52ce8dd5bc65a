import type { FilterContext, UserConfig } from "@11ty/eleventy";

/**
 * `{{ value | required("name", "partials/x.njk") }}`: a partial's missing input
 * fails the build, naming the partial, the input and the page, instead of
 * rendering an empty string.
 */
export function required<T>(this: FilterContext, value: T, name: string, partial: string): T {
  if (value === undefined || value === null || value === "") {
    const page = this?.page?.inputPath ?? "an unknown page";
    throw new Error(`${partial} needs "${name}", but ${page} rendered it without one; set it with {% set ${name} = ... %} before the include`);
  }
  return value;
}

export default function guardsPlugin(eleventyConfig: UserConfig): void {
  eleventyConfig.addFilter("required", required as (this: FilterContext, ...args: never[]) => unknown);
}
