import { badRequest } from './errors.ts';
import { encodeNumberV1 } from './partition-key-hash.ts';

/** EPK ranges are hex strings compared lexicographically, spanning "" (inclusive) to "FF" (exclusive). */
export const FULL_RANGE_MIN = '';
export const FULL_RANGE_MAX = 'FF';

/**
 * Ranges are split in the space where keys are spread evenly, so both halves of a split get keys:
 * - V2 keys are uniform 128-bit hashes with the top two bits cleared: positions are the EPK itself, below 0x40….
 * - V1 keys begin with the order-preserving encoding of a uniform 32-bit hash, which is not itself uniform (it
 *   encodes a double): positions are the hash values, and a boundary is the encoding of one.
 */
interface KeySpace {
  /** The position of a boundary (a range's min or max) in the uniform space. */
  position(epk: string): bigint;
  /** The boundary at a position. */
  boundary(position: bigint): string;
  readonly end: bigint;
}

const V2_DIGITS = 32;
const v2: KeySpace = {
  end: 0x40n << 120n,
  position(epk) {
    if (epk === FULL_RANGE_MIN) return 0n;
    if (epk === FULL_RANGE_MAX || epk >= '40') return this.end;
    return BigInt(`0x${epk.padEnd(V2_DIGITS, '0').slice(0, V2_DIGITS)}`);
  },
  boundary(position) {
    return position.toString(16).toUpperCase().padStart(V2_DIGITS, '0');
  },
};

const v1: KeySpace = {
  end: 1n << 32n,
  boundary(position) {
    return Buffer.from(encodeNumberV1(Number(position)))
      .toString('hex')
      .toUpperCase();
  },
  position(epk) {
    if (epk === FULL_RANGE_MIN) return 0n;
    if (epk === FULL_RANGE_MAX) return this.end;
    // The largest hash whose boundary is at or below `epk` (the encoding is order-preserving).
    let low = 0n;
    let high = this.end;
    while (low < high) {
      const mid = (low + high + 1n) / 2n;
      if (this.boundary(mid) <= epk) low = mid;
      else high = mid - 1n;
    }
    return low;
  },
};

const spaces = { 1: v1, 2: v2 } as const;

/** The boundary that splits a range in two, halfway through the keys it can hold. */
export function splitPoint(min: string, max: string, version: 1 | 2): string {
  const space = spaces[version];
  const low = space.position(min);
  const high = space.position(max);
  const middle = space.boundary((low + high) / 2n);
  if (high - low < 2n || middle <= min || (max !== FULL_RANGE_MAX && middle >= max)) {
    throw badRequest(`The range [${min}, ${max}) is too narrow to split.`);
  }
  return middle;
}

/** Boundaries of `count` ranges holding equal shares of the keys: ["", b1, …, "FF"]. */
export function initialBoundaries(count: number, version: 1 | 2): string[] {
  const space = spaces[version];
  const boundaries = [FULL_RANGE_MIN];
  for (let i = 1; i < count; i++) boundaries.push(space.boundary((space.end * BigInt(i)) / BigInt(count)));
  boundaries.push(FULL_RANGE_MAX);
  return boundaries;
}
