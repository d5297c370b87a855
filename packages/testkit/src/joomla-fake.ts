// A strict, recording fake of a Joomla 4/5 site as Steward reaches it, on 127.0.0.1 and a random
// port: Joomla is not installable here (no Debian package; its installer needs a browser or a
// CLI run against a full tree), so its client is tested against this fake, built from Joomla's
// documented Web Services API and the routes Akeeba's Panopticon connector adds (the connector
// Steward uses for Joomla, docs/cms.md#joomla). What it checks, as Joomla does:
// - the API application at /api/index.php/v1/…: JSON:API answers (`{data, links, meta}`,
//   errors `{errors: [{title, code}]}`); `apiEnabled: false` answers 404 HTML there (the /api
//   folder blocked by .htaccess);
// - the API token in `X-Joomla-Token` or `Authorization: Bearer`: missing → 401, another → 401;
// - a user agent matching `blockUserAgent` → 403 (a WAF);
// - core `GET /v1/extensions`; the connector's `GET /v1/panopticon/core/update`,
//   `GET /v1/panopticon/extensions`, `POST /v1/panopticon/update` `{eid: [ids]}`,
//   `GET /v1/panopticon/akeebabackup/info`, and /v1/panopticon/admintools/… (joomla-fake-admintools.ts)
//   when Admin Tools is installed; 404 without the connector;
// - the core update (joomla-fake-core.ts): the connector's `POST /v1/panopticon/core/update/…`
//   (download/chunked, activate, postupdate, disable) and Joomla Update's
//   /administrator/components/com_joomlaupdate/extract.php;
// - the site's home page at `/`: `home` (status and HTML, which a test may change; the core
//   update's `afterUpdate` replaces it);
// - the Akeeba Backup JSON API v2 (joomla-fake-akeeba.ts) at /index.php?option=com_akeebabackup….
// Anything else is a 404; an API POST whose body is neither a JSON object nor a form (Joomla
// reads both) is a 400. Every request is recorded: method, path, query, credential kind (never
// its value), status.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AdminToolsState, adminToolsCall, jsonApiError } from "./joomla-fake-admintools.ts";
import { type AkeebaState, akeebaCall } from "./joomla-fake-akeeba.ts";
import { coreUpdateCall, extractCall, HOME, newCoreState } from "./joomla-fake-core.ts";
import type {
  JoomlaFake,
  JoomlaFakeExtension,
  JoomlaFakeOptions,
  JoomlaFakeRequest,
} from "./joomla-fake-types.ts";

export type { JoomlaCoreState, JoomlaHome } from "./joomla-fake-core.ts";
export type {
  JoomlaFake,
  JoomlaFakeExtension,
  JoomlaFakeOptions,
  JoomlaFakeRequest,
} from "./joomla-fake-types.ts";

type Answer = { status: number; body: unknown; type?: string };

export async function startJoomlaFake(options: JoomlaFakeOptions): Promise<JoomlaFake> {
  const extensions = options.extensions ?? [];
  const akeeba: AkeebaState = {
    secret: options.akeeba?.secret ?? "",
    profiles: options.akeeba?.profiles ?? [{ id: 1, name: "Default Backup Profile" }],
    records: [],
    steps: options.akeeba?.steps ?? 2,
    archiveBytes: options.akeeba?.archiveBytes ?? 3000,
  };
  const adminTools: AdminToolsState = {
    blocked: [],
    firewall: true,
    scans: [],
    alerts: [],
    nextFindings: [],
    tempUsers: [],
    scanSteps: 1,
  };
  const core = newCoreState(options.core);
  const home = options.home ?? { status: 200, html: HOME };
  const running = new Map<string, number>();
  const scanning = new Map<number, number>();
  const requests: JoomlaFakeRequest[] = [];
  let url = "";

  const extensionJson = (e: JoomlaFakeExtension) => ({
    type: "extensions",
    id: String(e.extension_id),
    attributes: { ...e, id: e.extension_id },
  });

  function api(
    method: string,
    parts: string[],
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): Answer {
    const path = parts.join("/");
    if (method === "GET" && path === "extensions")
      return {
        status: 200,
        body: { links: {}, data: extensions.map(extensionJson), meta: { "total-pages": 1 } },
      };
    if (parts[0] !== "panopticon" || !options.connector)
      return jsonApiError(404, "Resource not found");
    if (method === "GET" && path === "panopticon/core/update")
      return {
        status: 200,
        body: {
          data: {
            type: "coreupdate",
            id: "0",
            attributes: {
              current: core.current,
              currentStability: "stable",
              latest: core.latest,
              latestStability: "stable",
              phpVersion: "8.2.20",
              extensionAvailable: true,
              updateSiteAvailable: true,
              minimumStability: "stable",
              lastUpdateTimestamp: Math.floor(Date.now() / 1000),
            },
          },
        },
      };
    if (method === "POST" && path.startsWith("panopticon/core/update/"))
      return coreUpdateCall(core, home, parts.slice(3).join("/"), body);
    if (method === "GET" && path === "panopticon/extensions")
      return {
        status: 200,
        body: { links: {}, data: extensions.map(extensionJson), meta: { "total-pages": 1 } },
      };
    if (method === "POST" && path === "panopticon/update") {
      const eids = body.eid;
      if (!Array.isArray(eids) || eids.length === 0 || !eids.every((e) => Number.isInteger(e)))
        return jsonApiError(400, "No extensions to update");
      const data = eids.map((eid) => {
        const e = extensions.find((x) => x.extension_id === eid);
        const ok = !!e && e.new_version !== null;
        const messages = ok
          ? [{ message: `Updating ${e.name}`, type: "message" }]
          : [{ message: "No update", type: "error" }];
        if (ok) [e.version, e.new_version] = [e.new_version as string, null];
        return { type: "updates", id: String(eid), attributes: { id: eid, status: ok, messages } };
      });
      return { status: 200, body: { data } };
    }
    if (method === "GET" && path === "panopticon/akeebabackup/info") {
      const installed = options.akeeba !== undefined;
      return {
        status: 200,
        body: {
          data: {
            type: "akeebabackup",
            id: "0",
            attributes: {
              installed,
              version: installed ? "9.9.1" : null,
              api: installed ? 2 : null,
              secret: installed ? akeeba.secret : null,
              endpoints: installed
                ? { v2: [`${url}/index.php?option=com_akeebabackup&view=Api&format=raw`] }
                : null,
            },
          },
        },
      };
    }
    if (parts[1] === "admintools" && options.adminTools)
      return adminToolsCall(adminTools, scanning, method, parts.slice(2), query, body);
    return jsonApiError(404, "Resource not found");
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const u = new URL(req.url ?? "/", "http://x");
    const method = req.method ?? "GET";
    const auth =
      req.headers["x-joomla-token"] ?? req.headers.authorization?.replace(/^Bearer /, "");
    const credential = auth === undefined ? "none" : auth === options.token ? "token" : "bad";
    let body: unknown = null;
    const answer = ((): Answer => {
      if (options.blockUserAgent?.test(req.headers["user-agent"] ?? ""))
        return { status: 403, body: "<h1>403 Forbidden</h1>", type: "text/html" };
      if (u.pathname === "/index.php" && u.searchParams.get("option") === "com_akeebabackup") {
        if (!options.akeeba || u.searchParams.get("view") !== "Api" || method !== "POST")
          return { status: 404, body: "<h1>Not found</h1>", type: "text/html" };
        const form = new URLSearchParams(raw);
        body = Object.fromEntries([...form].filter(([k]) => k !== "_akeebaAuth"));
        if (u.searchParams.get("_akeebaAuth") !== akeeba.secret)
          return { status: 200, body: { status: 503, data: "Access denied" } };
        return akeebaCall(akeeba, running, form);
      }
      if (u.pathname === "/administrator/components/com_joomlaupdate/extract.php") {
        // extract.php reads $_REQUEST: the query and a form body
        const form = new URLSearchParams(u.search);
        for (const [k, v] of new URLSearchParams(raw)) form.set(k, v);
        body = Object.fromEntries([...form].filter(([k]) => k !== "password"));
        return { ...extractCall(core, form), type: "application/json" };
      }
      if (u.pathname === "/" && method === "GET")
        return { status: home.status, body: home.html, type: "text/html; charset=utf-8" };
      const m = /^\/api\/index\.php\/v1\/(.+)$/.exec(u.pathname);
      if (!m || options.apiEnabled === false)
        return { status: 404, body: "<h1>Not found</h1>", type: "text/html" };
      if (credential !== "token") return jsonApiError(401, "Forbidden");
      const form = /^application\/x-www-form-urlencoded/.test(req.headers["content-type"] ?? "");
      if (method === "POST" && form) body = Object.fromEntries(new URLSearchParams(raw));
      else if (method === "POST") {
        try {
          body = raw === "" ? {} : JSON.parse(raw);
        } catch {
          return jsonApiError(400, "Invalid JSON");
        }
        if (
          !body ||
          typeof body !== "object" ||
          Array.isArray(body) ||
          !/json/.test(req.headers["content-type"] ?? "")
        )
          return jsonApiError(400, "The body must be a JSON object");
      } else if (method !== "GET" || raw !== "") return jsonApiError(405, "Method not allowed");
      return api(
        method,
        (m[1] ?? "").split("/"),
        u.searchParams,
        (body ?? {}) as Record<string, unknown>,
      );
    })();
    requests.push({
      method,
      path: u.pathname,
      query: u.search,
      credential,
      body,
      status: answer.status,
    });
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    res.writeHead(answer.status, { "content-type": answer.type ?? "application/vnd.api+json" });
    res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url,
    requests,
    options,
    extensions,
    akeeba,
    adminTools,
    core,
    home,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
