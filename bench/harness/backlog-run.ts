import type { Container } from '@azure/cosmos';
import { createChangeFeedProcessor } from '../../src/feed/index.ts';
import { createStreamScheduler } from '../../src/streams/index.ts';
import { withDeadline } from './deadline.ts';

/**
 * Events per second for a fresh processor (leases, scheduler, no-op handler) to hand every one of `total` events
 * from the beginning of `events`; the clock runs from `processor.start()` until the last event is handled.
 */
export async function timeBacklogRun(options: {
  readonly name: string;
  readonly events: Container;
  readonly leases: Container;
  readonly total: number;
  readonly pageSize: number;
}): Promise<number> {
  const { name, events, leases, total, pageSize } = options;
  let handled = 0;
  let reached: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const scheduler = createStreamScheduler({
    name,
    handle: async (span) => {
      handled += span.events.length;
      if (handled >= total) reached();
      return undefined;
    },
  });
  const processor = createChangeFeedProcessor({
    name,
    monitored: events,
    leases,
    sink: scheduler,
    startFrom: 'beginning',
    maxItemsPerPage: pageSize,
  });
  const started = performance.now();
  await processor.start();
  await withDeadline(all, 600_000, 'the processor to deliver the backlog');
  const seconds = (performance.now() - started) / 1000;
  await processor.stop();
  scheduler.close();
  return total / seconds;
}
