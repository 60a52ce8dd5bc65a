/**
 * Jekyll's permalink rule, so every imported post keeps the URL Jekyll gave
 * it. The built-in styles and placeholders are those Jekyll documents
 * (https://jekyllrb.com/docs/permalinks/).
 */
const BUILT_IN_STYLES: Record<string, string> = {
  date: "/:categories/:year/:month/:day/:title:output_ext",
  pretty: "/:categories/:year/:month/:day/:title/",
  ordinal: "/:categories/:year/:y_day/:title:output_ext",
  weekdate: "/:categories/:year/W:week/:short_day/:title:output_ext",
  none: "/:categories/:title:output_ext",
};

/** What a post's URL is made of, as Jekyll sees it. */
export interface PermalinkInput {
  /** The file's slug (`my-post` from `2007-04-19-my-post.html`), or its `slug:` key. */
  slug: string;
  /** The post's date, as written (its own offset's wall time). */
  date: WallTime;
  /** `categories:` and the folders above `_posts`. */
  categories: readonly string[];
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const SHORT_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** Jekyll's `slugify` in "pretty" mode, cased: what `:title` gives. */
export function prettySlug(text: string): string {
  return text.replace(/[^\p{L}\p{N}._~!$&'()+,;=@]+/gu, "-").replace(/^-+|-+$/g, "");
}

/** Jekyll's default `slugify` ("default" mode), for `:slug` and `:slugified_categories`. */
function defaultSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

function placeholders(input: PermalinkInput): Record<string, string> {
  const { date } = input;
  const utcDay = new Date(Date.UTC(date.year, date.month - 1, date.day));
  const startOfYear = Date.UTC(date.year, 0, 1);
  const dayOfYear = Math.floor((utcDay.getTime() - startOfYear) / 86_400_000) + 1;
  return {
    year: String(date.year),
    short_year: pad(date.year % 100),
    month: pad(date.month),
    i_month: String(date.month),
    short_month: SHORT_MONTHS[date.month - 1]!,
    long_month: LONG_MONTHS[date.month - 1]!,
    day: pad(date.day),
    i_day: String(date.day),
    y_day: pad(dayOfYear, 3),
    week: pad(isoWeek(utcDay)),
    short_day: SHORT_DAYS[utcDay.getUTCDay()]!,
    long_day: LONG_DAYS[utcDay.getUTCDay()]!,
    hour: pad(date.hour),
    minute: pad(date.minute),
    second: pad(date.second),
    title: prettySlug(input.slug),
    slug: defaultSlug(input.slug),
    categories: [...new Set(input.categories.map((category) => category.toLowerCase()))].join("/"),
    slugified_categories: [...new Set(input.categories.map(defaultSlug))].join("/"),
    output_ext: ".html",
  };
}

function isoWeek(day: Date): number {
  const thursday = new Date(day);
  thursday.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7) + 3);
  const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  return 1 + Math.round(((thursday.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
}

/** True for the site-wide permalink settings Jekyll knows: a built-in style name or a template starting with `/`. */
export function isPermalinkStyle(style: string): boolean {
  return style in BUILT_IN_STYLES || style.startsWith("/");
}

/**
 * The URL Jekyll publishes a post at, for a site-wide `permalink:` style (a
 * built-in name or a template). Empty placeholders leave no double slashes,
 * as in Jekyll.
 */
export function jekyllPostUrl(style: string, input: PermalinkInput): string {
  const template = BUILT_IN_STYLES[style] ?? style;
  const values = placeholders(input);
  // Longest names first: `:short_year` must not be read as `:short` + `_year`.
  const names = Object.keys(values).sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`:(${names.join("|")})`, "g");
  const url = template.replace(pattern, (_match, name: string) => values[name]!);
  return `/${url.split("/").filter(Boolean).join("/")}${url.endsWith("/") ? "/" : ""}`.replace(/^\/\/$/, "/");
}
