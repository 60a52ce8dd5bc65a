// npm run new -- "Title" [--series <slug>] [--slug <slug>] [--input <dir>]
import path from "node:path";
import { ScaffoldError, scaffoldPost } from "../authoring/scaffold.ts";
import { readCommandLine } from "./command-line.ts";

const USAGE = 'usage: npm run new -- "Post title" [--series <series-slug>] [--slug <file-slug>] [--input <site folder>]';

async function main(): Promise<number> {
  const parsed = readCommandLine(
    { series: { type: "string" }, slug: { type: "string" }, input: { type: "string", default: "." } },
    USAGE,
    "one title (quote it)",
  );
  if (typeof parsed === "number") return parsed;
  try {
    const result = await scaffoldPost({
      inputDir: parsed.values.input,
      title: parsed.positional,
      seriesSlug: parsed.values.series,
      slug: parsed.values.slug,
      warn: (message) => console.warn(`warning: ${message}`),
    });
    // Relative to where the author ran it, so it can be opened as printed.
    console.log(path.relative(process.cwd(), result.absolutePath));
    return 0;
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    console.error(`npm run new: ${error.message}`);
    return 1;
  }
}

process.exitCode = await main();
