import { describe, expect, it } from 'vitest';
import { LruCache, scopedCache } from '../../../src/store/cache.ts';

describe('the state cache', () => {
  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.value).toBe(1);
    expect(cache.get('c')?.value).toBe(3);
  });

  it('keeps a newer value when an older one is offered', () => {
    const cache = new LruCache<number>(10);
    cache.set('a', 5);
    cache.set('a', 3, (held, offered) => held > offered);
    expect(cache.get('a')?.value).toBe(5);
  });

  it('shares one load between concurrent callers of the same key', async () => {
    const cache = new LruCache<number>(10);
    let loads = 0;
    let release: (value: number) => void = () => {};
    const load = () => {
      loads += 1;
      return new Promise<number>((resolve) => {
        release = resolve;
      });
    };
    const both = Promise.all([cache.singleFlight('a', load), cache.singleFlight('a', load)]);
    release(7);
    expect(await both).toEqual([7, 7]);
    expect(loads).toBe(1);
    await cache.singleFlight('a', async () => 8);
    expect(loads).toBe(1);
  });

  it('records when a value was read, for max-stale decisions', () => {
    let now = 1000;
    const cache = new LruCache<number>(10, () => now);
    cache.set('a', 1);
    now = 1500;
    expect(cache.get('a')?.readAt).toBe(1000);
  });

  it("scopes a shared cache by fold, so categories with different state shapes never see each other's states", () => {
    const shared = new LruCache<unknown>(10);
    const counts = { initial: 0 };
    const names = { initial: '' };
    scopedCache<number>(shared, counts).set('S-1', 42);
    expect(scopedCache<string>(shared, names).get('S-1')).toBeUndefined();
    expect(scopedCache<number>(shared, counts).get('S-1')?.value).toBe(42);
  });
});
