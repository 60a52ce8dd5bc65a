import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, type BuiltSite } from "./helpers/site.ts";

/** vnu-jar's main export is the path of the jar it ships. */
const VNU_JAR = String(createRequire(import.meta.url)("vnu-jar"));
const JAVA = process.env.JAVA ?? "java";
/**
 * One short run over a few pages gains nothing from the JIT's optimising tier or
 * a parallel collector; without them the check costs half the CPU time. The
 * quick tier's frames are larger: vnu's schema needs a deeper stack.
 */
const JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m"];

interface VnuMessage {
  type: "error" | "info" | "non-document-error";
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

let site: BuiltSite;
let htmlFiles: string[];
let messages: VnuMessage[];
/** A copy of the home page with one known error, checked in the same run: proof the checker reports errors. */
let controlFile: string;

beforeAll(async () => {
  site = await buildSite();
  htmlFiles = site.paths
    .filter((sitePath) => sitePath.endsWith("/") || sitePath.endsWith(".html"))
    .map((sitePath) => path.join(site.outputDir, sitePath.endsWith("/") ? `${sitePath}index.html` : sitePath));
  // Beside the build, not in it: the build is shared, read-only.
  controlFile = path.join(await mkdtemp(path.join(tmpdir(), "blog-control-")), "control-with-duplicate-id.html");
  await writeFile(controlFile, (await readFile(htmlFiles[0]!, "utf8")).replace("<main ", '<p id="main">duplicate</p><main '));
  // vnu exits 1 when it finds errors; its JSON report on stderr is what matters.
  const run = await promisify(execFile)(JAVA, [...JVM_FLAGS, "-jar", VNU_JAR, "--format", "json", controlFile, ...htmlFiles], {
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; code?: unknown }) => {
    if (!error.stderr?.startsWith("{")) throw new Error(`vnu did not run (${String(error.code)}): ${error.stderr ?? ""}`);
    return { stdout: error.stdout ?? "", stderr: error.stderr };
  });
  messages = (JSON.parse(run.stderr) as { messages: VnuMessage[] }).messages;
});

afterAll(async () => {
  await site?.cleanup();
  if (controlFile) await rm(path.dirname(controlFile), { recursive: true, force: true });
});

function describeMessage(message: VnuMessage): string {
  const page = message.url ? path.relative(site.outputDir, new URL(message.url).pathname) : "?";
  return `${page}:${message.lastLine ?? "?"} ${message.message}${message.extract ? ` (${message.extract.replace(/\s+/g, " ")})` : ""}`;
}

describe("the Nu HTML Checker", () => {
  it("checks every HTML page of the site and reports errors it finds", () => {
    expect(htmlFiles.length).toBeGreaterThan(15);
    const controlErrors = messages.filter((message) => message.type === "error" && message.url?.endsWith(controlFile));
    expect(controlErrors.map((error) => error.message)).toEqual([expect.stringMatching(/Duplicate ID/)]);
  });

  it("finds no errors on any page", () => {
    const ofSite = messages.filter((message) => !message.url?.endsWith(controlFile));
    // Checked from files, vnu applies the CSP meta tag to file: URLs, where 'self' cannot match
    // /assets/..., and to ld+json data blocks, which browsers never run: those warnings say nothing.
    const fileOriginNoise = /^(Resource|Inline script) violates Content Security Policy/;
    const warnings = ofSite.filter((message) => message.type === "info" && !fileOriginNoise.test(message.message));
    if (warnings.length) console.log(`vnu warnings:\n  ${warnings.map(describeMessage).join("\n  ")}`);
    expect(ofSite.filter((message) => message.type !== "info").map(describeMessage)).toEqual([]);
  });
});
