import type { Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { AppendUnavailable } from '../../../src/store/batch-retry.ts';
import type { AppendPlan } from '../../../src/store/calving.ts';
import { WrongExpectedVersion } from '../../../src/store/errors.ts';
import { appendToStream } from '../../../src/store/requests.ts';

/** A container whose transactional batch answers the given statuses for the tip operation, one per call. */
function containerAnswering(statuses: number[]) {
  const calls: number[] = [];
  const container = {
    items: {
      async batch() {
        const status = statuses[calls.length] ?? 200;
        calls.push(status);
        const result =
          status < 400
            ? [{ statusCode: status, requestCharge: 1, eTag: '"tip-2"' }]
            : [
                { statusCode: status, requestCharge: 1 },
                { statusCode: 424, requestCharge: 0 },
              ];
        return { result, code: status < 400 ? 200 : 207, headers: {} };
      },
    },
  } as unknown as Container;
  return { container, calls };
}

const plan = { tip: { id: '-1', p: 'Account-1', i: 0, n: 1, e: [], u: [] } } as unknown as AppendPlan;
const quick = { maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 2 };

describe('an append whose transactional batch fails on one operation', () => {
  it.each([429, 449, 408, 503])('sends the batch again after a %i on the operation', async (status) => {
    const { container, calls } = containerAnswering([status, status]);
    await expect(appendToStream(container, 'Account-1', plan, '"tip-1"', 0n, quick)).resolves.toBe('"tip-2"');
    expect(calls).toEqual([status, status, 200]);
  });

  it('throws AppendUnavailable once the attempts run out', async () => {
    const { container, calls } = containerAnswering([429, 429, 429, 429, 429]);
    const failure = appendToStream(container, 'Account-1', plan, '"tip-1"', 0n, quick);
    await expect(failure).rejects.toBeInstanceOf(AppendUnavailable);
    await expect(failure).rejects.toThrow(/Account-1 failed 4 times .*last: 429/);
    expect(calls).toHaveLength(4);
  });

  it('does not retry a conflict or a permanent failure', async () => {
    const conflict = containerAnswering([412]);
    await expect(appendToStream(conflict.container, 'Account-1', plan, '"tip-1"', 0n, quick)).rejects.toBeInstanceOf(
      WrongExpectedVersion,
    );
    const tooLarge = containerAnswering([413]);
    await expect(appendToStream(tooLarge.container, 'Account-1', plan, '"tip-1"', 0n, quick)).rejects.toThrow(
      'status 413',
    );
    expect([conflict.calls, tooLarge.calls]).toEqual([[412], [413]]);
  });
});
