// One record by id for its page (an account, a group, a user, a node), under the query key
// [kind, id] that the page's mutations invalidate.
import { useQuery } from "@tanstack/react-query";
import { api, type Schema, unwrap } from "../lib/api.ts";

const PATHS = {
  account: "/api/v1/accounts/{id}",
  group: "/api/v1/groups/{id}",
  user: "/api/v1/users/{id}",
  node: "/api/v1/nodes/{id}",
} as const;

interface Records {
  account: Schema<typeof PATHS.account, "get">;
  group: Schema<typeof PATHS.group, "get">;
  user: Schema<typeof PATHS.user, "get">;
  node: Schema<typeof PATHS.node, "get">;
}

/** The record, refetched every `refetchInterval` ms when given. */
export function useRecord<K extends keyof Records>(kind: K, id: string, refetchInterval?: number) {
  return useQuery({
    queryKey: [kind, id],
    queryFn: async (): Promise<Records[K]> => {
      // every path takes the record's id alone: one call shape serves them all
      const path = PATHS[kind] as typeof PATHS.account;
      return unwrap(await api.GET(path, { params: { path: { id } } })) as Records[K];
    },
    refetchInterval,
  });
}
