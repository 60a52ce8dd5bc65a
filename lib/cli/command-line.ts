import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Reads a command's arguments, which take exactly one positional (`what`).
 * Returns the parsed values, or the exit code when there is nothing to run:
 * 0 after printing the usage for --help, 2 after naming what is wrong.
 */
export function readCommandLine<O extends Options>(options: O, usage: string, what: string) {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { ...options, help: { type: "boolean", short: "h" } } as O });
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    console.error(`expected ${what}, found ${parsed.positionals.length} arguments\n${usage}`);
    return 2;
  }
  return { values: parsed.values, positional: parsed.positionals[0]! };
}
