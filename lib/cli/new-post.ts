// npm run new -- "Title" [--series <slug>] [--slug <slug>] [--input <dir>]
import path from "node:path";
import { parseArgs } from "node:util";
import { ScaffoldError, scaffoldPost } from "../authoring/scaffold.ts";

const USAGE = 'usage: npm run new -- "Post title" [--series <series-slug>] [--slug <file-slug>] [--input <site folder>]';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { series: { type: "string" }, slug: { type: "string" }, input: { type: "string", default: "." }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    console.error(`expected one title (quote it), found ${parsed.positionals.length} arguments\n${USAGE}`);
    return 2;
  }
  try {
    const result = await scaffoldPost({
      inputDir: parsed.values.input,
      title: parsed.positionals[0]!,
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
