import { describe, expect, it } from 'vitest';
import { createChangeFeedProcessor, estimateLag } from '../../../src/feed/index.ts';
import { createStreamScheduler, type StreamHandler } from '../../../src/streams/index.ts';
import { waitUntilFailed } from '../../../src/testing/index.ts';
import { useTestCosmos } from '../../support/use-test-cosmos.ts';
import { createLedger, createWriter, fastTimings, feedContainers, streamNames, waitUntil } from './fixtures.ts';

const cosmos = useTestCosmos({ partitions: 4 });

describe('the processor feeding the stream scheduler', () => {
  it('holds the checkpoint of the range whose stream keeps failing while the other ranges move on, and nothing is skipped once it heals', async () => {
    const { events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    const streams = streamNames(16);
    await writer.appendToAll(streams, 3);
    const ledger = createLedger();
    let failing = true;
    const handle: StreamHandler = async (span) => {
      if (failing && span.stream === 'Account-3') throw new Error('the mail server is down');
      for (const event of span.events) ledger.apply(span.stream, Number(event.index));
      return undefined;
    };
    const run = () => {
      const scheduler = createStreamScheduler({
        name: 'mailer',
        handle,
        retry: { initialDelayMs: 10, maxDelayMs: 50 },
      });
      const processor = createChangeFeedProcessor({
        name: 'mailer',
        monitored: events,
        leases,
        sink: scheduler,
        drainTimeoutMs: 200,
        ...fastTimings,
      });
      return { scheduler, processor };
    };

    const first = run();
    await first.processor.start();
    const healthy = new Map([...writer.next].filter(([stream]) => stream !== 'Account-3'));
    await waitUntil('every healthy stream is handled', () => ledger.caughtUpWith(healthy));
    await waitUntil('the checkpoints of the healthy ranges have caught up', async () => {
      const lag = await estimateLag({ monitored: events, leases, name: 'mailer' });
      return lag.filter((range) => range.pendingChanges > 0).length === 1;
    });
    await first.processor.stop();
    first.scheduler.close();
    expect(ledger.positions.get('Account-3')).toBeUndefined();

    failing = false;
    const second = run();
    await second.processor.start();
    await waitUntil('every stream is handled', () => ledger.caughtUpWith(writer.next));
    await second.processor.stop();
    second.scheduler.close();
    expect(ledger.gaps).toEqual([]);
  });

  it('stops within moments while a stream keeps failing, without waiting out the drain timeout', async () => {
    const { events, leases } = await feedContainers(cosmos);
    const writer = createWriter(events);
    const streams = streamNames(8);
    await writer.appendToAll(streams, 2);
    const ledger = createLedger();
    const scheduler = createStreamScheduler({
      name: 'stopper',
      handle: async (span) => {
        if (span.stream === 'Account-3') throw new Error('the mail server is down');
        for (const event of span.events) ledger.apply(span.stream, Number(event.index));
        return undefined;
      },
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
    });
    const processor = createChangeFeedProcessor({
      name: 'stopper',
      monitored: events,
      leases,
      sink: scheduler,
      drainTimeoutMs: 30_000,
      ...fastTimings,
    });
    await processor.start();
    const healthy = new Map([...writer.next].filter(([stream]) => stream !== 'Account-3'));
    await waitUntil('every healthy stream is handled', () => ledger.caughtUpWith(healthy));
    await waitUntilFailed(scheduler, 'Account-3', 2);
    const started = performance.now();
    await processor.stop();
    const stoppedInMs = performance.now() - started;
    scheduler.close();
    expect(stoppedInMs).toBeLessThan(2_000);
    const lag = await estimateLag({ monitored: events, leases, name: 'stopper' });
    expect(lag.filter((range) => range.pendingChanges > 0)).toHaveLength(1);
  });
});
