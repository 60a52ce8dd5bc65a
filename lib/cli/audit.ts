// `npm run audit`: Lighthouse's four category scores for the home page and a post,
// built into a temporary folder and served on 127.0.0.1. A report, not a test:
// it exits 0 whatever the scores, and 1 only when it cannot produce them.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Eleventy from "@11ty/eleventy";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { CHROME_PATH, CHROMIUM_FLAGS } from "../tools/chromium.ts";
import { REPOSITORY, SITE_CONFIG } from "../tools/repository.ts";
import { serveStatic } from "../tools/static-server.ts";

const PAGES = [
  ["Home", "/"],
  ["Post (part 3)", "/no-planned-downtime-chasm-part3/"],
] as const;
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;

interface AuditRow {
  page: string;
  scores: Record<(typeof CATEGORIES)[number], number | null>;
  /** Audits that cost points, for the categories below 100. */
  shortfalls: string[];
}

async function main(): Promise<number> {
  const outputDir = await mkdtemp(path.join(tmpdir(), "blog-audit-"));
  let built = false;
  // The server starts first: the site is built for its address, so canonical links
  // and social URLs point at the host Lighthouse is looking at.
  const server = await serveStatic(() => (built ? outputDir : path.join(outputDir, "not-built-yet")));
  const chrome = await chromeLauncher.launch({ chromePath: CHROME_PATH, chromeFlags: [...CHROMIUM_FLAGS, "--headless=new"] });
  try {
    process.env.SITE_URL = `${server.origin}/`;
    process.env.BLOG_DRAFTS = "0";
    await new Eleventy(REPOSITORY, outputDir, { configPath: SITE_CONFIG, quietMode: true }).write();
    built = true;

    const rows: AuditRow[] = [];
    for (const [page, sitePath] of PAGES) {
      const result = await lighthouse(server.origin + sitePath, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: [...CATEGORIES] });
      if (!result) throw new Error(`Lighthouse returned nothing for ${sitePath}`);
      const { categories, audits } = result.lhr;
      const scores = Object.fromEntries(CATEGORIES.map((id) => [id, categories[id]?.score ?? null])) as AuditRow["scores"];
      const shortfalls = CATEGORIES.flatMap((id) =>
        (categories[id]?.auditRefs ?? [])
          .filter((ref) => ref.weight > 0 && (audits[ref.id]?.score ?? 1) < 1)
          .map((ref) => `${id}: ${audits[ref.id]!.title} (${audits[ref.id]!.displayValue ?? audits[ref.id]!.score})`),
      );
      rows.push({ page: `${page} ${sitePath}`, scores, shortfalls });
    }
    printTable(rows);
    return 0;
  } finally {
    chrome.kill();
    await server.close();
    await rm(outputDir, { recursive: true, force: true });
  }
}

function printTable(rows: readonly AuditRow[]): void {
  const header = ["Page", "Performance", "Accessibility", "Best practices", "SEO"];
  const body = rows.map((row) => [row.page, ...CATEGORIES.map((id) => (row.scores[id] === null ? "n/a" : String(Math.round(row.scores[id]! * 100))))]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((width, column) => (column === 0 ? `:${"-".repeat(width + 1)}` : `${"-".repeat(width + 1)}:`)).join("|")}|`);
  for (const cells of body) console.log(line(cells));
  for (const row of rows) {
    if (row.shortfalls.length) console.log(`\n${row.page} lost points on:\n  ${row.shortfalls.join("\n  ")}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
