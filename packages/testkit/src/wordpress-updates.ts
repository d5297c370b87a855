// A local WordPress update source: a tiny HTTP server answering what WordPress asks
// api.wordpress.org (core `version-check/1.7`, plugins and themes `update-check/1.1`) with the
// offers the test sets, and serving the offered packages (zips). The test site's mu-plugin
// sends those requests here instead (./wordpress-files.ts). Requests are recorded. Every
// plugin version ever offered stays downloadable and is listed by the plugins API
// (`plugins/info/1.2`, `plugin_information`: its `versions`), as wordpress.org's are. Core
// releases are packages made of the test site's own tree (./wordpress-core.ts), each offered
// to WordPress as api.wordpress.org offers the releases a site may move to.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type CoreRelease, coreOffer, corePackage } from "./wordpress-core.ts";

const run = promisify(execFile);

export interface PluginOffer {
  /** the plugin's file, as WordPress names it: `hello-steward/hello-steward.php` */
  file: string;
  version: string;
  /** the package's files, by path inside the zip (`hello-steward/hello-steward.php`) */
  files: Record<string, string>;
}

export interface WordPressUpdateSource {
  /** http://127.0.0.1:port */
  url: string;
  port: number;
  /** the paths WordPress asked for, in order */
  requests: string[];
  /** offers a plugin update (replacing any earlier offer for that plugin) */
  offerPlugin(offer: PluginOffer): Promise<void>;
  /** withdraws every plugin offer */
  clearPlugins(): void;
  /** the core version offered as an upgrade (null: the site's own is the latest) */
  offerCore(version: string | null): void;
  /** packages (plugins' and core's) are sent this long after they are asked for: a slow download */
  delayPackages(ms: number): void;
  /** makes a core release's package (from a WordPress tree) and lists it among the offers */
  addCoreRelease(release: CoreRelease): Promise<void>;
  stop(): Promise<void>;
}

/** Zips `files` (path → content) with the system's `zip`: a package WordPress unpacks. */
async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), "steward-wpzip-"));
  try {
    for (const [path, content] of Object.entries(files)) {
      const full = join(dir, "src", path);
      mkdirSync(join(full, ".."), { recursive: true });
      writeFileSync(full, content);
    }
    await run("zip", ["-q", "-r", join(dir, "out.zip"), "."], { cwd: join(dir, "src") });
    return readFileSync(join(dir, "out.zip"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether version `a` is newer than `b` (dotted numbers). */
function newer(a: string, b: string): boolean {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return false;
}

export async function startWordPressUpdateSource(): Promise<WordPressUpdateSource> {
  const plugins = new Map<string, { offer: PluginOffer; name: string }>();
  /** every plugin package offered, by name (`hello-steward.1.1.0.zip`) */
  const released = new Map<string, { folder: string; version: string; zip: Buffer }>();
  let core: string | null = null;
  const releases = new Map<string, Buffer>();
  const requests: string[] = [];
  let url = "";
  let packageDelay = 0;
  // with a length: WordPress's streams transport writes a chunked answer to a file undecoded
  const send = (res: ServerResponse, type: string, body: Buffer | string) =>
    res
      .writeHead(200, { "content-type": type, "content-length": Buffer.byteLength(body) })
      .end(body);
  const json = (res: ServerResponse, body: unknown) =>
    send(res, "application/json", JSON.stringify(body));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => answer(req.url ?? "/", Buffer.concat(chunks).toString("utf8"), res));
  });
  /** As api.wordpress.org: a plugin is offered only when the site runs an older version. */
  const installed = (body: string): Record<string, string> => {
    try {
      const sent = JSON.parse(new URLSearchParams(body).get("plugins") ?? "{}") as {
        plugins?: Record<string, { Version?: string }>;
      };
      return Object.fromEntries(
        Object.entries(sent.plugins ?? {}).map(([file, p]) => [file, p.Version ?? ""]),
      );
    } catch {
      return {};
    }
  };
  const answer = (target: string, body: string, res: ServerResponse) => {
    const path = target.split("?")[0] ?? "/";
    requests.push(path);
    if (path.startsWith("/core/version-check/")) {
      const current = new URL(target, url).searchParams.get("version") ?? "";
      const version = core ?? current;
      // as api.wordpress.org: the upgrade (or "latest"), then the other releases it knows
      const others = [...releases.keys()].filter((v) => v !== version);
      return json(res, {
        offers: [
          coreOffer(url, version, core ? "upgrade" : "latest"),
          ...others.map((v) => coreOffer(url, v, "autoupdate")),
        ],
        translations: [],
      });
    }
    if (path.startsWith("/plugins/update-check/")) {
      const versions = installed(body);
      const offered: Record<string, unknown> = {};
      for (const [file, { offer, name }] of plugins)
        if (versions[file] !== undefined && newer(offer.version, versions[file] ?? ""))
          offered[file] = {
            id: `w.org/plugins/${file.split("/")[0]}`,
            slug: file.split("/")[0],
            plugin: file,
            new_version: offer.version,
            url: `${url}/plugins/${file.split("/")[0]}`,
            package: `${url}/packages/${name}`,
          };
      return json(res, { plugins: offered, translations: [], no_update: {} });
    }
    if (path.startsWith("/plugins/info/1.2/")) {
      const folder = new URL(target, url).searchParams.get("request[slug]") ?? "";
      const versions = Object.fromEntries(
        [...released.entries()]
          .filter(([, p]) => p.folder === folder)
          .map(([name, p]) => [p.version, `${url}/packages/${name}`]),
      );
      if (Object.keys(versions).length === 0)
        return res
          .writeHead(404, { "content-type": "application/json" })
          .end(JSON.stringify({ error: "Plugin not found." }));
      return json(res, { name: folder, slug: folder, versions });
    }
    if (path.startsWith("/themes/update-check/"))
      return json(res, { themes: {}, translations: [], no_update: {} });
    const pkg = released.get(path.slice("/packages/".length));
    const release = /^\/packages\/wordpress-(.+)\.zip$/.exec(path)?.[1];
    const zip = pkg?.zip ?? (release === undefined ? undefined : releases.get(release));
    if (!path.startsWith("/packages/") || !zip) return res.writeHead(404).end("not found");
    setTimeout(() => send(res, "application/zip", zip), packageDelay);
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    requests,
    async offerPlugin(offer) {
      const folder = offer.file.split("/")[0] ?? offer.file;
      const name = `${folder}.${offer.version}.zip`;
      released.set(name, { folder, version: offer.version, zip: await zipOf(offer.files) });
      plugins.set(offer.file, { offer, name });
    },
    clearPlugins: () => plugins.clear(),
    delayPackages(ms) {
      packageDelay = ms;
    },
    offerCore(version) {
      core = version;
    },
    async addCoreRelease(release) {
      releases.set(release.version, await corePackage(release));
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
