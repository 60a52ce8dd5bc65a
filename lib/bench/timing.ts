import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** What one timed command cost: wall time, CPU time (user and system) and peak resident memory. */
export interface CommandSample {
  wallMs: number;
  cpuMs: number;
  peakBytes: number;
}

/**
 * GNU time reads the command's resource usage from the kernel when it exits
 * (wait4), as the process reporter does inside our own builds: the same measure
 * for a program we cannot preload into, like Hugo.
 */
const GNU_TIME = "/usr/bin/time";

export function canMeasureCommands(): boolean {
  return existsSync(GNU_TIME);
}

/**
 * Runs a command in a fresh process and times it; its output is kept only to
 * explain a failure. Without GNU time, CPU time and peak memory are reported as
 * NaN (the table shows "n/a") and only the wall time counts.
 */
export async function measureCommand(what: string, command: string, args: string[], cwd: string, env: Record<string, string>): Promise<CommandSample> {
  // Flush the last run's writes first, so each run is timed on its own.
  execFileSync("sync");
  const reportDir = await mkdtemp(path.join(tmpdir(), "blog-bench-time-"));
  const reportFile = path.join(reportDir, "usage.txt");
  const timed = canMeasureCommands();
  try {
    const [program, programArgs] = timed ? [GNU_TIME, ["-o", reportFile, "-f", "%U %S %M", command, ...args]] : [command, args];
    const started = performance.now();
    const child = spawn(program, programArgs, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => child.on("error", reject).on("close", resolve));
    const wallMs = performance.now() - started;
    if (code !== 0) throw new Error(`${what} failed (exit ${code}):\n${output.slice(-4000)}`);
    if (!timed) return { wallMs, cpuMs: Number.NaN, peakBytes: Number.NaN };
    // The last line: GNU time writes "Command exited with non-zero status" above it on failure.
    const [user, system, peakKiB] = (await readFile(reportFile, "utf8")).trim().split("\n").at(-1)!.split(" ").map(Number);
    return { wallMs, cpuMs: (user! + system!) * 1000, peakBytes: peakKiB! * 1024 };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}
