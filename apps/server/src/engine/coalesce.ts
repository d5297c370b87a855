// Calls made while a flush is on its way are carried together by the next one: a busy
// worker writes many outcomes, or sends many live events, in one statement instead of one
// each. Alone, a call waits one turn of the event loop.

/** `add(item)` settles when the flush carrying the item does (or fails with it). */
export function coalesce<T>(flush: (items: T[]) => Promise<void>): (item: T) => Promise<void> {
  let waiting: T[] = [];
  let next: Promise<void> | null = null;
  let previous: Promise<unknown> = Promise.resolve();
  return (item) => {
    waiting.push(item);
    if (!next) {
      next = previous
        .then(() => new Promise<void>((r) => setImmediate(r)))
        .then(() => {
          const items = waiting;
          waiting = [];
          next = null;
          return flush(items);
        });
      previous = next.catch(() => {});
    }
    return next;
  };
}
