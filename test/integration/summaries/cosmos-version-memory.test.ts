import { describe, expect, it } from 'vitest';
import { cosmosLastSeenVersions } from '../../../src/summaries/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';

const cosmos = useTestCosmos();

async function versionsContainer(name: string) {
  const database = await cosmos.database(name);
  const { container } = await database.containers.createIfNotExists({ id: 'versions', partitionKey: '/id' });
  return container;
}

describe('last handled summary versions in a Cosmos container', () => {
  it('remembers each stream’s version across instances, as a restarted consumer needs', async () => {
    const container = await versionsContainer('versions-restart');
    const before = cosmosLastSeenVersions(container);
    await before.set('AccountBalance:Account-1', 3n);
    await before.set('AccountBalance:Transfer/7?x#y', 12345678901234567890n);
    const after = cosmosLastSeenVersions(container);
    expect(await after.get('AccountBalance:Account-1')).toBe(3n);
    expect(await after.get('AccountBalance:Transfer/7?x#y')).toBe(12345678901234567890n);
    expect(await after.get('AccountBalance:Account-2')).toBeUndefined();
  });

  it('never moves a stream’s version back, even when a second instance with an older copy writes', async () => {
    const container = await versionsContainer('versions-monotonic');
    const one = cosmosLastSeenVersions(container);
    const two = cosmosLastSeenVersions(container);
    await one.set('C:S', 1n);
    expect(await two.get('C:S')).toBe(1n);
    await one.set('C:S', 5n);
    await two.set('C:S', 4n);
    expect(await cosmosLastSeenVersions(container).get('C:S')).toBe(5n);
    await two.set('C:S', 6n);
    expect(await cosmosLastSeenVersions(container).get('C:S')).toBe(6n);
  });

  it('keeps consumers with different prefixes apart in one container', async () => {
    const container = await versionsContainer('versions-prefix');
    await cosmosLastSeenVersions(container, { prefix: 'billing' }).set('C:S', 2n);
    expect(await cosmosLastSeenVersions(container, { prefix: 'audit' }).get('C:S')).toBeUndefined();
    expect(await cosmosLastSeenVersions(container, { prefix: 'billing' }).get('C:S')).toBe(2n);
  });
});
