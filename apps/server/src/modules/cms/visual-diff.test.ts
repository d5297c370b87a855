// The visual check's comparison on images made here: the same image is 0% changed, an image
// whose left half turned red 50% (the diff red there), images of two sizes 100%.
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { diffShots } from "./visual-diff.ts";

function image(width: number, height: number, red = 0) {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const on = x < red;
      png.data.set(on ? [0xdd, 0, 0, 0xff] : [0xff, 0xff, 0xff, 0xff], i);
    }
  return PNG.sync.write(png);
}

describe("diffShots", () => {
  it("finds nothing changed between the same images", () => {
    const { percent, diff } = diffShots(image(80, 40), image(80, 40));
    expect(percent).toBe(0);
    expect(PNG.sync.read(diff).width).toBe(80);
  });

  it("measures the share of the pixels that changed and paints them red in the diff", () => {
    const { percent, diff } = diffShots(image(80, 40), image(80, 40, 40));
    expect(percent).toBe(50);
    const out = PNG.sync.read(diff);
    expect([...out.data.subarray(0, 3)]).toEqual([255, 0, 0]);
    const right = (10 * 80 + 70) * 4;
    expect(out.data[right]).toBe(out.data[right + 1]);
  });

  it("counts images of two sizes as all changed", () => {
    expect(diffShots(image(80, 40), image(80, 41)).percent).toBe(100);
  });
});
