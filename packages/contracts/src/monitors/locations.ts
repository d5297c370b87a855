// Where a monitor is checked from (docs/monitors.md, "Locations and quorum"): the panel and/or
// nodes' agents, and how many of them must see it down (the quorum; default a majority).
import { z } from "zod";
import { id } from "../validators.ts";

/** The panel's own location; every other location is a node's id. */
export const PANEL_LOCATION = "panel";
export const MAX_LOCATIONS = 10;

/** The default quorum of `locations` locations: a majority of them. */
export const majority = (locations: number) => Math.floor(locations / 2) + 1;

export const monitorLocations = z
  .array(id, { error: "must be a list of locations: panel or node ids" })
  .min(1, "must name at least one location")
  .max(MAX_LOCATIONS, `must name at most ${MAX_LOCATIONS} locations`)
  .refine((list) => new Set(list).size === list.length, "must not name a location twice");

/** Locations that must see a monitor down for it to be down. */
export const monitorQuorum = z
  .number({ error: "must be a number" })
  .int("must be an integer")
  .min(1, "must be at least 1")
  .max(MAX_LOCATIONS, `must be at most ${MAX_LOCATIONS}`);

/** The quorum of a monitor: the one set, or a majority of its locations. */
export const quorumOf = (locations: readonly string[], quorum: number | null | undefined) =>
  quorum ?? majority(locations.length);

/** Why `quorum` does not fit `locations`, or null. */
export const quorumProblem = (locations: readonly string[], quorum: number | null | undefined) =>
  quorum !== null && quorum !== undefined && quorum > locations.length
    ? `must be at most the number of locations (${locations.length})`
    : null;

/** A heartbeat is reported to the panel: no node can check it. */
export const HEARTBEAT_LOCATIONS =
  "a heartbeat monitor is reported to the panel: its only location is panel";
