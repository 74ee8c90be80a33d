import type { AnyEvent, Codec } from '../codec/index.ts';
import type { AccessStrategy } from './access.ts';
import type { TipDocument, UnfoldDocument } from './documents.ts';
import { MalformedDocument } from './errors.ts';
import { timelineUnfold } from './span.ts';

/**
 * How a category decodes the unfolds of a tip. Snapshots (Snapshot, MultiSnapshot, LatestKnownEvent) are derived from
 * events: one that no longer decodes — its schema tightened, or its body is in an encoding this reader cannot read —
 * is ignored (counted and reported by the codec), the state is folded from the events and the next append replaces
 * it. RollingState keeps the state nowhere but in its unfold, and Custom may do the same: there an unfold that no
 * longer decodes stays an error (`UndecodableEvent`, `MalformedDocument`), because ignoring it would silently restart
 * the state from `initial`. Unfold types the codec does not declare are ignored under every strategy.
 */
export function unfoldDecoder<E extends AnyEvent>(
  codec: Codec<E>,
  stream: string,
  strategy: AccessStrategy<E, unknown>['kind'] | undefined,
): (unfold: UnfoldDocument, tip: TipDocument) => E | undefined {
  const declared = (unfold: UnfoldDocument) => codec.eventTypes.includes(unfold.c);
  if (strategy === 'RollingState' || strategy === 'Custom') {
    return (unfold, tip) => (declared(unfold) ? codec.decode(timelineUnfold(unfold, tip), stream) : undefined);
  }
  return (unfold, tip) => {
    try {
      return codec.decodeUnfold(timelineUnfold(unfold, tip), stream);
    } catch (error) {
      if (!(error instanceof MalformedDocument)) throw error;
      if (declared(unfold)) {
        codec.ignoreUnfold({ stream, version: BigInt(unfold.i), unfoldType: unfold.c, problems: error.problem });
      }
      return undefined;
    }
  };
}
