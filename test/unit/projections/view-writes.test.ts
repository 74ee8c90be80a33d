import type { Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import type { StreamSpan } from '../../../src/core/index.ts';
import { createProjection, ViewRejected, ViewTooLarge } from '../../../src/projections/index.ts';
import { isPermanentFailure } from '../../../src/streams/index.ts';

/** A views container where no view exists yet and every create fails with `status` as Cosmos DB answers it. */
function refusingContainer(status: number, message: string): { container: Container; creates: () => number } {
  let creates = 0;
  const fail = (code: number, text: string) => Object.assign(new Error(text), { code });
  const container = {
    read: async () => ({ resource: { partitionKey: { paths: ['/id'] } } }),
    item: () => ({
      read: async () => {
        throw fail(404, 'Entity with the specified id does not exist in the system.');
      },
    }),
    items: {
      create: async () => {
        creates += 1;
        throw fail(status, `${message}\r\nActivityId: 0f6c, Request URI: /dbs/x/colls/views/docs`);
      },
    },
  };
  return { container: container as unknown as Container, creates: () => creates };
}

const span: StreamSpan = {
  stream: 'Account-1',
  index: 0n,
  events: [{ index: 0n, type: 'Opened', data: {}, meta: undefined, timestamp: new Date(0) }],
};

function projectionOver(container: Container) {
  return createProjection<{ n: number }>({
    name: 'Counts',
    version: 1,
    container,
    apply: (view, events) => ({ n: (view?.n ?? 0) + events.length }),
  });
}

describe('a view write that Cosmos DB refuses for good', () => {
  it('turns a 413 into the permanent ViewTooLarge after one attempt', async () => {
    const { container, creates } = refusingContainer(413, 'Request size is too large');
    const attempt = projectionOver(container).handle(span);
    await expect(attempt).rejects.toThrow(ViewTooLarge);
    await expect(attempt).rejects.toSatisfy(isPermanentFailure);
    expect(creates()).toBe(1);
  });

  it('turns a 400 into the permanent ViewRejected carrying the first line of Cosmos DB’s reason', async () => {
    const { container, creates } = refusingContainer(400, 'One of the specified inputs is invalid');
    const attempt = projectionOver(container).handle(span);
    await expect(attempt).rejects.toThrow(ViewRejected);
    await expect(attempt).rejects.toThrow(
      'Projection Counts cannot write view Account-1: Cosmos DB refused it as a bad request (One of the specified inputs is invalid)',
    );
    await expect(attempt).rejects.toSatisfy(isPermanentFailure);
    expect(creates()).toBe(1);
  });

  it('leaves other failures to the scheduler’s retries', async () => {
    const { container } = refusingContainer(503, 'Service unavailable');
    const attempt = projectionOver(container).handle(span);
    await expect(attempt).rejects.not.toSatisfy(isPermanentFailure);
  });
});
