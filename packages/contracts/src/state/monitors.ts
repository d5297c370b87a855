// Monitors as files (`monitor/<account>--<name>.yaml`; an installation monitor's
// `monitor/<name>.yaml`), with the monitor API's own validators: what is checked and how
// often, where from (`panel` and node names, never ids).
import { z } from "zod";
import { nodeName } from "../api/nodes.ts";
import { monitorCreate } from "../monitors/api.ts";
import {
  HEARTBEAT_LOCATIONS,
  MAX_LOCATIONS,
  monitorQuorum,
  PANEL_LOCATION,
  quorumProblem,
} from "../monitors/locations.ts";
import { label, slug } from "../validators.ts";
import { scopedFileName } from "./names.ts";

const shape = monitorCreate.shape;

export const monitorFile = z
  .strictObject({
    name: label(100),
    /** null: an installation monitor (super users only) */
    account: slug.nullable().default(null),
    settings: shape.settings,
    intervalSeconds: shape.intervalSeconds,
    timeoutSeconds: shape.timeoutSeconds,
    retries: shape.retries,
    paused: shape.paused,
    maintenance: shape.maintenance,
    /** `panel` and node names */
    locations: z
      .array(z.union([z.literal(PANEL_LOCATION), nodeName]))
      .min(1, "must name at least one location")
      .max(MAX_LOCATIONS, `must name at most ${MAX_LOCATIONS} locations`)
      .refine((l) => new Set(l).size === l.length, "must not name a location twice")
      .default([PANEL_LOCATION]),
    quorum: monitorQuorum.nullable().default(null),
  })
  .refine((m) => m.timeoutSeconds < m.intervalSeconds, {
    message: "must be shorter than the interval",
    path: ["timeoutSeconds"],
  })
  .refine((m) => quorumProblem(m.locations, m.quorum) === null, {
    message: "must be at most the number of locations",
    path: ["quorum"],
  })
  .refine(
    (m) => m.settings.kind !== "heartbeat" || m.locations.every((l) => l === PANEL_LOCATION),
    {
      message: HEARTBEAT_LOCATIONS,
      path: ["locations"],
    },
  );
export type MonitorFile = z.infer<typeof monitorFile>;

/** `shop--shop-example` (account and name), or the name alone for an installation monitor. */
export const monitorName = scopedFileName;
