// The connector's restore points (connectors/wordpress/steward-connector/restore-points.php):
// a zip of a plugin's or theme's files taken before its update, and putting it back.
import { z } from "zod";
import { connector, type WpOptions, type WpTarget } from "./wordpress.ts";

export type RestorableType = "plugin" | "theme";

const made = z.object({
  id: z.string().regex(/^[a-f0-9]{32}$/),
  version: z.string(),
  active: z.boolean(),
});
const restored = z.object({
  ok: z.boolean(),
  version: z.string().nullable(),
  error: z.string().nullable(),
});

export const makeRestorePoint = (
  target: WpTarget,
  options: WpOptions,
  extension: { type: RestorableType; slug: string },
) =>
  connector(
    target,
    options,
    { method: "POST", path: "/steward/v1/restore-point", body: extension, timeoutMs: 120_000 },
    made,
  );

export const restoreRestorePoint = (
  target: WpTarget,
  options: WpOptions,
  point: { type: RestorableType; slug: string; id: string },
) =>
  connector(
    target,
    options,
    { method: "POST", path: "/steward/v1/restore", body: point, timeoutMs: 120_000 },
    restored,
  );
