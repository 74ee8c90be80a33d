import type { Container } from '@azure/cosmos';

/**
 * The fast bulk path for big backlogs: writes Equinox-format documents directly, one tip per stream holding all its
 * events (`i: 0`, `n` = count, no unfolds) with one create request per stream, several in flight. To the change
 * feed and the processor these are ordinary event documents; only the seeding skips the store's per-append work.
 */
export async function seedStreams(
  container: Container,
  options: {
    streams: number;
    eventsPerStream: number;
    category?: string;
    concurrency?: number;
    data?: (stream: number, index: number) => unknown;
  },
): Promise<number> {
  const category = options.category ?? 'Seed';
  const data = options.data ?? ((s: number, k: number) => ({ amount: ((s + k) % 100) + 1 }));
  const timestamp = new Date().toISOString();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const s = next++;
      if (s >= options.streams) return;
      const stream = `${category}-${s}`;
      const events = Array.from({ length: options.eventsPerStream }, (_, k) => ({
        t: timestamp,
        c: 'Deposited',
        d: data(s, k),
      }));
      const tip = { id: '-1', p: stream, i: 0, n: options.eventsPerStream, e: events, u: [] };
      await container.items.create(tip);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return options.streams * options.eventsPerStream;
}
