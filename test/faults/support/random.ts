/** A small seeded PRNG (mulberry32): fault schedules are random but reproducible from the printed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of this run: TRIBUTARY_FAULT_SEED when set (to replay a failure), else a fresh one. */
export function runSeed(): number {
  const fixed = Number(process.env.TRIBUTARY_FAULT_SEED);
  return Number.isInteger(fixed) && fixed > 0 ? fixed : Math.floor(Math.random() * 2 ** 31) + 1;
}
