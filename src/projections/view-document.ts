import { createHash } from 'node:crypto';
import type { StreamSpan, TimelineEvent } from '../core/index.ts';

/**
 * A view as stored in the views container. `versions` holds, per source stream, the next version the view has not
 * applied yet: a span that was applied before (redelivery after a restart) finds its events at or below it and
 * changes nothing. `set` is the projection name and version, so a rebuild writes a fresh set beside the live one.
 */
export interface ViewDocument<V = unknown> {
  id: string;
  /** `<projection>@<version>` */
  set: string;
  projection: string;
  projectionVersion: number;
  key: string;
  versions: Record<string, number>;
  view: V;
  updatedAt: string;
  _etag?: string;
}

export function viewSet(projection: string, version: number): string {
  return `${projection}@${version}`;
}

// Cosmos ids are at most 255 characters; long keys are replaced by a digest (the key itself stays in `key`).
const maxIdLength = 255;

export function viewId(projection: string, version: number, key: string): string {
  const id = `${viewSet(projection, version)}:${key}`;
  if (id.length <= maxIdLength && !/[/\\?#]/.test(id)) return id;
  return `${viewSet(projection, version)}:#${createHash('sha256').update(key).digest('hex')}`;
}

/** The events of a span the view has not applied yet (those at or after its version for the span's stream). */
export function unappliedEvents(
  versions: Readonly<Record<string, number>> | undefined,
  span: StreamSpan,
): TimelineEvent[] {
  const applied = BigInt(versions?.[span.stream] ?? 0);
  return span.events.filter((event) => event.index >= applied);
}

/** The version a view will hold for a stream after applying `events` (never moves backwards). */
export function versionAfter(
  versions: Readonly<Record<string, number>> | undefined,
  stream: string,
  events: readonly TimelineEvent[],
): number {
  const current = versions?.[stream] ?? 0;
  const last = events.at(-1);
  return last === undefined ? current : Math.max(current, Number(last.index) + 1);
}
