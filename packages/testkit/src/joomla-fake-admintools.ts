// The Admin Tools Professional half of the Joomla fake (joomla-fake.ts), the routes Panopticon's
// connector adds under /api/index.php/v1/panopticon/admintools/: unblock IPs, disable and
// re-enable the firewall plugin, a temporary Super User, and the PHP File Change Scanner (start,
// step until done, scans, the alerts of a scan, one alert). JSON:API answers.

export interface ScanAlert {
  id: number;
  scan_id: number;
  path: string;
  /** "new", "modified" */
  status: "new" | "modified";
  threat_score: number;
  acknowledged: number;
  diff: string;
}

export interface Scan {
  id: number;
  scanstart: string;
  scanend: string | null;
  status: "run" | "complete";
  files_new: number;
  files_modified: number;
  totalfiles: number;
}

export interface AdminToolsState {
  blocked: string[];
  firewall: boolean;
  scans: Scan[];
  alerts: ScanAlert[];
  /** what the next scan finds */
  nextFindings: Omit<ScanAlert, "id" | "scan_id" | "acknowledged">[];
  tempUsers: { id: number; username: string; expiration: string }[];
  /** steps a scan takes after start (default 1) */
  scanSteps: number;
}

type Answer = { status: number; body: unknown };
const one = (type: string, id: number | string, attributes: unknown): Answer => ({
  status: 200,
  body: { links: {}, data: { type, id: String(id), attributes } },
});
export const jsonApiError = (status: number, title: string): Answer => ({
  status,
  body: { errors: [{ title, code: status }] },
});
const page = (type: string, items: { id: number }[], query: URLSearchParams): Answer => {
  const offset = Number(query.get("page[offset]") ?? 0);
  const limit = Number(query.get("page[limit]") ?? 20);
  if (!Number.isInteger(offset) || !Number.isInteger(limit) || offset < 0 || limit < 1)
    return jsonApiError(400, "Bad page parameters");
  return {
    status: 200,
    body: {
      links: {},
      data: items
        .slice(offset, offset + limit)
        .map((i) => ({ type, id: String(i.id), attributes: i })),
      meta: { "total-pages": Math.max(1, Math.ceil(items.length / limit)) },
    },
  };
};

const IP = /^(?:\d{1,3}\.){3}\d{1,3}$|^[0-9a-f:]{2,39}$/i;

export function adminToolsCall(
  state: AdminToolsState,
  scanning: Map<number, number>,
  method: string,
  parts: string[],
  query: URLSearchParams,
  body: Record<string, unknown>,
): Answer {
  const path = parts.join("/");
  if (method === "POST" && path === "unblock") {
    const ips = body.ip;
    if (
      !Array.isArray(ips) ||
      ips.length === 0 ||
      !ips.every((i) => typeof i === "string" && IP.test(i))
    )
      return jsonApiError(400, "Invalid IP address");
    state.blocked = state.blocked.filter((b) => !ips.includes(b));
    return one("admintools", 0, { unblocked: ips });
  }
  if (method === "POST" && (path === "plugin/disable" || path === "plugin/enable")) {
    state.firewall = path === "plugin/enable";
    return one("admintools", 0, { renamed: !state.firewall, name: "plg_system_admintools" });
  }
  if (method === "POST" && path === "tempsuperuser") {
    const expiration = body.expiration;
    if (typeof expiration !== "string" || Number.isNaN(Date.parse(expiration)))
      return jsonApiError(400, "Invalid expiration");
    const id = 900 + state.tempUsers.length;
    const username = `temp-su-${id}`;
    state.tempUsers.push({ id, username, expiration });
    return one("admintools", id, {
      user_id: id,
      username,
      password: `pw-${id}-${Buffer.from(username).toString("hex")}`,
      expiration,
    });
  }
  if (method === "POST" && path === "scanner/start") {
    const id = state.scans.length + 1;
    state.scans.push({
      id,
      scanstart: new Date().toISOString(),
      scanend: null,
      status: "run",
      files_new: 0,
      files_modified: 0,
      totalfiles: 0,
    });
    scanning.set(id, state.scanSteps);
    return one("scans", id, { id, done: false, status: "run" });
  }
  if (method === "POST" && path === "scanner/step") {
    const [id, left] = [...scanning.entries()][0] ?? [];
    if (id === undefined || left === undefined) return jsonApiError(400, "No scan is running");
    if (left > 1) {
      scanning.set(id, left - 1);
      return one("scans", id, { id, done: false, status: "run" });
    }
    scanning.delete(id);
    const scan = state.scans.find((s) => s.id === id) as Scan;
    for (const f of state.nextFindings)
      state.alerts.push({ ...f, id: state.alerts.length + 1, scan_id: id, acknowledged: 0 });
    Object.assign(scan, {
      status: "complete",
      scanend: new Date().toISOString(),
      files_new: state.nextFindings.filter((f) => f.status === "new").length,
      files_modified: state.nextFindings.filter((f) => f.status === "modified").length,
      totalfiles: 1200,
    });
    state.nextFindings = [];
    return one("scans", id, { id, done: true, status: "complete" });
  }
  if (method === "GET" && path === "scans") return page("scans", [...state.scans].reverse(), query);
  if (
    method === "GET" &&
    parts.length === 2 &&
    parts[0] === "scan" &&
    /^\d+$/.test(parts[1] ?? "")
  ) {
    const id = Number(parts[1]);
    if (!state.scans.some((s) => s.id === id)) return jsonApiError(404, "Scan not found");
    return page(
      "scanalerts",
      state.alerts.filter((a) => a.scan_id === id),
      query,
    );
  }
  if (
    method === "GET" &&
    parts.length === 2 &&
    parts[0] === "scanalert" &&
    /^\d+$/.test(parts[1] ?? "")
  ) {
    const alert = state.alerts.find((a) => a.id === Number(parts[1]));
    return alert ? one("scanalerts", alert.id, alert) : jsonApiError(404, "Scan alert not found");
  }
  return jsonApiError(404, "Resource not found");
}
