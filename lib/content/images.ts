import { existsSync, statSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import type eleventyImage from "@11ty/eleventy-img";
import type { ImageOptions, ImageStat } from "@11ty/eleventy-img";
import { onFirstUse } from "../tools/lazy.ts";
import { ASSETS_PATH } from "./paths.ts";

/** eleventy-img and sharp, loaded by the first image a post shows. */
const imageTool = onFirstUse<typeof eleventyImage>("@11ty/eleventy-img");

/** Where encoded variants are published: under the generator's own /assets/. */
export const IMAGE_SITE_PATH = `${ASSETS_PATH}img/`;
/** Encoded variants, kept between builds and keyed by the source's content (eleventy-img's hash). */
export const IMAGE_CACHE_DIR = ".cache/images";

/**
 * Widths of the srcset: a phone, the column at 2x, wider screens. eleventy-img
 * never upscales: a narrower image gets the steps below its width and its own.
 */
const WIDTHS = [480, 960, 1440, 1920];
/**
 * The post column is 38rem wide (--measure) and the body has 1rem margins on
 * a phone: the browser picks a variant for that width before any CSS loads.
 */
export const IMAGE_SIZES = "(min-width: 40rem) 38rem, calc(100vw - 2rem)";

/** Source formats → the formats published, best first; the last is the fallback in `<img>`. */
const FORMATS: Record<string, string[]> = {
  ".png": ["avif", "webp", "png"],
  ".jpg": ["avif", "webp", "jpeg"],
  ".jpeg": ["avif", "webp", "jpeg"],
  ".webp": ["avif", "webp"],
  ".gif": ["webp", "gif"],
  ".svg": ["svg"],
};
export const IMAGE_EXTENSIONS = Object.keys(FORMATS);
const MIME: Record<string, string> = { avif: "image/avif", webp: "image/webp", png: "image/png", jpeg: "image/jpeg", gif: "image/gif", svg: "image/svg+xml" };

export interface PictureSource {
  type: string;
  /** `url 480w, url 960w`, with site paths. */
  variants: Array<{ sitePath: string; width: number }>;
}

/** What a page needs to show one image: its sources, fallback and size. */
export interface DescribedImage {
  /** Project-relative source file. */
  file: string;
  width: number;
  height: number;
  vector: boolean;
  /** Alternative formats (`<source>`), best first; empty for SVG. */
  sources: PictureSource[];
  /** The `<img>` format's variants, smallest first. */
  fallback: PictureSource;
  /** The full-size file in the source's own format: the original in a static folder, or else the largest fallback. */
  original: string;
}

/** Counts encodes across module copies: Eleventy may import this module a second time through its own loader. */
const ENCODES = Symbol.for("bitter-coder.image-encodes");
type CounterHolder = typeof globalThis & { [ENCODES]?: number };

/** Images encoded by this process so far (a source whose variants were all cached counts nothing). */
export function imageEncodes(): number {
  return (globalThis as CounterHolder)[ENCODES] ?? 0;
}

function countEncode(): void {
  const holder = globalThis as CounterHolder;
  holder[ENCODES] = (holder[ENCODES] ?? 0) + 1;
}

/** Descriptions survive between dev-server rebuilds, keyed by the file's size and time. */
const described = new Map<string, { stamp: string; image: DescribedImage; jobs: ImageStat[] }>();

/**
 * The images of one build: described synchronously while posts render (size,
 * variant names), encoded after rendering, only where the cache lacks a variant.
 */
export class ImageStore {
  readonly #inputDir: string;
  readonly #cacheDir: string;
  readonly #staticSitePathOf: (file: string) => string | undefined;
  /** Source file → the variants this build publishes. */
  readonly #wanted = new Map<string, { options: ImageOptions; variants: ImageStat[] }>();
  /** Site paths of every published variant, for the link check. */
  readonly published = new Set<string>();

  constructor(inputDir: string, staticSitePathOf: (file: string) => string | undefined) {
    this.#inputDir = inputDir;
    this.#cacheDir = path.join(inputDir, IMAGE_CACHE_DIR);
    this.#staticSitePathOf = staticSitePathOf;
  }

  static isImage(file: string): boolean {
    return IMAGE_EXTENSIONS.includes(path.extname(file).toLowerCase());
  }

  /** Describes a project-relative image file; throws with the reason when it cannot be read as an image. */
  describe(file: string): DescribedImage {
    const absolute = path.join(this.#inputDir, file);
    const { size, mtimeMs } = statSync(absolute);
    const stamp = `${size}|${mtimeMs}|${this.#cacheDir}`;
    let entry = described.get(absolute);
    if (entry?.stamp !== stamp) {
      entry = { stamp, ...this.#describeAfresh(file, absolute) };
      described.set(absolute, entry);
    }
    this.#wanted.set(absolute, { options: this.#options(file), variants: entry.jobs });
    for (const job of entry.jobs) this.published.add(this.#sitePathOf(job));
    return entry.image;
  }

  #options(file: string): ImageOptions {
    const extension = path.extname(file).toLowerCase();
    return {
      widths: extension === ".svg" ? [null] : WIDTHS,
      formats: FORMATS[extension]!,
      outputDir: this.#cacheDir,
      urlPath: IMAGE_SITE_PATH,
      // What eleventy-img would otherwise drop by the decoded image (alpha, animation) statsSync cannot see:
      // the names promised while rendering must be the files written.
      formatFiltering: false,
      // The full size is a variant too, however close to the step below it (eleventy-img skips it within 25%).
      minimumThreshold: 1,
      sharpOptions: extension === ".gif" ? { animated: true } : {},
      // AVIF's default effort took four times as long for files a few per cent smaller.
      sharpAvifOptions: { effort: 2 },
    };
  }

  #describeAfresh(file: string, absolute: string): { image: DescribedImage; jobs: ImageStat[] } {
    const stats = imageTool().statsSync(absolute, this.#options(file));
    const formats = FORMATS[path.extname(file).toLowerCase()]!;
    const toSource = (format: string): PictureSource => ({
      type: MIME[format]!,
      variants: (stats[format] ?? []).map((stat) => ({ sitePath: this.#sitePathOf(stat), width: stat.width })),
    });
    const fallbackFormat = formats.at(-1)!;
    const fallback = toSource(fallbackFormat);
    let largest = stats[fallbackFormat]?.at(-1);
    if (!largest) throw new Error("not an image that can be read");
    const staticPath = this.#staticSitePathOf(file);
    // Wider than the widest variant: the original's own size, for feeds, which show the original.
    if (staticPath !== undefined && largest.width === WIDTHS.at(-1))
      largest = imageTool().statsSync(absolute, { ...this.#options(file), widths: [null] })[fallbackFormat]![0]!;
    const vector = fallbackFormat === "svg";
    const image: DescribedImage = {
      file,
      width: largest.width,
      height: largest.height,
      vector,
      sources: vector ? [] : formats.slice(0, -1).map(toSource),
      fallback,
      original: staticPath ?? fallback.variants.at(-1)!.sitePath,
    };
    // An SVG in a static folder is published as it is, with nothing to encode.
    return { image, jobs: vector && staticPath !== undefined ? [] : Object.values(stats).flat() };
  }

  #sitePathOf(stat: ImageStat): string {
    return `${IMAGE_SITE_PATH}${path.basename(stat.outputPath)}`;
  }

  /**
   * Encodes what the cache lacks, then copies this build's variants into the
   * output. A text edit in the dev server finds every variant cached: it encodes
   * nothing and only copies what the output folder lacks.
   */
  async publish(outputDir: string): Promise<void> {
    const target = path.join(outputDir, IMAGE_SITE_PATH);
    await mkdir(target, { recursive: true });
    await Promise.all(
      [...this.#wanted].map(async ([source, { options, variants }]) => {
        if (variants.some((variant) => !existsSync(variant.outputPath))) {
          countEncode();
          await imageTool()(source, options);
        }
        await Promise.all(
          variants.map(async (variant) => {
            const destination = path.join(target, path.basename(variant.outputPath));
            if (!existsSync(destination)) await copyFile(variant.outputPath, destination);
          }),
        );
      }),
    );
  }
}
