import { describe, expect, it } from 'vitest';
import { createInMemoryDeadLetters } from '../../../src/streams/index.ts';
import { createConsumerScheduler } from '../../../src/summaries/index.ts';
import { balanceContract, balanceMessage } from './balance-messages.ts';

const contract = balanceContract;
const message = balanceMessage;

describe('a stream parked by an earlier run of the consumer', () => {
  it('gets the next run’s messages of that stream appended to its dead letter, after the parked ones', async () => {
    const deadLetters = createInMemoryDeadLetters();
    const options = {
      name: 'statements',
      contract,
      parking: { deadLetters, afterAttempts: 1 },
      handle: async () => {
        throw new Error('refused');
      },
      onUnreadable: () => undefined,
    };
    const first = createConsumerScheduler(options);
    await (await first.ingest('balances', '0', [message('Account-P', 1, 0), message('Account-P', 2, 1)])).handled;
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 2));

    const second = createConsumerScheduler(options);
    await (await second.ingest('balances', '0', [message('Account-P', 3, 7)])).handled;
    const [letter] = await second.parked.list();
    expect(letter?.events.map((event) => (event.data as { offset: string }).offset)).toEqual(['0', '1', '7']);
    expect(second.committable('balances', '0')).toBe(8n);
    second.close();
  });

  it('gets them appended after the parked ones even when the instance taking the partition over started earlier', async () => {
    const deadLetters = createInMemoryDeadLetters();
    const options = {
      name: 'statements',
      contract,
      parking: { deadLetters, afterAttempts: 1 },
      handle: async () => {
        throw new Error('refused');
      },
      onUnreadable: () => undefined,
    };
    const earlier = createConsumerScheduler(options);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const later = createConsumerScheduler(options);
    await (await later.ingest('balances', '0', [message('Account-P', 1, 0), message('Account-P', 2, 1)])).handled;
    later.close();
    await (await earlier.ingest('balances', '0', [message('Account-P', 3, 7)])).handled;
    const [letter] = await earlier.parked.list();
    expect(letter?.events.map((event) => (event.data as { offset: string }).offset)).toEqual(['0', '1', '7']);
    earlier.close();
  });
});
