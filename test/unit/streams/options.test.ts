import { describe, expect, it } from 'vitest';
import { InvalidSchedulerOptions } from '../../../src/streams/errors.ts';
import { createStreamScheduler, type StreamSchedulerOptions } from '../../../src/streams/index.ts';

describe('scheduler options', () => {
  it('refuses broken options with InvalidSchedulerOptions listing each broken path, never a raw ZodError', () => {
    const broken = { handle: 'not a function', maxConcurrentStreams: 0, retry: { factor: 0.5 } };
    let thrown: unknown;
    try {
      createStreamScheduler(broken as unknown as StreamSchedulerOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidSchedulerOptions);
    expect(thrown).toMatchObject({ code: 'InvalidSchedulerOptions', where: 'createStreamScheduler' });
    const { problems } = thrown as InvalidSchedulerOptions;
    expect(problems).toEqual([
      expect.stringMatching(/^handle: /),
      expect.stringMatching(/^maxConcurrentStreams: /),
      expect.stringMatching(/^retry\.factor: /),
    ]);
  });
});
