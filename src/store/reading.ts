import type { Container } from '@azure/cosmos';
import type { TimelineEvent } from '../core/index.ts';
import { documentsInRange } from './requests.ts';
import { eventsOf } from './span.ts';

export interface ReadRange {
  /** first version to read (inclusive); default 0 */
  readonly fromVersion?: bigint;
  /** last version to read (exclusive); default: the end */
  readonly toVersion?: bigint;
  /** default forward (oldest first) */
  readonly direction?: 'forward' | 'backward';
}

/** A stream's stored events in a version range (one partition-scoped query; bodies decompressed). */
export async function readStreamEvents(
  container: Container,
  stream: string,
  range: ReadRange,
): Promise<TimelineEvent[]> {
  const from = range.fromVersion ?? 0n;
  const to = range.toVersion ?? BigInt(Number.MAX_SAFE_INTEGER);
  const direction = range.direction ?? 'forward';
  const documents = await documentsInRange(container, stream, Number(from), Number(to), direction);
  const events = documents.flatMap((document) => {
    const inRange = eventsOf(document).filter((event) => event.index >= from && event.index < to);
    return direction === 'forward' ? inRange : inRange.reverse();
  });
  return events;
}
