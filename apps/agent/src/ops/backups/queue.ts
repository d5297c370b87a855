// Bytes waiting to be cut into fixed-size pieces, without copying them.
export class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    this.length += chunk.length;
  }

  /** Puts bytes taken too early back in front. */
  unshift(chunk: Buffer): void {
    this.parts.unshift(chunk);
    this.length += chunk.length;
  }

  /** The first `count` bytes (count ≤ length) as the pieces they came in (views, no copy). */
  takeParts(count: number): Buffer[] {
    const out: Buffer[] = [];
    let taken = 0;
    while (taken < count) {
      const head = this.parts[0] as Buffer;
      const used = Math.min(head.length, count - taken);
      out.push(used === head.length ? head : head.subarray(0, used));
      taken += used;
      if (used === head.length) this.parts.shift();
      else this.parts[0] = head.subarray(used);
    }
    this.length -= count;
    return out;
  }

  /** The first `count` bytes (count ≤ length) in one buffer, removed from the queue. */
  take(count: number): Buffer {
    const parts = this.takeParts(count);
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, count);
  }
}
