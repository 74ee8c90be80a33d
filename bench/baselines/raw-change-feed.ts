import { ChangeFeedStartFrom, type Container } from '@azure/cosmos';

/**
 * The baseline change-feed consumer: the SDK's pull iterator on every feed range, from the beginning, no leases,
 * no checkpoints, no scheduler. It does the least work that still delivers each event once: it reads tip and batch
 * documents (`p`, `i`, `e`), drops events it has already delivered (the tip reappears with overlapping events) and
 * hands the rest to `onEvent`, in whatever order they arrive (no ordering across a tip and a calved batch).
 * Resolves when `expectedEvents` distinct events have been delivered.
 */
export async function readChangeFeedRaw(
  container: Container,
  expectedEvents: number,
  onEvent: (stream: string, index: number, event: unknown) => void = () => {},
  options: { maxItemCount?: number; timeoutMs?: number } = {},
): Promise<{ delivered: number; pages: number }> {
  const ranges = await container.getFeedRanges();
  const deliveredByStream = new Map<string, DeliveredVersions>();
  let delivered = 0;
  let pages = 0;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);

  const readRange = async (range: (typeof ranges)[number]) => {
    const iterator = container.items.getChangeFeedIterator<Record<string, unknown>>({
      changeFeedStartFrom: ChangeFeedStartFrom.Beginning(range),
      maxItemCount: options.maxItemCount ?? 1000,
    });
    while (delivered < expectedEvents) {
      if (Date.now() > deadline)
        throw new Error(`Raw change feed: ${delivered}/${expectedEvents} events before timeout`);
      const page = await iterator.readNext();
      pages++;
      if (page.statusCode === 304) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      for (const doc of page.result) {
        const stream = doc.p;
        const first = doc.i;
        const events = doc.e;
        if (typeof stream !== 'string' || typeof first !== 'number' || !Array.isArray(events)) continue;
        let versions = deliveredByStream.get(stream);
        if (!versions) {
          versions = { next: 0 };
          deliveredByStream.set(stream, versions);
        }
        let index = first;
        for (const event of events) {
          if (markDelivered(versions, index)) {
            onEvent(stream, index, event);
            delivered++;
          }
          index++;
        }
      }
    }
  };
  await Promise.all(ranges.map(readRange));
  return { delivered, pages };
}

/** Versions of one stream delivered so far: everything below `next`, plus any delivered ahead of a gap. */
interface DeliveredVersions {
  next: number;
  ahead?: Set<number>;
}

/** Records `index` as delivered; false if it already was. */
function markDelivered(versions: DeliveredVersions, index: number): boolean {
  if (index < versions.next) return false;
  if (index > versions.next) {
    versions.ahead ??= new Set();
    if (versions.ahead.has(index)) return false;
    versions.ahead.add(index);
    return true;
  }
  versions.next++;
  while (versions.ahead?.delete(versions.next)) versions.next++;
  return true;
}
