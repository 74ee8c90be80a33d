import type { Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { feedHeads } from '../../../src/projections/catch-up.ts';
import { FeedHeadUnknown, ViewPartitionKeyMissing } from '../../../src/projections/index.ts';
import { partitionKeys } from '../../../src/projections/partition-key.ts';

describe('a views container the projection cannot use', () => {
  it('fails a write with ViewPartitionKeyMissing naming the container and its partition key path', async () => {
    const views = {
      id: 'views',
      read: async () => ({ resource: { partitionKey: { paths: ['/tenant'] } } }),
    } as unknown as Container;
    const error = await partitionKeys(views)({ id: 'Account-1', view: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ViewPartitionKeyMissing);
    expect(error).toMatchObject({ container: 'views', path: '/tenant', code: 'ViewPartitionKeyMissing' });
    expect((error as Error).message).toMatch(/partitioned by \/tenant/);
  });

  it('reads the partition key from the path the container was created with', async () => {
    const views = {
      id: 'views',
      read: async () => ({ resource: { partitionKey: { paths: ['/set'] } } }),
    } as unknown as Container;
    expect(await partitionKeys(views)({ id: 'x', set: 'balance@1' })).toBe('balance@1');
  });
});

describe('the head of the change feed', () => {
  it('is FeedHeadUnknown when the feed answers without an etag', async () => {
    const events = {
      id: 'events',
      getFeedRanges: async () => [{ minInclusive: '', maxExclusive: 'FF' }],
      items: { getChangeFeedIterator: () => ({ readNext: async () => ({ headers: {} }) }) },
    } as unknown as Container;
    const error = await feedHeads(events).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FeedHeadUnknown);
    expect(error).toMatchObject({ container: 'events' });
  });
});
