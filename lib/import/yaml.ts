import { splitFrontMatter } from "../content/front-matter.ts";

/**
 * YAML as the site reads front matter: the same parser, and the same rules
 * for dates (left as text), so an imported file means what it meant here.
 */
export function parseYaml(text: string): unknown {
  return splitFrontMatter(`---\n${text.replace(/^\uFEFF/, "")}\n---\n`).data;
}

/**
 * Front matter as the import writes it: one key per line, scalars and lists
 * as JSON (which is YAML), lists of maps as YAML block lists. No YAML writer
 * is needed for that, and its output is the same whichever parser reads it.
 */
export function writeFrontMatter(fields: Record<string, unknown>): string {
  const lines = ["---"];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.some((item) => item !== null && typeof item === "object")) {
      lines.push(`${key}:`);
      for (const item of value as Array<Record<string, unknown>>) {
        Object.entries(item)
          .filter(([, field]) => field !== undefined)
          .forEach(([field, text], index) => lines.push(`${index === 0 ? "  - " : "    "}${field}: ${JSON.stringify(text)}`));
      }
    } else {
      lines.push(`${key}: ${JSON.stringify(value)}`);
    }
  }
  lines.push("---");
  return `${lines.join("\n")}\n`;
}
