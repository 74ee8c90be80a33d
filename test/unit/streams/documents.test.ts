import { describe, expect, it } from 'vitest';
import { createInMemoryDeadLetters, createStreamScheduler } from '../../../src/streams/index.ts';
import { waitUntilFailed } from '../../../src/testing/index.ts';
import { isSettled, recorder } from './support.ts';

const event = (k: number) => ({ t: '2026-01-01T00:00:00.000Z', c: 'Deposited', d: { amount: k } });
const page = (documents: Record<string, unknown>[]) => ({ leaseToken: '0', continuation: 'c', documents });

describe('the scheduler reading store documents', () => {
  it('reads batches and tips, dropping what the tip repeats', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createStreamScheduler({ handle });
    const { handled } = await scheduler.ingest(
      page([
        { id: '0', p: 'Account-1', i: 0, n: 2, e: [event(0), event(1)] },
        { id: '-1', p: 'Account-1', i: 1, n: 4, e: [event(1), event(2), event(3)], u: [] },
        { id: 'settings', theme: 'dark' },
      ]),
    );
    await handled;
    expect(versionsOf('Account-1')).toEqual([0, 1, 2, 3]);
  });

  it('holds a stream whose document is malformed instead of dropping it', async () => {
    const { handle, versionsOf } = recorder();
    const scheduler = createStreamScheduler({ handle });
    const { handled } = await scheduler.ingest(page([{ id: '0', p: 'Account-1', i: 0, n: 5, e: [event(0)] }]));
    const error = await waitUntilFailed(scheduler, 'Account-1');
    expect(error).toMatchObject({ name: 'MalformedDocument' });
    expect(await isSettled(handled)).toBe(false);
    expect(versionsOf('Account-1')).toEqual([]);
  });

  it('parks a stream whose document is malformed when parking is on', async () => {
    const deadLetters = createInMemoryDeadLetters();
    const scheduler = createStreamScheduler({ handle: async () => undefined, parking: { deadLetters } });
    const broken = { id: '0', p: 'Account-1', i: 0, n: 5, e: [event(0)] };
    await (await scheduler.ingest(page([broken]))).handled;
    const [letter] = await scheduler.parked.list();
    expect(letter).toMatchObject({ stream: 'Account-1', reason: 'malformed', error: { name: 'MalformedDocument' } });
    expect(letter?.malformed[0]?.document).toEqual(broken);
  });
});
