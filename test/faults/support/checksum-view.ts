/**
 * The view every fault scenario projects: per stream, how many events it applied, an order-sensitive checksum of
 * them, and how many times events arrived out of order or with a gap. A from-scratch replay folds the same way, so
 * "views equal the replay" means: every event applied, exactly once into the state, in version order.
 */
export interface ChecksumView {
  readonly count: number;
  readonly checksum: number;
  /** spans that did not start where the view had stopped (a gap, or an event applied out of order) */
  readonly disorder: number;
}

export interface ChecksumEvent {
  readonly index: bigint | number;
  readonly type: string;
  readonly data: unknown;
}

export const emptyChecksumView: ChecksumView = { count: 0, checksum: 2166136261, disorder: 0 };

/** FNV-1a over the event's version, type and data, chained on the previous checksum: order matters. */
function mix(checksum: number, text: string): number {
  let h = checksum;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

export function applyToChecksumView(view: ChecksumView | undefined, events: readonly ChecksumEvent[]): ChecksumView {
  let { count, checksum, disorder } = view ?? emptyChecksumView;
  for (const event of events) {
    if (Number(event.index) !== count) disorder++;
    checksum = mix(checksum, `${Number(event.index)}|${event.type}|${JSON.stringify(event.data)}`);
    count++;
  }
  return { count, checksum, disorder };
}

/** How a set of views compares with the replay of the streams they project. */
export interface ViewComparison {
  /** events in the replay */
  readonly checked: number;
  /** events of the replay that no view reflects */
  readonly lost: number;
  /** streams whose view differs from the replay's fold (count, checksum or any disorder) */
  readonly mismatched: readonly string[];
}

export function compareWithReplay(
  replay: ReadonlyMap<string, readonly ChecksumEvent[]>,
  views: ReadonlyMap<string, ChecksumView>,
): ViewComparison {
  let checked = 0;
  let lost = 0;
  const mismatched: string[] = [];
  for (const [stream, events] of replay) {
    checked += events.length;
    const expected = applyToChecksumView(undefined, events);
    const view = views.get(stream);
    lost += Math.max(0, events.length - (view?.count ?? 0));
    if (
      view === undefined ||
      view.count !== expected.count ||
      view.checksum !== expected.checksum ||
      view.disorder !== 0
    ) {
      mismatched.push(stream);
    }
  }
  return { checked, lost, mismatched };
}
