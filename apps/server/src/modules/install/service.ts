// What a new server fetches from the panel without an account (the installer, the agent's
// binary: public code) and what upgrades send: the builds of the single-file agent.
import { resolve } from "node:path";
import type { Settings } from "../../config/schema.ts";
import { notFound } from "../../lib/errors.ts";
import { installLine, panelPin, renderInstaller } from "./installer.ts";
import { distOf, findRelease, panelAgentVersion } from "./release.ts";

export interface InstallDeps {
  settings: Settings;
  publicUrl: string;
}

export function createInstallService({ settings, publicUrl }: InstallDeps) {
  const dist = () => resolve(distOf(settings));
  return {
    /** install/agent.sh with this panel's URL, TLS pin and agent version */
    installer: () =>
      renderInstaller({ panelUrl: publicUrl, pin: panelPin(settings), version: panelAgentVersion }),
    /** the one-line installer for an enrollment token */
    installLine: (token: string) =>
      installLine({ panelUrl: publicUrl, pin: panelPin(settings) }, token),
    /** the pin of the panel's TLS key, for panels with a self-signed certificate */
    pin: () => panelPin(settings),
    /** a build of the agent, for a version and an architecture; 404 without one */
    release(version: string, arch: string) {
      const found = findRelease(dist(), version, arch);
      if (!found) throw notFound(`the single-file agent ${version} for linux-${arch}`);
      return found;
    },
    /** whether the panel has a build of the agent for a version and an architecture */
    has: (version: string, arch: string) => findRelease(dist(), version, arch) !== null,
    /** the version installers and upgrades get unless told otherwise */
    version: panelAgentVersion,
  };
}

export type InstallService = ReturnType<typeof createInstallService>;
