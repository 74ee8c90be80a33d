import { ChangeFeedStartFrom, type Container, type FeedRange } from '@azure/cosmos';
import type { EpkRange } from './epk-range.ts';
import type { LeaseDocument } from './lease.ts';

/** Where a lease without a checkpoint starts: the first event ever, the next change, or changes since a time. */
export type StartFrom = 'beginning' | 'now' | Date;

/**
 * The SDK accepts only its own `FeedRange` instances (it checks `instanceof` an internal class that the package
 * does not export), so a range read back from a lease document is rebuilt with the constructor of one that
 * `getFeedRanges()` returned. An exact match is reused as is; a range that has split since (the lease still names
 * the parent) is rebuilt and the SDK reads all its children.
 */
export async function feedRangeOf(container: Container, range: EpkRange): Promise<FeedRange> {
  const current = await container.getFeedRanges();
  const exact = current.find((r) => r.minInclusive === range.minInclusive && r.maxExclusive === range.maxExclusive);
  if (exact !== undefined) return exact;
  const sample = current[0];
  if (sample === undefined) throw new Error(`Container ${container.id} reported no feed ranges`);
  const FeedRangeClass = sample.constructor as new (minInclusive: string, maxExclusive: string) => FeedRange;
  return new FeedRangeClass(range.minInclusive, range.maxExclusive);
}

/** The checkpoint if there is one, else the rewind marker, else the processor's configured start. */
export async function startPositionOf(
  container: Container,
  lease: LeaseDocument,
  configured: StartFrom,
): Promise<ChangeFeedStartFrom> {
  if (lease.continuation !== null) return ChangeFeedStartFrom.Continuation(lease.continuation);
  const range = await feedRangeOf(container, lease.feedRange);
  const start =
    lease.startFrom === null
      ? configured
      : lease.startFrom.kind === 'beginning'
        ? 'beginning'
        : new Date(lease.startFrom.at);
  if (start === 'beginning') return ChangeFeedStartFrom.Beginning(range);
  if (start === 'now') return ChangeFeedStartFrom.Now(range);
  return ChangeFeedStartFrom.Time(start, range);
}
