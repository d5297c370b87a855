// One client per kind of CMS site: WordPress through the Steward connector (wordpress.ts),
// Joomla through its Web Services API and the Panopticon connector (joomla.ts). The tasks and
// the service call these, never a kind's client directly.
import type { CmsDiagnosis, CmsExtension, CmsInfo, CmsKind } from "@steward/contracts";
import { diagnose } from "./diagnose.ts";
import { applyJoomlaUpdate, readJoomlaInfo } from "./joomla.ts";
import { applyJoomlaCoreUpdate } from "./joomla-core.ts";
import { diagnoseJoomla } from "./joomla-diagnose.ts";
import {
  applyUpdate,
  ConnectorError,
  type ConnectorUpdate,
  readInfo,
  type WpOptions,
  type WpTarget,
} from "./wordpress.ts";

export const diagnoseSite = (
  kind: CmsKind,
  target: WpTarget,
  options: WpOptions,
): Promise<CmsDiagnosis> =>
  kind === "joomla" ? diagnoseJoomla(target, options) : diagnose(target, options);

export const readSiteInfo = (
  kind: CmsKind,
  target: WpTarget,
  options: WpOptions,
  check: boolean,
): Promise<CmsInfo> =>
  kind === "joomla" ? readJoomlaInfo(target, options, check) : readInfo(target, options, check);

export type SiteUpdate = { type: "core" | "plugin" | "theme" | "extension"; slug: string };

export async function applySiteUpdate(
  kind: CmsKind,
  target: WpTarget,
  options: WpOptions,
  update: SiteUpdate,
): Promise<Omit<ConnectorUpdate, "type"> & { type: SiteUpdate["type"] }> {
  if (kind === "joomla") {
    if (update.type === "core") return applyJoomlaCoreUpdate(target, options, update.slug);
    if (update.type !== "extension")
      throw new ConnectorError("a Joomla site has extensions, not plugins and themes");
    return applyJoomlaUpdate(target, options, update.slug);
  }
  if (update.type === "extension")
    throw new ConnectorError("a WordPress site has plugins and themes");
  return applyUpdate(target, options, { type: update.type, slug: update.slug });
}

/** The name of the site's core, in words. */
export const coreName = (kind: CmsKind) => (kind === "joomla" ? "Joomla" : "WordPress");

/** How an update of an extension of this type is asked for: WordPress's plugin or theme, or a Joomla extension. */
export const updateTypeOf = (kind: CmsKind, type: CmsExtension["type"]): SiteUpdate["type"] =>
  kind === "wordpress" && (type === "plugin" || type === "theme") ? type : "extension";
