// The dev server's first answer to a saved post: its own page, rendered and
// written before Eleventy rebuilds the site. A rebuild renders every page
// before it writes any (Eleventy renders all page content first, then writes),
// so at a few hundred posts the edited page would wait for all of them. Here
// the page is rendered by its own template, from the model loaded again, with
// the data the last build gave it: the same render path, so the same bytes the
// rebuild writes over it a moment later, with every page that lists the post.
// The browser showing the post reloads once, on the early page: the rebuild's
// reload leaves that page as it is (see answerSavedPostFirst).
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { ContentModel } from "../content/model.ts";
import { writeWhole } from "../tools/write-whole.ts";

/** A page of the last build, as Eleventy's template map holds it (the parts used here). */
interface PageEntry {
  url: string | false;
  outputPath: string | false;
  inputPath: string;
  rawInput: string;
  data: Record<string, unknown> & { pagination?: { alias?: string; items?: unknown[] } };
  template: {
    renderDirect(input: string, data: Record<string, unknown>): Promise<string>;
    runTransforms(content: string, page: PageEntry): Promise<string>;
  };
}

/** A page a rebuild wrote, as a reload names it: Eleventy's dev server diffs it into a browser showing `url`. */
interface ReloadedPage {
  url: string;
  inputPath: string;
  outputPath?: string;
  content: string;
}

/** What Eleventy's dev server sends its browsers (see @11ty/eleventy-dev-server's reload-client.js). */
interface ReloadEvent {
  files?: string[];
  subtype?: string;
  build?: { templates?: ReloadedPage[]; stylesheets?: string[] };
}

/** The Eleventy instance's internals this needs: the last build's pages, and its live-reload server. */
export interface ServedEleventy {
  writer?: { templateMap?: { map?: Array<{ _pages?: PageEntry[] }> } };
  eleventyServe: { reload(event: ReloadEvent): Promise<void> };
  config?: { keys?: { layout?: string } };
}

/** The model's holder (lib/plugins/content-model.ts), found in every page's data as `blog`. */
interface ReloadableBlog {
  reload(): Promise<ContentModel>;
}

/** What the page of a post file is written from: its entry in the last build, the post, and the data to render it with. */
interface EditedPage {
  page: PageEntry;
  data: Record<string, unknown>;
}

function isBlog(value: unknown): value is ReloadableBlog {
  return typeof (value as ReloadableBlog | undefined)?.reload === "function";
}

function lastBuildPages(eleventy: ServedEleventy): PageEntry[] {
  return (eleventy.writer?.templateMap?.map ?? []).flatMap((entry) => entry._pages ?? []);
}

/** The post file a rebuild was started for, project-relative (`posts/hello.md`), when it is one post alone. */
export function editedPostFile(changed: readonly string[], inputDir: string): string | undefined {
  if (changed.length !== 1) return undefined;
  const file = path.relative(path.resolve(inputDir), path.resolve(changed[0]!)).split(path.sep).join("/");
  return /^posts\/.+\.(?:md|html)$/.test(file) ? file : undefined;
}

/**
 * The edited post's page, to render with the model as it is now: the page of
 * the last build that showed this post alone (a pagination page whose alias
 * named it), at the same URL. Undefined when the edit moved the post, made it a
 * draft or a new post, or the page has an Eleventy layout or no file: the
 * rebuild writes those.
 */
function findEditedPage(pages: readonly PageEntry[], model: ContentModel, file: string, layoutKey: string): EditedPage | undefined {
  const post = model.byFile.get(file);
  if (!post || model.bySitePath.get(post.sitePath) !== post) return undefined;
  const page = pages.find((entry) => entry.url === post.sitePath && typeof entry.outputPath === "string");
  const alias = page?.data.pagination?.alias;
  if (!page || !alias || (page.data[alias] as { file?: string } | undefined)?.file !== file) return undefined;
  if (page.data[layoutKey] !== undefined) return undefined;
  return { page, data: { ...page.data, [alias]: post, pagination: { ...page.data.pagination, items: [post] } } };
}

/** The early page's place in the rebuild's reload: where it is written, and the saved file that named it. */
interface WrittenAhead {
  outputPath: string;
  savedFile: string;
}

/**
 * Renders and writes the page of the post file saved (when one post file alone
 * changed). Returns where, or undefined when it left the page to the rebuild.
 * Never throws: whatever goes wrong here, the rebuild that follows meets and reports.
 */
async function writeEditedPage(eleventy: ServedEleventy, changed: readonly string[], inputDir: string): Promise<PageEntry | undefined> {
  const file = editedPostFile(changed, inputDir);
  if (!file) return undefined;
  try {
    const pages = lastBuildPages(eleventy);
    const blog = pages.find((page) => isBlog(page.data.blog))?.data.blog as ReloadableBlog | undefined;
    if (!blog) return undefined;
    const edited = findEditedPage(pages, await blog.reload(), file, eleventy.config?.keys?.layout ?? "layout");
    if (!edited) return undefined;
    const { page, data } = edited;
    const rendered = await page.template.renderDirect(page.rawInput, data);
    const content = await page.template.runTransforms(rendered, { ...page, data });
    // Whole, since the server may be reading the page this moment.
    await mkdir(path.dirname(page.outputPath as string), { recursive: true });
    await writeWhole(page.outputPath as string, content);
    return page;
  } catch {
    return undefined;
  }
}

/**
 * The rebuild's reload, leaving the page written ahead to the browser showing
 * it. Eleventy's reload client reloads every page the reload does not name as
 * written from a saved file; one it names, it diffs in place. The rebuild wrote
 * the post's page from the post template, not the saved file, so it is named
 * here as the saved file's: its bytes are those the browser already shows, and
 * the diff changes nothing. Every other page reloads, with the post's new title
 * in its lists; a stylesheet's edit writes nothing ahead, and reloads them all.
 */
function leavingAlone(event: ReloadEvent, ahead: WrittenAhead): ReloadEvent {
  const templates = event.build?.templates;
  if (!templates || !event.files?.includes(ahead.savedFile)) return event;
  return {
    ...event,
    build: { ...event.build, templates: templates.map((page) => (page.outputPath === ahead.outputPath ? { ...page, inputPath: ahead.savedFile } : page)) },
  };
}

/**
 * One browser reload per save of a post. Before each rebuild, the returned
 * handler writes the saved post's page and reloads the browsers on it; the
 * rebuild's reload that follows leaves that page alone (see leavingAlone). It
 * resolves to the page's URL, or undefined when the rebuild writes and reloads
 * everything, as for any other edit.
 */
export function answerSavedPostFirst(eleventy: ServedEleventy, inputDir: string): (changed: readonly string[]) => Promise<string | undefined> {
  const server = eleventy.eleventyServe;
  const reload = server.reload.bind(server);
  let ahead: WrittenAhead | undefined;
  server.reload = (event) => {
    const written = ahead;
    ahead = undefined;
    return reload(written ? leavingAlone(event, written) : event);
  };
  return async (changed) => {
    ahead = undefined;
    const page = await writeEditedPage(eleventy, changed, inputDir);
    if (!page) return undefined;
    await reload({ files: changed.slice() });
    ahead = { outputPath: page.outputPath as string, savedFile: changed[0]! };
    return page.url as string;
  };
}
