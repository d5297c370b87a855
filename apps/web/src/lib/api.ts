// The typed API client: types come from the server's OpenAPI document (api-schema.ts,
// generated). Every call goes through `unwrap`, which turns the API's error shape into an
// ApiError, and a 401 anywhere tells the app that the session has ended. better-auth's
// /api/auth/* endpoints (outside the document) are called in lib/auth.ts.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./api-schema.ts";
import { ApiError, type ApiErrorBody } from "./errors.ts";

type Listener = () => void;
const sessionEndedListeners = new Set<Listener>();

/** Called when the API answers 401 to a signed-in request (the session expired or ended). */
export function onSessionEnded(listener: Listener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

export function notifySessionEnded() {
  for (const l of sessionEndedListeners) l();
}

const sessionWatch: Middleware = {
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.includes("/api/auth/")) notifySessionEnded();
    return undefined;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(sessionWatch);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer, or throws the API's error as an ApiError. */
export function unwrap<T>(result: FetchResult<T>): Exclude<T, undefined> {
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(result.response.status, result.error as Partial<ApiErrorBody>);
  }
  return result.data as Exclude<T, undefined>;
}

/** Schema types by path, for components: `Schema<"/api/v1/users", "get">` is a page of users. */
export type Schema<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer R } } };
}
  ? R
  : paths[P][M] extends { responses: { 201: { content: { "application/json": infer R } } } }
    ? R
    : never;

/** Items of a paginated list endpoint. */
export type Item<P extends keyof paths> =
  Schema<P, "get" & keyof paths[P]> extends {
    items: (infer I)[];
  }
    ? I
    : never;

/** The `sort` values of a list endpoint (`"name" | "-name" | …`). */
export type SortOf<P extends keyof paths> = paths[P] extends {
  get: { parameters: { query?: { sort?: infer S } } };
}
  ? NonNullable<S>
  : never;
