// Operations touching the same key (a site id) run one after another on this agent; the
// panel already serializes them, this holds even if two requests slip through.
export class KeyedLock {
  private tails = new Map<string, Promise<void>>();

  async run<T>(key: string | undefined, fn: () => Promise<T>): Promise<T> {
    if (key === undefined) return fn();
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** The key of an operation's input: its `id` when it has one. */
export function lockKey(input: unknown): string | undefined {
  if (typeof input === "object" && input !== null && "id" in input) {
    const id = (input as { id: unknown }).id;
    if (typeof id === "string") return id;
  }
  return undefined;
}
