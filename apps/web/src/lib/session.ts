// Who is signed in: GET /api/v1/me, cached by TanStack Query. A 401 means nobody.
import { queryOptions, useSuspenseQuery } from "@tanstack/react-query";
import { api, unwrap } from "./api.ts";
import { ApiError } from "./errors.ts";

export const meQuery = queryOptions({
  queryKey: ["me"],
  queryFn: async () => {
    try {
      return unwrap(await api.GET("/api/v1/me"));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  staleTime: 60_000,
});

export type Me = NonNullable<Awaited<ReturnType<typeof meQuery.queryFn & {}>>>;

/** The signed-in user, inside the signed-in part of the app (the layout guarantees one). */
export function useMe(): Me {
  const { data } = useSuspenseQuery(meQuery);
  if (!data) throw new Error("not signed in");
  return data;
}

/** Only same-site paths are followed after sign-in (no open redirects). */
export function safeRedirect(target: unknown): string {
  return typeof target === "string" && /^\/(?![/\\])/.test(target) ? target : "/";
}
