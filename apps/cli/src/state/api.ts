// The panel's REST API as `steward state` uses it: the CLI is a client like the console, so
// access control, validation and audit are the panel's own. The panel's URL comes from
// --panel or STEWARD_PANEL_URL, the API key from STEWARD_API_KEY only (never a flag: it
// would show in the process list).
import { UsageError } from "../context.ts";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** the first field the panel named, when it named one */
  readonly field: string | undefined;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  /** every item of a list, following its cursor */
  all<T>(path: string): Promise<T[]>;
  send<T>(method: "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T>;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { field: string; message: string }[] };
}

export function apiFrom(panel: string | undefined, env = process.env): Api {
  const base = panel ?? env.STEWARD_PANEL_URL;
  if (!base) throw new UsageError("--panel: give the panel's URL (or STEWARD_PANEL_URL)");
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UsageError("--panel: must be an http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new UsageError("--panel: must be an http(s) URL");
  const key = env.STEWARD_API_KEY;
  if (!key) throw new UsageError("STEWARD_API_KEY: give an API key (steward apikey create)");
  const origin = url.origin;

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${origin}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: "error",
      });
    } catch (e) {
      throw new ApiError(0, "UNREACHABLE", `cannot reach ${origin}: ${(e as Error).message}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new ApiError(res.status, `HTTP_${res.status}`, `${origin} did not answer JSON`);
    }
    if (res.ok) return json as T;
    const err = (json as ErrorBody | undefined)?.error;
    const detail = err?.details?.[0];
    const message = detail?.message ?? err?.message ?? res.statusText;
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, message, detail?.field);
  }

  return {
    get: (path) => request("GET", path),
    async all<T>(path: string) {
      const items: T[] = [];
      const sep = path.includes("?") ? "&" : "?";
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
        const page: { items: T[]; nextCursor?: string | null } = await request(
          "GET",
          `${path}${sep}limit=200${query}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor ?? null;
      } while (cursor);
      return items;
    },
    send: (method, path, body) => request(method, path, body),
  };
}
