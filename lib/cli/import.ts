// npm run import -- <path-to-jekyll-site> [--dry-run] [--series] [--host old.example.com ...] [--input <site folder>]
// Moves a Jekyll blog (WordPress-era posts included) into this site, keeping
// every URL and feed id. See lib/import/.
import { parseArgs } from "node:util";
import { ImportError } from "../import/jekyll-site.ts";
import { planImport } from "../import/plan.ts";
import { formatReport } from "../import/report.ts";
import { writePlan } from "../import/write.ts";

const USAGE = "usage: npm run import -- <path-to-jekyll-site> [--dry-run] [--series] [--host <old host>]... [--input <site folder>]";

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        "dry-run": { type: "boolean", default: false },
        series: { type: "boolean", default: false },
        host: { type: "string", multiple: true, default: [] },
        input: { type: "string", default: "." },
        help: { type: "boolean", short: "h" },
      },
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
    console.error(`expected the Jekyll site's folder, found ${parsed.positionals.length} arguments\n${USAGE}`);
    return 2;
  }
  const dryRun = parsed.values["dry-run"];
  const applySeries = parsed.values.series;
  let plan;
  try {
    plan = planImport({ source: parsed.positionals[0]!, target: parsed.values.input, hosts: parsed.values.host, applySeries });
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
