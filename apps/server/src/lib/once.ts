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
