// npm run import -- <path-to-jekyll-site> [--dry-run] [--series] [--host old.example.com ...] [--input <site folder>]
// Moves a Jekyll blog (WordPress-era posts included) into this site, keeping
// every URL and feed id. See lib/import/.
import { ImportError } from "../import/jekyll-site.ts";
import { planImport } from "../import/plan.ts";
import { formatReport } from "../import/report.ts";
import { writePlan } from "../import/write.ts";
import { readCommandLine } from "./command-line.ts";

const USAGE = "usage: npm run import -- <path-to-jekyll-site> [--dry-run] [--series] [--host <old host>]... [--input <site folder>]";

async function main(): Promise<number> {
  const parsed = readCommandLine(
    {
      "dry-run": { type: "boolean", default: false },
      series: { type: "boolean", default: false },
      host: { type: "string", multiple: true, default: [] },
      input: { type: "string", default: "." },
    },
    USAGE,
    "the Jekyll site's folder",
  );
  if (typeof parsed === "number") return parsed;
  const dryRun = parsed.values["dry-run"];
  const applySeries = parsed.values.series;
  let plan;
  try {
    plan = planImport({ source: parsed.positional, target: parsed.values.input, hosts: parsed.values.host, applySeries });
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    console.error(`npm run import: ${error.message}`);
    return 1;
  }
  if (!dryRun) await writePlan(parsed.values.input, plan);
  process.stdout.write(formatReport(plan, { dryRun, applySeries }));
  return plan.report.badInputs.length > 0 ? 1 : 0;
}

process.exitCode = await main();
