// Live memory (heap and array buffers right after a full collection), sampled when a test
// asks, for instance every few megabytes a stream moves: the peak above where it started is
// what the stream held at once, not the garbage it left behind (which RSS would count).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

const live = () => {
  collect();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

export interface LiveMemory {
  sample(): void;
  /** the highest sample above the first */
  growth(): number;
}

export function liveMemory(): LiveMemory {
  const before = live();
  let peak = before;
  return {
    sample: () => {
      peak = Math.max(peak, live());
    },
    growth: () => peak - before,
  };
}
