// Eleventy 3.1 ships no type declarations (its package exports JSDoc-only JS),
// so this declares only the parts of the API this project calls.
// Checked against @11ty/eleventy 3.1.8; revisit on every Eleventy upgrade.
declare module "@11ty/eleventy" {
  export interface Directories {
    input: string;
    output: string;
    includes: string;
    data: string;
  }

  export interface BuildEventArgs {
    directories: Directories;
    runMode: "build" | "watch" | "serve";
    outputMode: "fs" | "json" | "ndjson";
    incremental: boolean;
  }

  export interface BuildResult {
    inputPath: string;
    outputPath: string | false;
    url: string | false;
    content: string;
  }

  export interface AfterBuildEventArgs extends BuildEventArgs {
    results: BuildResult[];
  }

  /** One page in a collection, as `addCollection` callbacks see it. */
  export interface CollectionItem {
    url: string | false;
    inputPath: string;
    data: Record<string, unknown>;
  }

  export interface CollectionApi {
    getAll(): CollectionItem[];
  }

  export interface UserConfig {
    directories: Directories;
    pathPrefix: string;
    ignores: Set<string>;
    addPlugin<Options>(plugin: (config: UserConfig, options: Options) => void, options?: Options): void;
    addPlugin(plugin: (config: UserConfig) => void): void;
    addFilter(name: string, filter: (this: FilterContext, ...args: never[]) => unknown): void;
    addShortcode(name: string, shortcode: (this: FilterContext, ...args: never[]) => unknown): void;
    addGlobalData(name: string, data: unknown): void;
    addTransform(name: string, transform: (this: FilterContext, content: string) => string | Promise<string>): void;
    addCollection(name: string, build: (collections: CollectionApi) => unknown): void;
    addTemplate(virtualInputPath: string, content: unknown, data?: Record<string, unknown>): void;
    addTemplateFormats(formats: string | string[]): void;
    setTemplateFormats(formats: string[]): void;
    addWatchTarget(target: string, options?: { resetConfig?: boolean }): void;
    setServerPassthroughCopyBehavior(behavior: "copy" | "passthrough"): void;
    addPassthroughCopy(target: string | Record<string, string>, options?: Record<string, unknown>): void;
    setWatchJavaScriptDependencies(watch: boolean): void;
    setServerOptions(options: Record<string, unknown>): void;
    setChokidarConfig(options: Record<string, unknown>): void;
    setQuietMode(quiet: boolean): void;
    setUseGitIgnore(use: boolean): void;
    setDataFileBaseName(name: string): void;
    on(event: "eleventy.before", handler: (args: BuildEventArgs) => void | Promise<void>): void;
    on(event: "eleventy.after", handler: (args: AfterBuildEventArgs) => void | Promise<void>): void;
    on(event: string, handler: (args: never) => void | Promise<void>): void;
  }

  export interface FilterContext {
    page?: { inputPath: string; url: string | false; outputPath: string | false };
  }

  export interface EleventyOptions {
    configPath?: string | false;
    quietMode?: boolean;
    config?: (config: UserConfig) => void;
    pathPrefix?: string;
    runMode?: "build" | "watch" | "serve";
    source?: "cli" | "script";
  }

  export default class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    write(): Promise<unknown>;
    toJSON(): Promise<BuildResult[]>;
    setIsVerbose(verbose: boolean): void;
  }
}

declare module "@11ty/eleventy-dev-server" {
  const EleventyDevServer: unknown;
  export default EleventyDevServer;
}
