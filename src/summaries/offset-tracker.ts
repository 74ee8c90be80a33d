/**
 * The low-water mark of one partition: offsets are tracked in the order they were read and settled in any order
 * (handled, passed over or parked); the offset to commit is the first one not yet settled, so a commit never passes
 * a message whose work is unfinished. Offsets are Kafka offsets or Event Hubs sequence numbers; they are kept as
 * numbers (exact up to 2^53, far past any offset a partition reaches) because a set of numbers is cheaper per
 * message than one of bigints.
 */
export class OffsetTracker {
  private readonly order: number[] = [];
  private readonly unsettled = new Set<number>();
  private head = 0;
  private last: number | undefined;

  /** Records a message read; offsets must grow (a repeated or older offset is ignored: it is already tracked). */
  track(offset: bigint | number): void {
    const at = Number(offset);
    if (this.last !== undefined && at <= this.last) return;
    this.last = at;
    this.order.push(at);
    this.unsettled.add(at);
  }

  /** The message at `offset` needs no more work; an offset not tracked (or settled before) changes nothing. */
  settle(offset: bigint | number): void {
    if (!this.unsettled.delete(Number(offset))) return;
    while (this.head < this.order.length && !this.unsettled.has(this.order[this.head]!)) this.head++;
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  /**
   * The offset to commit (Kafka's convention: the next message to read): the oldest unsettled offset, or one past
   * the newest tracked when all are settled; `undefined` before anything was tracked.
   */
  committable(): bigint | undefined {
    if (this.last === undefined) return undefined;
    return BigInt(this.head < this.order.length ? this.order[this.head]! : this.last + 1);
  }

  /** how many tracked messages still have work */
  get pending(): number {
    return this.unsettled.size;
  }
}
