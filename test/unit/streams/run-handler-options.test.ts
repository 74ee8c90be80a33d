// runHandler's option groups refuse a setting put in the wrong group by name, instead of dropping it.
import type { Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import {
  InvalidOptions,
  InvalidProcessorOptions,
  InvalidSchedulerOptions,
  type RunOptions,
  runHandler,
} from '../../../src/index.ts';

const container = {} as Container;
const handler = { name: 'strict', processorName: 'strict', handle: async () => undefined };

async function refusal(options: Record<string, unknown>): Promise<unknown> {
  return runHandler(handler, { events: container, leases: container, ...options } as unknown as RunOptions).then(
    () => expect.unreachable('runHandler started'),
    (error: unknown) => error,
  );
}

describe('runHandler option groups', () => {
  it('refuses an unknown processor setting by name with InvalidProcessorOptions (an InvalidOptions)', async () => {
    const error = await refusal({ processor: { bogus: 1 } });
    expect(error).toBeInstanceOf(InvalidProcessorOptions);
    expect(error).toBeInstanceOf(InvalidOptions);
    expect((error as InvalidOptions).message).toContain('bogus');
  });

  it('refuses an unknown lease timing by name', async () => {
    const error = await refusal({ processor: { leaseTimings: { expiry: 10_000 } } });
    expect(error).toBeInstanceOf(InvalidProcessorOptions);
    expect((error as InvalidOptions).message).toContain('expiry');
  });

  it('refuses a processor setting put in the scheduler group with InvalidSchedulerOptions naming it', async () => {
    const error = await refusal({ scheduler: { pollIntervalMs: 500 } });
    expect(error).toBeInstanceOf(InvalidSchedulerOptions);
    expect(error).toBeInstanceOf(InvalidOptions);
    expect((error as InvalidOptions).message).toContain('pollIntervalMs');
  });

  it('refuses unknown keys in the scheduler retry and notYet groups', async () => {
    const retry = await refusal({ scheduler: { retry: { delayMs: 5 } } });
    expect((retry as InvalidOptions).message).toContain('delayMs');
    const notYet = await refusal({ scheduler: { notYet: { initialDelayMs: 5 } } });
    expect((notYet as InvalidOptions).message).toContain('initialDelayMs');
  });

  it('refuses an unknown parking setting, and a group key unknown to runHandler, with InvalidOptions', async () => {
    const parking = await refusal({ parking: { deadLetters: container, attempts: 3 } });
    expect(parking).toBeInstanceOf(InvalidOptions);
    expect((parking as InvalidOptions).message).toContain('attempts');
    const stray = await refusal({ maxConcurrentStreams: 4 });
    expect(stray).toBeInstanceOf(InvalidOptions);
    expect((stray as InvalidOptions).message).toContain('maxConcurrentStreams');
  });
});
