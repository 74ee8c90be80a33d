import type { AnyEvent, Codec } from '../codec/index.ts';
import type { TimelineEvent } from '../core/index.ts';
import type { AccessStrategy } from './access.ts';

/**
 * How a category decodes the unfolds of a tip. Snapshots (Snapshot, MultiSnapshot, LatestKnownEvent) are derived from
 * events: one that no longer decodes is ignored (`codec.decodeUnfold` counts and reports it), the state is folded from
 * the events and the next append replaces it. RollingState keeps the state nowhere but in its unfold, and Custom may do
 * the same: there an unfold that no longer decodes stays an `UndecodableEvent`, because ignoring it would silently
 * restart the state from `initial`. Unfold types the codec does not declare are ignored under every strategy.
 */
export function unfoldDecoder<E extends AnyEvent>(
  codec: Codec<E>,
  stream: string,
  strategy: AccessStrategy<E, unknown>['kind'] | undefined,
): (unfold: TimelineEvent) => E | undefined {
  if (strategy === 'RollingState' || strategy === 'Custom') {
    return (unfold) => (codec.eventTypes.includes(unfold.type) ? codec.decode(unfold, stream) : undefined);
  }
  return (unfold) => codec.decodeUnfold(unfold, stream);
}
