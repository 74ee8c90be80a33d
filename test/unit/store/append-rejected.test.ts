import type { Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import type { AppendPlan } from '../../../src/store/calving.ts';
import { AppendRejected } from '../../../src/store/errors.ts';
import { appendToStream } from '../../../src/store/requests.ts';
import { isPermanentFailure } from '../../../src/streams/index.ts';

/** A container whose transactional batch fails once on operation `at` with `status`, or throws `thrown`. */
function containerRefusing(answer: { status: number; at: number } | { thrown: number }) {
  let calls = 0;
  const container = {
    items: {
      async batch() {
        calls += 1;
        if ('thrown' in answer) throw Object.assign(new Error('Request size is too large'), { code: answer.thrown });
        const result = [0, 1].map((index) => ({ statusCode: index === answer.at ? answer.status : 424 }));
        return { result, code: 207, headers: {} };
      },
    },
  } as unknown as Container;
  return { container, calls: () => calls };
}

const plan = {
  tip: { id: '-1', p: 'Account-1', i: 3, n: 3, e: [], u: [] },
  calved: { id: '0', p: 'Account-1', i: 0, n: 3, e: [] },
} as unknown as AppendPlan;

describe('an append that Cosmos DB refuses for good', () => {
  it.each([
    [400, 0, '"-1"', 'bad request'],
    [413, 1, '"0"', 'too large'],
  ])('fails at once with a permanent AppendRejected on %i, naming the document', async (status, at, id, what) => {
    const { container, calls } = containerRefusing({ status, at });
    const append = appendToStream(container, 'Account-1', plan, '"tip"', 3n);
    await expect(append).rejects.toThrow(AppendRejected);
    await expect(append).rejects.toThrow(
      `version 3 of stream Account-1 on document ${id} with status ${status} (${what})`,
    );
    await expect(append).rejects.toSatisfy(isPermanentFailure);
    expect(calls()).toBe(1);
  });

  it('fails with a permanent AppendRejected when the whole request is refused as too large', async () => {
    const { container } = containerRefusing({ thrown: 413 });
    const append = appendToStream(container, 'Account-1', plan, '"tip"', 3n);
    await expect(append).rejects.toThrow(/status 413 \(too large\); nothing was written/);
    await expect(append).rejects.toSatisfy(isPermanentFailure);
  });

  it('reports other refusals (403) as AppendRejected without making them permanent', async () => {
    const { container } = containerRefusing({ status: 403, at: 0 });
    const append = appendToStream(container, 'Account-1', plan, '"tip"', 3n);
    await expect(append).rejects.toThrow(AppendRejected);
    await expect(append).rejects.not.toSatisfy(isPermanentFailure);
  });
});
