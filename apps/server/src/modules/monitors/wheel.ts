// A timing wheel over the monitors' next-due times: one bucket per tick (slot), so taking
// what is due costs the monitors due, not a scan of every monitor or a heap of 10,000.
export class TimingWheel {
  private readonly buckets = new Map<number, Set<string>>();
  private readonly slotOf = new Map<string, number>();
  /** the last slot taken: anything due at or before it goes into the next */
  private taken: number;

  private readonly tickMs: number;

  constructor(tickMs: number, now: number) {
    this.tickMs = tickMs;
    this.taken = Math.floor(now / tickMs) - 1;
  }

  get size() {
    return this.slotOf.size;
  }

  /**
   * Schedules `id` at `due` (replacing its place if it had one): in the first slot that starts
   * at or after it, so nothing starts early; overdue goes in the next slot.
   */
  add(id: string, due: number) {
    this.remove(id);
    const slot = Math.max(Math.ceil(due / this.tickMs), this.taken + 1);
    let bucket = this.buckets.get(slot);
    if (!bucket) {
      bucket = new Set();
      this.buckets.set(slot, bucket);
    }
    bucket.add(id);
    this.slotOf.set(id, slot);
  }

  remove(id: string) {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.buckets.get(slot)?.delete(id);
    this.slotOf.delete(id);
  }

  /** Takes every id due by `now`, oldest slot first. */
  takeDue(now: number): string[] {
    const until = Math.floor(now / this.tickMs);
    const out: string[] = [];
    // after a stall, walk the slots that hold something rather than every slot between
    const slots =
      until - this.taken > 64
        ? [...this.buckets.keys()].filter((s) => s <= until).sort((a, b) => a - b)
        : Array.from({ length: Math.max(0, until - this.taken) }, (_, i) => this.taken + 1 + i);
    for (const slot of slots) {
      const bucket = this.buckets.get(slot);
      if (!bucket) continue;
      for (const id of bucket) {
        out.push(id);
        this.slotOf.delete(id);
      }
      this.buckets.delete(slot);
    }
    this.taken = Math.max(this.taken, until);
    return out;
  }
}
