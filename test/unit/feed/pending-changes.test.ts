import { describe, expect, it } from 'vitest';
import { newestLsnOf } from '../../../src/feed/index.ts';

describe('the newest LSN of a range, from a change-feed response’s session token', () => {
  it('reads the LSN after the version, in single- and multi-region tokens', () => {
    expect(newestLsnOf('0:-1#123')).toBe(123);
    expect(newestLsnOf('3:5#987#1=980#2=975')).toBe(987);
  });

  it('gives undefined for a missing or unreadable token, so the estimate falls back to one pending change', () => {
    expect(newestLsnOf(undefined)).toBeUndefined();
    expect(newestLsnOf('0:-1')).toBeUndefined();
    expect(newestLsnOf('garbage')).toBeUndefined();
  });
});
