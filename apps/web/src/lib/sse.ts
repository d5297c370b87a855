// Following a task live: GET /api/v1/tasks/{id}/events (server-sent events). The stream sends
// the lines written so far, the progress and the state, then live ones, and ends after a
// final state. A dropped connection is reopened after a pause, asking only for the lines
// after the last one seen; a final state closes it for good (`restart` follows again, after
// "Run now").
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Item, Schema } from "./api.ts";

export type TaskLogLine = Item<"/api/v1/tasks/{id}/logs">;
type Task = Schema<"/api/v1/tasks/{id}", "get">;

const FINAL = new Set(["succeeded", "failed", "cancelled", "deleted"]);
/** lines kept in memory; older ones are dropped (the full log stays on the server) */
export const MAX_LINES = 2000;
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 15_000];

export interface TaskEvents {
  lines: TaskLogLine[];
  /** lines dropped from the start to keep at most MAX_LINES */
  dropped: number;
  progress: { value: number; message: string | null } | null;
  /** the last state announced, "cancelling" included; null before the first */
  state: string | null;
  /** open: receiving; retrying: the connection dropped and will be reopened; ended: final state */
  status: "connecting" | "open" | "retrying" | "ended";
  /** follows the task again (after it was queued anew) */
  restart: () => void;
}

const parse = (data: string): unknown => {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
};

/** The task's live log, progress and state; the task query is refreshed as it changes. */
export function useTaskEvents(taskId: string): TaskEvents {
  const queryClient = useQueryClient();
  const [lines, setLines] = useState<TaskLogLine[]>([]);
  const [dropped, setDropped] = useState(0);
  const [progress, setProgress] = useState<TaskEvents["progress"]>(null);
  const [state, setState] = useState<string | null>(null);
  const [status, setStatus] = useState<TaskEvents["status"]>("connecting");
  const [generation, setGeneration] = useState(0);
  const lastId = useRef<string | undefined>(undefined);

  // a new task starts from nothing
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the task changes
  useEffect(() => {
    lastId.current = undefined;
    setLines([]);
    setDropped(0);
    setProgress(null);
    setState(null);
  }, [taskId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation reopens the stream
  useEffect(() => {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;
    const taskKey = ["task", taskId];

    const open = () => {
      setStatus("connecting");
      const after = lastId.current ? `?after=${encodeURIComponent(lastId.current)}` : "";
      const es = new EventSource(`/api/v1/tasks/${encodeURIComponent(taskId)}/events${after}`);
      source = es;
      es.onopen = () => {
        failures = 0;
        setStatus("open");
      };
      es.addEventListener("log", (e) => {
        const line = parse((e as MessageEvent<string>).data) as TaskLogLine | null;
        if (!line || (lastId.current && line.id <= lastId.current)) return;
        lastId.current = line.id;
        setLines((prev) => {
          const next = [...prev, line];
          if (next.length <= MAX_LINES) return next;
          setDropped((d) => d + next.length - MAX_LINES);
          return next.slice(next.length - MAX_LINES);
        });
      });
      es.addEventListener("progress", (e) => {
        const p = parse((e as MessageEvent<string>).data) as {
          progress: number;
          message: string | null;
        } | null;
        if (p && typeof p.progress === "number")
          setProgress({ value: p.progress, message: p.message });
      });
      es.addEventListener("state", (e) => {
        const s = parse((e as MessageEvent<string>).data) as {
          state: string;
          task: Task | null;
        } | null;
        if (!s) return;
        setState(s.state);
        if (s.task) queryClient.setQueryData(taskKey, s.task);
        if (s.state === "queued") setProgress(null);
        if (FINAL.has(s.state)) {
          // the server ends the stream here; without closing, EventSource would reconnect
          stopped = true;
          es.close();
          setStatus("ended");
          void queryClient.invalidateQueries({ queryKey: taskKey });
          void queryClient.invalidateQueries({ queryKey: ["tasks"] });
        }
      });
      es.onerror = () => {
        // EventSource would reconnect without ?after=: reopen ourselves, after a pause
        es.close();
        if (stopped) return;
        setStatus("retrying");
        const wait = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)] ?? 15_000;
        failures++;
        timer = setTimeout(() => {
          if (!stopped) {
            void queryClient.invalidateQueries({ queryKey: taskKey });
            open();
          }
        }, wait);
      };
    };

    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [taskId, generation, queryClient]);

  const restart = useCallback(() => setGeneration((g) => g + 1), []);
  return { lines, dropped, progress, state, status, restart };
}
