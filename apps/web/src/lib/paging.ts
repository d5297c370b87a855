// Server-side pagination with the API's cursors: the list asks for one page at a time and
// remembers the cursors it came through, so "Previous" works without offsets.
import { keepPreviousData, type UseQueryOptions, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const PAGE_SIZE = 25;

export function usePaged<T>(
  key: readonly unknown[],
  fetchPage: (cursor: string | undefined, limit: number) => Promise<Page<T>>,
  /** a number of milliseconds, or a function of the query (refresh only while it matters) */
  options: { refetchInterval?: UseQueryOptions<Page<T>>["refetchInterval"] } = {},
) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const keyText = JSON.stringify(key);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts at page one
  useEffect(() => setCursors([undefined]), [keyText]);
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: [...key, { cursor }],
    queryFn: () => fetchPage(cursor, PAGE_SIZE),
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval,
  });
  const nextCursor = query.data?.nextCursor ?? null;
  return {
    query,
    items: query.data?.items ?? [],
    page: cursors.length,
    hasPrev: cursors.length > 1,
    hasNext: nextCursor !== null,
    next: () => nextCursor && setCursors((c) => [...c, nextCursor]),
    prev: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  };
}
