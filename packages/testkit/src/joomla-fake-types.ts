// The shapes of the Joomla fake (joomla-fake.ts): its options, its extensions, the requests it
// records and what a test holds of it.
import type { AdminToolsState } from "./joomla-fake-admintools.ts";
import type { AkeebaProfile, AkeebaState } from "./joomla-fake-akeeba.ts";
import type { JoomlaCoreState, JoomlaHome } from "./joomla-fake-core.ts";

export interface JoomlaFakeExtension {
  extension_id: number;
  name: string;
  type:
    | "component"
    | "module"
    | "plugin"
    | "template"
    | "package"
    | "library"
    | "file"
    | "language";
  element: string;
  folder: string;
  client_id: 0 | 1;
  enabled: 0 | 1;
  version: string;
  /** the update offered, or null */
  new_version: string | null;
}

export interface JoomlaFakeOptions {
  token: string;
  core: {
    current: string;
    latest: string;
    /** the update package's bytes (default 30,000), served in chunks of `chunkBytes` (12,000) */
    packageBytes?: number;
    chunkBytes?: number;
    /** extract.php's steps (default 3) */
    extractSteps?: number;
  };
  /** the home page (default: HTTP 200, a small page with a header, text and a footer) */
  home?: JoomlaHome;
  extensions?: JoomlaFakeExtension[];
  apiEnabled?: boolean;
  connector?: boolean;
  blockUserAgent?: RegExp;
  /** Akeeba Backup Professional with the JSON API */
  akeeba?: { secret: string; profiles?: AkeebaProfile[]; steps?: number; archiveBytes?: number };
  adminTools?: boolean;
  /** milliseconds every answer waits (the benchmark's latency) */
  latencyMs?: number;
}

export interface JoomlaFakeRequest {
  method: string;
  path: string;
  query: string;
  credential: "token" | "bad" | "none";
  body: unknown;
  status: number;
}

export interface JoomlaFake {
  url: string;
  requests: JoomlaFakeRequest[];
  options: JoomlaFakeOptions;
  extensions: JoomlaFakeExtension[];
  akeeba: AkeebaState;
  adminTools: AdminToolsState;
  /** the core update's state: versions, download, update.php, extraction */
  core: JoomlaCoreState;
  /** the home page the site serves now */
  home: JoomlaHome;
  stop(): Promise<void>;
}
