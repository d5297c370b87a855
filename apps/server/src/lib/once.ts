/** A value made on first use: `once(make)()` calls make the first time only. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/** An object whose properties are made on first read, each by its function, once. */
export function lazily<T extends Record<string, () => unknown>>(
  makers: T,
): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const made = {};
  for (const [key, make] of Object.entries(makers))
    Object.defineProperty(made, key, { get: once(make), enumerable: true });
  return made as { readonly [K in keyof T]: ReturnType<T[K]> };
}

/**
 * Calls with the same key while one is on its way share its answer (or its error); the next
 * call after it settles runs again. Readers arriving together cost one read, whose answer
 * is at most that read old: a node's engine listed for ten users at once is listed once.
 */
export function sharedWhileRunning<T>(
  run: (key: string) => Promise<T>,
): (key: string) => Promise<T> {
  const running = new Map<string, Promise<T>>();
  return (key) => {
    let answer = running.get(key);
    if (!answer) {
      answer = run(key).finally(() => running.delete(key));
      running.set(key, answer);
    }
    return answer;
  };
}
