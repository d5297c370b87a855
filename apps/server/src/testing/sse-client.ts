// A server-sent events client for tests: reads a stream with fetch, keeps each event with the
// time it arrived, and says when the server ended the stream.

export interface SseEvent {
  event: string;
  id?: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read event data by shape and assert on it
  data: any;
  /** Date.now() when the event arrived */
  at: number;
}

export interface SseStream {
  status: number;
  headers: Headers;
  events: SseEvent[];
  comments: string[];
  /** settles when the server ends the stream (or close() is called) */
  ended: Promise<void>;
  close(): void;
}

export async function readSse(url: string, key: string): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${key}` },
    signal: abort.signal,
  });
  return {
    status: res.status,
    headers: res.headers,
    ...collectSse(res.body ?? (async function* () {})()),
    close: () => abort.abort(),
  };
}

/**
 * Reads server-sent events from a response body (fetch's, or node:https's response), each
 * kept as it arrives; `ended` settles when the body does.
 */
export function collectSse(body: AsyncIterable<Uint8Array>) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const parse = (block: string) => {
    const event: Partial<SseEvent> & { lines: string[] } = { event: "message", lines: [] };
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) comments.push(line.slice(1).trim());
      else if (line.startsWith("event: ")) event.event = line.slice(7);
      else if (line.startsWith("id: ")) event.id = line.slice(4);
      else if (line.startsWith("data: ")) event.lines.push(line.slice(6));
    }
    if (event.lines.length)
      events.push({
        event: event.event ?? "message",
        id: event.id,
        data: JSON.parse(event.lines.join("\n")),
        at: Date.now(),
      });
  };
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let i = buffer.indexOf("\n\n"); i >= 0; i = buffer.indexOf("\n\n")) {
          parse(buffer.slice(0, i));
          buffer = buffer.slice(i + 2);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { events, comments, ended };
}

/** The events reduced to what tests compare: "state queued", "log line 1", "progress 0.5". */
export const summary = (events: SseEvent[]) =>
  events.map((e) =>
    e.event === "state"
      ? `state ${e.data.state}`
      : e.event === "log"
        ? `log ${e.data.message}`
        : e.event === "progress"
          ? `progress ${Number(e.data.progress).toFixed(2)}`
          : e.event,
  );
