interface CountAt {
  readonly at: number;
  readonly count: number;
}

/**
 * Events per second over a sliding window, from a cumulative count sampled now and then. A window (default 5 s)
 * rather than the last interval keeps the number readable when samples are a second apart.
 */
export function createThroughputMeter(windowMs = 5000) {
  const points: CountAt[] = [];
  return {
    record(at: number, count: number) {
      points.push({ at, count });
      while (points.length > 2 && points[1]!.at <= at - windowMs) points.shift();
    },
    perSecond(): number {
      const first = points[0];
      const last = points.at(-1);
      if (!first || !last || last.at <= first.at) return 0;
      return ((last.count - first.count) * 1000) / (last.at - first.at);
    },
  };
}
export type ThroughputMeter = ReturnType<typeof createThroughputMeter>;
