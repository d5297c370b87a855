// engine.disk-usage and engine.prune. Usage is the engine's own accounting (/system/df);
// prune asks the engine to remove what is unused — stopped containers, images no container
// uses (not only dangling ones), volumes no container uses, build cache — and answers what the
// engine reports it reclaimed. An engine without a build cache (Podman's compatible API has no
// /build/prune) counts as nothing freed there.
import type { EngineDiskUsage, OpOutput } from "@steward/contracts/agent";
import type { OpContext, OpHandler } from "../types.ts";

type PruneOutput = OpOutput<"engine.prune">;

import { type Engine, engineOf, expectStatus, q } from "./engine.ts";
import { listContainers } from "./list.ts";

interface Df {
  Images?: { Size?: number; SharedSize?: number; Containers?: number }[] | null;
  Containers?: { SizeRw?: number; State?: string }[] | null;
  Volumes?: { UsageData?: { Size?: number; RefCount?: number } | null }[] | null;
  BuildCache?: { Size?: number; InUse?: boolean }[] | null;
}

export async function diskUsage(engine: Engine): Promise<EngineDiskUsage> {
  const df = expectStatus(
    await engine.call("GET", "/system/df", undefined, 120_000),
    "read disk usage",
  ) as Df;
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((n, x) => n + Math.max(0, f(x)), 0);
  const images = df.Images ?? [];
  const containers = df.Containers ?? [];
  const volumes = df.Volumes ?? [];
  const cache = df.BuildCache ?? [];
  return {
    images: {
      count: images.length,
      bytes: sum(images, (i) => i.Size ?? 0),
      reclaimableBytes: sum(
        images.filter((i) => !i.Containers),
        (i) => i.Size ?? 0,
      ),
    },
    containers: {
      count: containers.length,
      bytes: sum(containers, (c) => c.SizeRw ?? 0),
      reclaimableBytes: sum(
        containers.filter((c) => c.State !== "running"),
        (c) => c.SizeRw ?? 0,
      ),
    },
    volumes: {
      count: volumes.length,
      bytes: sum(volumes, (v) => v.UsageData?.Size ?? 0),
      reclaimableBytes: sum(
        volumes.filter((v) => !v.UsageData?.RefCount),
        (v) => v.UsageData?.Size ?? 0,
      ),
    },
    buildCache: {
      count: cache.length,
      bytes: sum(cache, (c) => c.Size ?? 0),
      reclaimableBytes: sum(
        cache.filter((c) => !c.InUse),
        (c) => c.Size ?? 0,
      ),
    },
  };
}

export const engineDiskUsage: OpHandler<"engine.disk-usage"> = {
  name: "engine.disk-usage",
  run: async (ctx) =>
    ctx.step("read the engine's disk usage", () => diskUsage(engineOf(ctx.config))),
};

interface Pruned {
  SpaceReclaimed?: number;
  ContainersDeleted?: unknown[] | null;
  ImagesDeleted?: unknown[] | null;
  VolumesDeleted?: unknown[] | null;
  CachesDeleted?: unknown[] | null;
}

export const enginePrune: OpHandler<"engine.prune"> = {
  name: "engine.prune",
  async run(ctx, input): Promise<OpOutput<"engine.prune">> {
    const engine = engineOf(ctx.config);
    const out: PruneOutput = {
      bytesFreed: 0,
      removed: { containers: 0, images: 0, volumes: 0, buildCache: 0 },
    };
    const prune = async (what: keyof typeof out.removed, path: string, optional = false) => {
      const a = await ctx.step(`prune ${what}`, () =>
        engine.call("POST", path, undefined, 600_000),
      );
      if (optional && (a.status === 404 || a.status === 501)) return;
      const p = expectStatus(a, `prune ${what}`, [200]) as Pruned;
      out.bytesFreed += p.SpaceReclaimed ?? 0;
      out.removed[what] += (
        p.ContainersDeleted ??
        p.ImagesDeleted ??
        p.VolumesDeleted ??
        p.CachesDeleted ??
        []
      ).length;
      ctx.changed();
    };
    // containers first: what they held becomes unused for the images and volumes after
    if (input.containers) await prune("containers", "/containers/prune");
    if (input.images) await pruneImages(ctx, engine, out);
    if (input.volumes) await prune("volumes", "/volumes/prune");
    if (input.buildCache) await prune("buildCache", "/build/prune", true);
    return out;
  },
};

/**
 * Every image no container uses: Docker's `dangling=false` filter. Podman 4.3 refuses that
 * filter (on both of its APIs), so there each image no container (running or not) refers to
 * is removed one by one, and its size counted.
 */
async function pruneImages(ctx: OpContext, engine: Engine, out: PruneOutput) {
  if (engine.kind === "podman") {
    const images = expectStatus(await engine.call("GET", "/images/json"), "list images") as {
      Id: string;
      Size?: number;
    }[];
    const containers = await listContainers(engine);
    const used = new Set(containers.map((c) => (c.ImageID ?? "").replace(/^sha256:/, "")));
    for (const image of images) {
      const id = image.Id.replace(/^sha256:/, "");
      if (used.has(id)) continue;
      const a = await ctx.step(`remove image ${id.slice(0, 12)}`, () =>
        engine.call("DELETE", `/images/${encodeURIComponent(id)}`),
      );
      if (a.status === 409 || a.status === 404) continue; // in use meanwhile, or gone
      expectStatus(a, `remove image ${id.slice(0, 12)}`, [200]);
      out.bytesFreed += image.Size ?? 0;
      out.removed.images += 1;
    }
  } else {
    const filters = JSON.stringify({ dangling: ["false"] });
    const a = await ctx.step("prune images", () =>
      engine.call("POST", `/images/prune?${q({ filters })}`, undefined, 600_000),
    );
    const p = expectStatus(a, "prune images", [200]) as Pruned;
    out.bytesFreed += p.SpaceReclaimed ?? 0;
    out.removed.images += (p.ImagesDeleted ?? []).length;
  }
  ctx.changed();
}
