import { describe, expect, it } from 'vitest';
import { effectivePartitionKey } from '../../../src/emulator/index.ts';
import { murmurHash3x86_32 } from '../../../src/emulator/murmur-hash.ts';
import { initialBoundaries, splitPoint } from '../../../src/emulator/ranges.ts';

describe('effective partition key hashing', () => {
  it('hashes the string "A" with V2 (MurmurHash3 x64-128) to the value Cosmos DB uses', () => {
    expect(effectivePartitionKey(['A'], 2)).toBe('14F53A0810CE6727EB1CD722D321216F');
  });

  it('hashes the string "A" with V1 (MurmurHash3 x86-32) to the value Cosmos DB uses', () => {
    expect(effectivePartitionKey(['A'], 1)).toBe('05C1ED4B21E306084200');
  });

  it('hashes the number 1 with V2 to the value Cosmos DB uses', () => {
    expect(effectivePartitionKey([1], 2)).toBe('20CD98B339BA78A5D0CF6953B87070B0');
  });

  it('keeps V2 keys below "40" because the top two bits are cleared', () => {
    for (const value of ['Account-1', 'Order-2', '', 'ü€😀', 3.14, true, false, null, undefined]) {
      const epk = effectivePartitionKey([value], 2);
      expect(epk).toMatch(/^[0-3][0-9A-F]{31}$/);
    }
  });

  it('distinguishes null from a missing partition key', () => {
    expect(effectivePartitionKey([null], 2)).not.toBe(effectivePartitionKey([undefined], 2));
  });

  it('implements MurmurHash3 x86-32 (seed 0) as published', () => {
    expect(murmurHash3x86_32(new Uint8Array())).toBe(0);
    expect(murmurHash3x86_32(new TextEncoder().encode('hello'))).toBe(0x248bfa47);
  });
});

describe('partition key ranges', () => {
  it('divides the occupied V2 hash space into equal initial ranges from "" to "FF"', () => {
    const boundaries = initialBoundaries(4, 2);
    expect(boundaries[0]).toBe('');
    expect(boundaries[4]).toBe('FF');
    expect(boundaries.slice(1, 4)).toEqual([
      '10000000000000000000000000000000',
      '20000000000000000000000000000000',
      '30000000000000000000000000000000',
    ]);
  });

  it('splits a range at a point strictly inside it', () => {
    const middle = splitPoint('10000000000000000000000000000000', '20000000000000000000000000000000', 2);
    expect(middle).toBe('18000000000000000000000000000000');
    const whole = splitPoint('', 'FF', 2);
    expect(whole > '' && whole < 'FF').toBe(true);
  });

  it('splits the whole key space so that both halves receive keys, for hash V1 and V2', () => {
    for (const version of [1, 2] as const) {
      const middle = splitPoint('', 'FF', version);
      const keys = Array.from({ length: 200 }, (_, i) => effectivePartitionKey([`Stream-${i}`], version));
      const low = keys.filter((epk) => epk < middle).length;
      expect(low).toBeGreaterThan(50);
      expect(low).toBeLessThan(150);
    }
  });
});
