import { writeFileSync } from "node:fs";

/*
 * Preloaded into a benchmarked build (`node --import`): when the process exits,
 * writes its peak resident memory and the CPU time it used to the file
 * BENCH_REPORT_FILE names. Works wherever Node does, unlike /usr/bin/time; CPU
 * time stays comparable when other work shares the machine and wall time does not.
 */
export interface ProcessReport {
  peakBytes: number;
  cpuMs: number;
}

const target = process.env.BENCH_REPORT_FILE;
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    // maxRSS is in kilobytes, CPU times in microseconds.
    const report: ProcessReport = { peakBytes: usage.maxRSS * 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 };
    writeFileSync(target, JSON.stringify(report));
  });
}
