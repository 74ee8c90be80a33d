/** EPK ranges are hex strings compared lexicographically, spanning "" (inclusive) to "FF" (exclusive). */
export const FULL_RANGE_MIN = '';
export const FULL_RANGE_MAX = 'FF';

const DIGITS = 32;

/**
 * Where the effective partition keys of each hash version actually fall: V2 clears the top two bits of the first
 * byte (so below "40"), V1 starts with the number marker "05" and the encoded 32-bit hash ("05BF…" to "05C2").
 * Splitting inside these spans rather than inside ""–"FF" keeps both halves of a split populated.
 */
const occupiedSpan = { 1: ['05BF', '05C2'], 2: ['00', '40'] } as const;

function toNumber(epk: string): bigint {
  return epk === '' ? 0n : BigInt(`0x${epk.padEnd(DIGITS, '0').slice(0, DIGITS)}`);
}

function toEpk(value: bigint): string {
  return value.toString(16).toUpperCase().padStart(DIGITS, '0');
}

function clamp(min: string, max: string, version: 1 | 2): [bigint, bigint] {
  const [low, high] = occupiedSpan[version];
  const effectiveMin = min === FULL_RANGE_MIN || min < low ? low : min;
  const effectiveMax = max === FULL_RANGE_MAX || max > high ? high : max;
  if (effectiveMin >= effectiveMax) return [toNumber(min), max === FULL_RANGE_MAX ? 1n << 128n : toNumber(max)];
  return [toNumber(effectiveMin), toNumber(effectiveMax)];
}

/** The boundary that splits a range in two, halfway through the part of it where keys can fall. */
export function splitPoint(min: string, max: string, version: 1 | 2): string {
  const [low, high] = clamp(min, max, version);
  if (high - low < 2n) throw new Error(`The range [${min}, ${max}) is too narrow to split.`);
  return toEpk((low + high) / 2n);
}

/** Boundaries of `count` equal ranges covering the whole space: ["", b1, …, "FF"]. */
export function initialBoundaries(count: number, version: 1 | 2): string[] {
  const [low, high] = clamp(FULL_RANGE_MIN, FULL_RANGE_MAX, version);
  const boundaries = [FULL_RANGE_MIN];
  for (let i = 1; i < count; i++) boundaries.push(toEpk(low + ((high - low) * BigInt(i)) / BigInt(count)));
  boundaries.push(FULL_RANGE_MAX);
  return boundaries;
}
