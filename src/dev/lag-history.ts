/** Lag (changes not yet checkpointed, over all ranges) and events handled per second, per processor, at one moment. */
export interface LagSample {
  readonly at: number;
  readonly lag: Readonly<Record<string, number>>;
  readonly rate: Readonly<Record<string, number>>;
}

/** The last `capacity` samples, oldest first: the data behind the dashboard's charts. */
export function createLagHistory(capacity = 300) {
  const samples: LagSample[] = [];
  return {
    add(sample: LagSample) {
      samples.push(sample);
      if (samples.length > capacity) samples.splice(0, samples.length - capacity);
    },
    samples(): readonly LagSample[] {
      return samples.slice();
    },
  };
}
export type LagHistory = ReturnType<typeof createLagHistory>;
