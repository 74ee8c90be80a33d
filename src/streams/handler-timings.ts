/** Handler latencies: the most recent `capacity` durations in a ring, percentiles computed when asked. */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(capacity = 4096) {
    this.samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    if (this.filled < this.samples.length) this.filled++;
  }

  /** p50/p95/p99 in milliseconds over the window; zeros before the first sample */
  percentiles(): { p50: number; p95: number; p99: number; samples: number } {
    if (this.filled === 0) return { p50: 0, p95: 0, p99: 0, samples: 0 };
    const sorted = this.samples.slice(0, this.filled).sort();
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), samples: this.filled };
  }
}

/** Events per second over the last `windowSeconds` whole seconds (or since the first event, if more recent). */
export class RateWindow {
  private readonly counts: Float64Array;
  private readonly seconds: Float64Array;
  private firstAt = -1;

  constructor(private readonly windowSeconds = 10) {
    this.counts = new Float64Array(windowSeconds + 1);
    this.seconds = new Float64Array(windowSeconds + 1).fill(-1);
  }

  add(count: number, nowMs: number): void {
    if (this.firstAt < 0) this.firstAt = nowMs;
    const second = Math.floor(nowMs / 1000);
    const slot = second % this.counts.length;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot]! += count;
  }

  perSecond(nowMs: number): number {
    if (this.firstAt < 0) return 0;
    const second = Math.floor(nowMs / 1000);
    let total = 0;
    for (let slot = 0; slot < this.counts.length; slot++) {
      const at = this.seconds[slot]!;
      if (at > second - this.counts.length && at <= second) total += this.counts[slot]!;
    }
    const spanMs = Math.min(Math.max(1, nowMs - this.firstAt), nowMs - (second - this.windowSeconds) * 1000);
    return (total * 1000) / spanMs;
  }
}
