// Bytes waiting to be cut into fixed-size pieces, without copying them more than once.
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

  /** The first `count` bytes (count ≤ length), removed from the queue. */
  take(count: number): Buffer {
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const head = this.parts[0] as Buffer;
      const used = Math.min(head.length, count - filled);
      head.copy(out, filled, 0, used);
      filled += used;
      if (used === head.length) this.parts.shift();
      else this.parts[0] = head.subarray(used);
    }
    this.length -= count;
    return out;
  }
}
