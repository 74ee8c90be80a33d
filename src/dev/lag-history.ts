/** Lag of every (processor, range) at one moment; keys are `processor/range`. */
export interface LagSample {
  readonly at: number;
  readonly lag: Readonly<Record<string, number>>;
}

/** The last `capacity` lag samples, oldest first: the data behind the dashboard's chart. */
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
