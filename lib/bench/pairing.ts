import type { CommandSample } from "./timing.ts";

/** A median with the smallest and largest value seen. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

/** One generator's part in a pairing: what it is called and how to run its build once (the run number starts at 0). */
export interface Contestant {
  name: string;
  run(run: number): Promise<CommandSample>;
}

/**
 * Runs each contestant's build in turn, run after run (ours, Hugo, ours, Hugo,
 * ...), so a change in the machine's load during the benchmark hits every
 * contestant alike. Returns each contestant's samples in run order.
 */
export async function pairedRuns(
  runs: number,
  contestants: readonly Contestant[],
  onSample?: (name: string, run: number, sample: CommandSample) => void,
): Promise<Map<string, CommandSample[]>> {
  const samples = new Map(contestants.map((contestant) => [contestant.name, [] as CommandSample[]]));
  for (let run = 0; run < runs; run++) {
    for (const contestant of contestants) {
      const sample = await contestant.run(run);
      samples.get(contestant.name)!.push(sample);
      onSample?.(contestant.name, run, sample);
    }
  }
  return samples;
}

/** Wall time, CPU time and peak memory of a set of runs, each as median (min–max). */
export interface Summary {
  runs: number;
  wallMs: Spread;
  cpuMs: Spread;
  peakBytes: Spread;
}

export function summarise(samples: readonly CommandSample[]): Summary {
  return {
    runs: samples.length,
    wallMs: spread(samples.map((sample) => sample.wallMs)),
    cpuMs: spread(samples.map((sample) => sample.cpuMs)),
    peakBytes: spread(samples.map((sample) => sample.peakBytes)),
  };
}

/** Our time over theirs, run by run (each of our runs against the run of theirs beside it), as median (min–max). */
export interface Ratios {
  wall: Spread;
  cpu: Spread;
}

export function pairedRatios(ours: readonly CommandSample[], theirs: readonly CommandSample[]): Ratios {
  if (ours.length !== theirs.length || ours.length === 0)
    throw new Error(`paired ratios need as many runs on each side, got ${ours.length} and ${theirs.length}`);
  const ratios = (measure: "wallMs" | "cpuMs") => spread(ours.map((sample, run) => sample[measure] / theirs[run]![measure]));
  return { wall: ratios("wallMs"), cpu: ratios("cpuMs") };
}
