// @11ty/eleventy-img 6 ships no type declarations; this declares the part this project calls.
declare module "@11ty/eleventy-img" {
  export interface ImageOptions {
    widths?: Array<number | "auto" | null>;
    formats?: string[];
    outputDir?: string;
    urlPath?: string;
    sharpOptions?: Record<string, unknown>;
    sharpAvifOptions?: Record<string, unknown>;
    sharpWebpOptions?: Record<string, unknown>;
    svgShortCircuit?: boolean | "size";
    formatFiltering?: string[] | false;
    minimumThreshold?: number;
  }

  export interface ImageStat {
    format: string;
    width: number;
    height: number;
    url: string;
    outputPath: string;
    sourceType: string;
    srcset: string;
  }

  export type ImageMetadata = Record<string, ImageStat[]>;

  function eleventyImage(src: string, options: ImageOptions): Promise<ImageMetadata>;
  namespace eleventyImage {
    function statsSync(src: string, options: ImageOptions): ImageMetadata;
  }
  export default eleventyImage;
}
