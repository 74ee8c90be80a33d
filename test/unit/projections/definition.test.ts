import type { Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { InvalidOptions } from '../../../src/core/index.ts';
import { createProjection, InvalidProjection, runProjection } from '../../../src/projections/index.ts';

const container = { id: 'views' } as unknown as Container;
const apply = (view: { n: number } | undefined) => ({ n: (view?.n ?? 0) + 1 });

function refusal(definition: unknown): InvalidProjection {
  try {
    createProjection(definition as Parameters<typeof createProjection>[0]);
  } catch (error) {
    if (error instanceof InvalidProjection) return error;
    throw error;
  }
  throw new Error('createProjection accepted the definition');
}

describe('a projection definition', () => {
  it('is refused with InvalidProjection (an InvalidOptions) listing every broken field', () => {
    const error = refusal({ name: '1st', version: 0, container, apply, cachedViews: -1 });
    expect(error).toBeInstanceOf(InvalidOptions);
    expect(error.code).toBe('InvalidProjection');
    expect(error.where).toBe('createProjection("1st")');
    expect(error.problems.map((problem) => problem.split(':')[0])).toEqual(['name', 'version', 'cachedViews']);
    expect(error.message).toMatch(/name: must start with a letter/);
    expect(error.message).toMatch(/version: expected an integer ≥ 1/);
  });

  it('needs apply and a container', () => {
    const error = refusal({ name: 'balances', version: 1 });
    expect(error.problems.map((problem) => problem.split(':')[0])).toEqual(['container', 'apply']);
  });

  it('fills in the defaults and keeps its name, version and processor name', () => {
    const projection = createProjection({ name: 'balances', version: 3, container, apply });
    expect(projection).toMatchObject({
      name: 'balances',
      version: 3,
      processorName: expect.stringContaining('balances'),
    });
  });

  it('runs only with switch-over options that fit their schema, refused before anything is read', async () => {
    const projection = createProjection({ name: 'balances', version: 1, container, apply });
    const events = { id: 'events' } as unknown as Container;
    const run = runProjection(projection, { events, leases: events, switchOver: { checkEveryMs: 0 } });
    await expect(run).rejects.toBeInstanceOf(InvalidProjection);
    await expect(run).rejects.toThrow(/runProjection\(balances\): switchOver/);
  });
});
