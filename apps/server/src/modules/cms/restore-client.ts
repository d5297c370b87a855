// The connector's restore points (connectors/wordpress/steward-connector/restore-points.php):
// a zip of a plugin's or theme's files taken before its update, and putting it back; and a
// core version reinstalled (core-reinstall.php), the rollback of a core update.
import { cmsVersion } from "@steward/contracts";
import { z } from "zod";
import {
  ConnectorError,
  connector,
  connectorUpdate,
  type WpOptions,
  type WpTarget,
} from "./wordpress.ts";

export type RestorableType = "plugin" | "theme";

const made = z.object({
  id: z.string().regex(/^[a-f0-9]{32}$/),
  version: z.string(),
  active: z.boolean(),
  /** zip: the files; package: WordPress.org's package of the version (connector 0.3.0) */
  kind: z.enum(["zip", "package"]).default("zip"),
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

/**
 * Reinstalls core `version` from the package WordPress's update API offers for it (the
 * connector finds it: no address is sent). A version the validator refuses is not sent.
 */
export async function reinstallCore(target: WpTarget, options: WpOptions, version: string) {
  const checked = cmsVersion.safeParse(version);
  if (!checked.success)
    throw new ConnectorError(`version: ${checked.error.issues[0]?.message ?? "invalid"}`);
  const done = await connector(
    target,
    options,
    {
      method: "POST",
      path: "/steward/v1/reinstall",
      body: { type: "core", version: checked.data },
      timeoutMs: 300_000,
    },
    connectorUpdate,
  );
  return { ok: done.ok, version: done.to, error: done.error, log: done.log };
}
