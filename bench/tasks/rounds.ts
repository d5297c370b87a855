// Several rounds of the same systems folded into one row each: the median is the figure, the
// minimum and maximum say how far the machine moved it.
import { percentile, type Result } from "./harness.ts";

export interface Summary extends Result {
  rounds: number;
  tasksPerSecondMin: number;
  tasksPerSecondMax: number;
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

export function summarize(runs: Result[]): Summary[] {
  const names = [...new Set(runs.map((run) => run.system))];
  return names.map((system) => {
    const mine = runs.filter((run) => run.system === system);
    const throughput = mine.map((run) => run.tasksPerSecond);
    return {
      system,
      tasksPerSecond: Math.round(median(throughput)),
      tasksPerSecondMin: Math.min(...throughput),
      tasksPerSecondMax: Math.max(...throughput),
      p50Ms: median(mine.map((run) => run.p50Ms)),
      p99Ms: median(mine.map((run) => run.p99Ms)),
      rounds: mine.length,
    };
  });
}
