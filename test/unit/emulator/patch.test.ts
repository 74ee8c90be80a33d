import { describe, expect, it } from 'vitest';
import { CosmosError } from '../../../src/emulator/errors.ts';
import { applyPatch } from '../../../src/emulator/patch.ts';

describe('partial document update (patch)', () => {
  it('sets, replaces, increments and removes properties', () => {
    const patched = applyPatch({ a: 1, b: 'x', n: 5, gone: true }, [
      { op: 'set', path: '/a', value: 2 },
      { op: 'replace', path: '/b', value: 'y' },
      { op: 'incr', path: '/n', value: -2 },
      { op: 'incr', path: '/fresh', value: 3 },
      { op: 'remove', path: '/gone' },
    ]);
    expect(patched).toEqual({ a: 2, b: 'y', n: 3, fresh: 3 });
  });

  it('adds into arrays at an index or at the end, and moves values', () => {
    const patched = applyPatch({ list: [1, 3], from: 'v' }, [
      { op: 'add', path: '/list/1', value: 2 },
      { op: 'add', path: '/list/-', value: 4 },
      { op: 'move', from: '/from', path: '/to' },
    ]);
    expect(patched).toEqual({ list: [1, 2, 3, 4], to: 'v' });
  });

  it('writes nested paths without touching the original document', () => {
    const original = { nested: { deep: { value: 1 } } };
    const patched = applyPatch(original, [{ op: 'set', path: '/nested/deep/value', value: 2 }]);
    expect(patched).toEqual({ nested: { deep: { value: 2 } } });
    expect(original).toEqual({ nested: { deep: { value: 1 } } });
  });

  it('refuses to replace or remove a path that does not exist', () => {
    expect(() => applyPatch({}, [{ op: 'replace', path: '/missing', value: 1 }])).toThrow(CosmosError);
    expect(() => applyPatch({}, [{ op: 'remove', path: '/missing' }])).toThrow(CosmosError);
    expect(() => applyPatch({ s: 'text' }, [{ op: 'incr', path: '/s', value: 1 }])).toThrow(CosmosError);
  });
});
