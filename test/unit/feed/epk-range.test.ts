import { describe, expect, it } from 'vitest';
import { EpkRange } from '../../../src/feed/index.ts';

const range = (minInclusive: string, maxExclusive: string): EpkRange => ({ minInclusive, maxExclusive });
const quarters = [range('', '3F'), range('3F', '7F'), range('7F', 'BF'), range('BF', 'FF')];

describe('EPK coverage of leases', () => {
  it('asks for a lease per feed range when there are none', () => {
    expect(EpkRange.uncovered(quarters, [])).toEqual(quarters);
  });

  it('creates no lease for the children of a split range whose parent already has one', () => {
    const children = [range('', '1F'), range('1F', '3F'), ...quarters.slice(1)];
    expect(EpkRange.uncovered(children, quarters)).toEqual([]);
  });

  it('covers only the EPK space that no lease holds', () => {
    const leases = [range('', '3F'), range('7F', 'BF')];
    expect(EpkRange.uncovered(quarters, leases)).toEqual([range('3F', '7F'), range('BF', 'FF')]);
  });

  it('yields the uncovered remainder of a range that a lease covers only in part', () => {
    expect(EpkRange.uncovered([range('', 'FF')], [range('3F', '7F')])).toEqual([range('', '3F'), range('7F', 'FF')]);
  });

  it('finds the new leases that overlap existing ones, as a parent range created beside its split children does', () => {
    const children = [range('', '1F'), range('1F', '3F')];
    expect(EpkRange.overlapping([range('', '3F'), range('3F', '7F')], children)).toEqual([range('', '3F')]);
    expect(EpkRange.overlapping(children, [range('', '3F')])).toEqual(children);
    expect(EpkRange.overlapping(quarters.slice(1), [range('', '3F')])).toEqual([]);
  });
});
