import { ChangeFeedStartFrom, type Container, type FeedRange } from '@azure/cosmos';
import type { EpkRange } from './epk-range.ts';
import { NoFeedRanges } from './errors.ts';
import type { LeaseDocument } from './lease.ts';

/** Where a lease without a checkpoint starts: the first event ever, the next change, or changes since a time. */
export type StartFrom = 'beginning' | 'now' | Date;

/**
 * The SDK accepts only its own `FeedRange` instances (it checks `instanceof` an internal class that the package
 * does not export), so a range read back from a lease document is rebuilt with the constructor of one that
 * `getFeedRanges()` returned. An exact match is reused as is; a range that has split since (the lease still names
 * the parent) is rebuilt and the SDK reads all its children.
 * @throws NoFeedRanges when the container answers with no feed ranges
 */
export async function feedRangeOf(
  container: Container,
  range: EpkRange,
  known?: readonly FeedRange[],
): Promise<FeedRange> {
  const current = known ?? (await container.getFeedRanges());
  const exact = current.find((r) => r.minInclusive === range.minInclusive && r.maxExclusive === range.maxExclusive);
  if (exact !== undefined) return exact;
  const sample = current[0];
  if (sample === undefined) throw new NoFeedRanges(container.id);
  const FeedRangeClass = sample.constructor as new (minInclusive: string, maxExclusive: string) => FeedRange;
  return new FeedRangeClass(range.minInclusive, range.maxExclusive);
}

/** Where a lease without a checkpoint starts: its rewind marker if it has one, else the configured start. */
export function effectiveStart(lease: LeaseDocument, configured: StartFrom): StartFrom {
  if (lease.startFrom === null) return configured;
  return lease.startFrom.kind === 'beginning' ? 'beginning' : new Date(lease.startFrom.at);
}

/**
 * Resolves "now" for one lease into a continuation token (one change-feed request that answers 304 with the current
 * position). Unlike "beginning" or a time, "now" means something else on every call: a lease read from "now" that
 * loses its owner before its first checkpoint would start from a later "now" under its next owner and skip the
 * changes written in between, so the processor stores this token in the lease before reading. Undefined if the
 * feed answered with changes (a write landed while asking): the caller asks again, a later "now" skips nothing
 * anyone has read yet. `known`: the container's feed ranges when the caller has just read them (saves a request).
 */
export async function resolveNow(
  container: Container,
  lease: LeaseDocument,
  known?: readonly FeedRange[],
): Promise<string | undefined> {
  const range = await feedRangeOf(container, lease.feedRange, known);
  const probe = container.items.getChangeFeedIterator({
    changeFeedStartFrom: ChangeFeedStartFrom.Now(range),
    maxItemCount: 1,
  });
  const response = await probe.readNext();
  return response.result.length === 0 ? response.continuationToken : undefined;
}

/**
 * The checkpoint if there is one, else the rewind marker, else the processor's configured start. `known`: the
 * container's feed ranges when the caller has just read them (saves a request).
 */
export async function startPositionOf(
  container: Container,
  lease: LeaseDocument,
  configured: StartFrom,
  known?: readonly FeedRange[],
): Promise<ChangeFeedStartFrom> {
  if (lease.continuation !== null) return ChangeFeedStartFrom.Continuation(lease.continuation);
  const range = await feedRangeOf(container, lease.feedRange, known);
  const start = effectiveStart(lease, configured);
  if (start === 'beginning') return ChangeFeedStartFrom.Beginning(range);
  if (start === 'now') return ChangeFeedStartFrom.Now(range);
  return ChangeFeedStartFrom.Time(start, range);
}
