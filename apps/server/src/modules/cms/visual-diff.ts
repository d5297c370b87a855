// The visual check's comparison (docs/cms.md#the-visual-check): two screenshots of the same
// size compared pixel by pixel (pixelmatch, anti-aliased pixels ignored), the share of the
// pixels that changed in percent, and the diff image (the changes in red over a faded copy).
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";

export interface ShotDiff {
  /** the % of the pixels that changed, two decimals */
  percent: number;
  /** PNG: the changed pixels in red over the "before" image faded */
  diff: Buffer;
}

export function diffShots(before: Buffer, after: Buffer): ShotDiff {
  const a = PNG.sync.read(before);
  const b = PNG.sync.read(after);
  const width = Math.max(a.width, b.width);
  const height = Math.max(a.height, b.height);
  const out = new PNG({ width, height });
  // screenshots of another size than the viewport's cannot be compared: all of it changed
  if (a.width !== b.width || a.height !== b.height) {
    out.data.fill(0xff);
    return { percent: 100, diff: PNG.sync.write(out) };
  }
  const changed = pixelmatch(a.data, b.data, out.data, width, height, { threshold: 0.1 });
  return {
    percent: Math.round((changed / (width * height)) * 10_000) / 100,
    diff: PNG.sync.write(out),
  };
}
