import { randomUUID } from 'node:crypto';
import { parseOptions } from '../core/index.ts';
import { every } from './abortable.ts';
import { InvalidProcessorOptions, LeaseLost, ProcessorAlreadyStarted } from './errors.ts';
import { feedContainer } from './feed-container.ts';
import { acquireCycle, createRangeCache } from './lease-acquisition.ts';
import { LeaseObservations } from './lease-observations.ts';
import { createLeaseStore } from './lease-store.ts';
import { type ProcessorOptions, processorOptionsSchema } from './options.ts';
import type { ProcessorContext, ProcessorCounters, Running } from './processor-context.ts';
import type { ChangeFeedProcessor, ProcessorStats } from './processor-stats.ts';

/**
 * A change-feed processor instance. Several instances with the same `name` (in one or many processes) split the
 * monitored container's feed ranges between them through lease documents in `leases` (the README's "The change-feed
 * processor").
 * @throws InvalidProcessorOptions when `options` break their schema (every broken option listed)
 */
export function createChangeFeedProcessor(options: ProcessorOptions): ChangeFeedProcessor {
  const settings = parseOptions(processorOptionsSchema, options, 'createChangeFeedProcessor', InvalidProcessorOptions);
  const { name, sink, leaseTimings } = settings;
  // Unique per start: two processes given the same instanceId (or one restarted) never share a lease identity.
  const me = `${settings.instanceId}-${randomUUID().slice(0, 8)}`;
  const monitored = feedContainer(settings.monitored);
  const running = new Map<string, Running>();
  const counters: ProcessorCounters = {
    leasesAcquired: 0,
    leasesStolen: 0,
    leasesLost: 0,
    leasesCreated: 0,
    acquireCycles: 0,
    checkpointsWritten: 0,
    errors: 0,
  };
  let state: ProcessorStats['state'] = 'idle';
  let acquiring: AbortController | undefined;
  let maintaining: AbortController | undefined;
  let loops: Promise<void>[] = [];
  let starting: Promise<void> = Promise.resolve();

  const report = (where: string) => (error: unknown) => {
    counters.errors += 1;
    settings.onError(error, where);
  };

  const context: ProcessorContext = {
    settings,
    me,
    monitored,
    store: createLeaseStore(settings.leases, name),
    running,
    counters,
    observations: new LeaseObservations(),
    isRunning: () => state === 'running',
    report,
    drop(id, reason) {
      const lease = running.get(id);
      if (lease === undefined) return;
      running.delete(id);
      counters.leasesLost += 1;
      settings.onLeaseLost?.(reason);
      void lease.reader.stop();
      sink.revoke(id);
    },
    giveUp(id, error) {
      const lease = running.get(id);
      report(`lease ${id}: the sink refused a page, releasing the lease`)(error);
      if (lease === undefined) return;
      running.delete(id);
      const handled = sink.handled?.(id);
      sink.revoke(id);
      void lease.owned.release(lease.tracker.position(), handled).catch(report(`releasing lease ${id}`));
    },
  };
  const ranges = createRangeCache(() => monitored.getFeedRanges());
  const acquire = () => acquireCycle(context, ranges);

  /**
   * A failed lease write: only `LeaseLost` gives the range up. Anything else (a timeout, a 503) is reported and the
   * write is tried again next cycle; should it keep failing past the expiry, another instance takes the lease over
   * and the next write here finds out.
   */
  const writeFailed = (id: string, where: string) => (error: unknown) => {
    if (error instanceof LeaseLost) context.drop(id, error);
    else report(`${where} lease ${id}`)(error);
  };

  /** A lease whose checkpoint was written within the renew interval needs no renewal: that write renewed it. */
  const renewCycle = async () => {
    const due = Date.now() - leaseTimings.renewIntervalMs / 2;
    await Promise.all(
      [...running.entries()].map(([id, lease]) => {
        const renewedAt = lease.owned.current().renewedAt;
        if (renewedAt !== null && Date.parse(renewedAt) > due) return undefined;
        return lease.owned.renew().catch(writeFailed(id, 'renewing'));
      }),
    );
  };

  const checkpoint = async (id: string, lease: Running) => {
    const position = lease.tracker.position();
    if (position === undefined || position === lease.owned.current().continuation) return;
    try {
      await lease.owned.checkpoint(position, sink.handled?.(id));
      counters.checkpointsWritten += 1;
    } catch (error) {
      writeFailed(id, 'checkpointing')(error);
    }
  };

  const checkpointCycle = async () => {
    await Promise.all([...running.entries()].map(([id, lease]) => checkpoint(id, lease)));
  };

  const releaseAll = () =>
    Promise.all(
      [...running.entries()].map(async ([id, lease]) => {
        running.delete(id);
        try {
          await lease.owned.release(lease.tracker.position(), sink.handled?.(id));
          counters.checkpointsWritten += 1;
        } catch (error) {
          if (!(error instanceof LeaseLost)) report(`releasing lease ${id}`)(error);
        }
        sink.revoke(id);
      }),
    );

  /** Waits until every page read is handled, the sink can finish none, or the drain timeout passes. */
  const drain = async () => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...running.values()].map((lease) => lease.tracker.drained(settings.drainTimeoutMs))),
      ...(sink.quiesce === undefined ? [] : [sink.quiesce()]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, settings.drainTimeoutMs).unref();
      }),
    ]);
    clearTimeout(timer);
  };

  return {
    async start() {
      if (state !== 'idle') throw new ProcessorAlreadyStarted(name, me);
      state = 'running';
      starting = acquire();
      try {
        await starting;
      } catch (error) {
        // e.g. a missing leases container: leave nothing running, so that start() can be called again
        state = 'idle';
        await Promise.all([...running.values()].map((lease) => lease.reader.stop()));
        for (const id of running.keys()) sink.revoke(id);
        running.clear();
        throw error;
      }
      acquiring = new AbortController();
      maintaining = new AbortController();
      loops = [
        every(leaseTimings.acquireIntervalMs, acquiring.signal, acquire, report('acquiring leases')),
        every(leaseTimings.renewIntervalMs, maintaining.signal, renewCycle, report('renewing leases')),
        every(settings.checkpointIntervalMs, maintaining.signal, checkpointCycle, report('writing checkpoints')),
      ];
    },

    async stop() {
      if (state !== 'running') return;
      state = 'stopping';
      await starting.catch(() => undefined);
      acquiring?.abort();
      await loops[0];
      await Promise.all([...running.values()].map((lease) => lease.reader.stop()));
      // Leases keep being renewed while handlers finish, so nobody takes them over mid-drain. The drain ends when
      // every page is handled, or when the sink has nothing left running that could finish one (a failing stream
      // holds its page: it is read again from the checkpoint), or at the timeout.
      await drain();
      maintaining?.abort();
      await Promise.all(loops);
      await releaseAll();
      state = 'stopped';
    },

    stats() {
      return {
        name,
        instanceId: me,
        state,
        ...counters,
        leases: [...running.entries()].map(([leaseId, lease]) => {
          const current = lease.owned.current();
          return {
            leaseId,
            feedRange: current.feedRange,
            acquiredAt: lease.acquiredAt,
            ...lease.reader.stats,
            pendingPages: lease.tracker.pending(),
            held: lease.tracker.failed(),
            checkpointedAt: current.checkpointedAt === null ? undefined : new Date(current.checkpointedAt),
          };
        }),
      };
    },

    ownedLeases: () => [...running.keys()],
  };
}
