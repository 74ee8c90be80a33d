import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectivePartitionKeyMultiHash, effectivePartitionKeyV2 } from '../../../src/emulator/partition-key-hash.ts';

const component = fc.oneof(fc.string(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
const key = fc.array(component, { minLength: 2, maxLength: 3 });

describe('hierarchical (MultiHash) effective partition keys', () => {
  it('are the V2 hash of each component, concatenated', () => {
    expect(effectivePartitionKeyMultiHash(['acme', 'Order-1'])).toBe(
      effectivePartitionKeyV2(['acme']) + effectivePartitionKeyV2(['Order-1']),
    );
  });

  it('fall inside the EPK range of every prefix: [prefix EPK, prefix EPK + "FF")', () => {
    fc.assert(
      fc.property(key, fc.integer({ min: 1, max: 2 }), (components, prefixLength) => {
        const prefix = components.slice(0, Math.min(prefixLength, components.length - 1));
        const full = effectivePartitionKeyMultiHash(components);
        const start = effectivePartitionKeyMultiHash(prefix);
        expect(full >= start && full < `${start}FF`).toBe(true);
      }),
    );
  });

  it('keep keys of another first component outside that prefix range', () => {
    fc.assert(
      fc.property(key, component, (components, other) => {
        fc.pre(JSON.stringify(other) !== JSON.stringify(components[0]));
        const start = effectivePartitionKeyMultiHash([other]);
        const full = effectivePartitionKeyMultiHash(components);
        expect(full >= start && full < `${start}FF`).toBe(false);
      }),
    );
  });
});
