import type { StreamName } from '../core/index.ts';
import type { StateCache } from './cache.ts';
import type { LoadOption } from './load-option.ts';
import type { ProposedAppend, StreamStore, StreamVersion, SyncResult } from './stream-store.ts';

/** A store's streams seen through this process's cache of loaded states (after equinox-js's `CachingCategory`). */
export interface CachedStreams<E, S, L extends StreamVersion<S>> {
  /**
   * The state to start from under `option`: from memory when the option allows, else read (concurrent reads of one
   * stream share one request; a cached state makes the read conditional). `read` tells whether the store was asked.
   */
  load(stream: StreamName, option: LoadOption): Promise<{ readonly loaded: L; readonly read: boolean }>;
  /** Reads the stream again without joining a running load (which may predate a write), and remembers it. */
  reload(stream: StreamName, known: L | undefined): Promise<L>;
  /** Syncs through the store; a written state replaces the cached one. */
  sync(stream: StreamName, current: L, append: ProposedAppend<E, S>): Promise<SyncResult<L>>;
}

export function cachedStreams<E, S, L extends StreamVersion<S>>(
  store: StreamStore<E, S, L>,
  cache: StateCache<L>,
): CachedStreams<E, S, L> {
  const remember = (stream: string, loaded: L) =>
    cache.set(stream, loaded, (held, offered) => held.version > offered.version);

  async function reload(stream: StreamName, known: L | undefined): Promise<L> {
    const loaded = await store.load(stream, known);
    remember(stream, loaded);
    return loaded;
  }

  return {
    reload,
    async load(stream, option) {
      const cached = cache.get(stream);
      if (cached !== undefined) {
        if (option.kind === 'AnyCachedValue' || option.kind === 'AssumeEmpty')
          return { loaded: cached.value, read: false };
        if (option.kind === 'MaxStale' && Date.now() - cached.readAt <= option.ms) {
          return { loaded: cached.value, read: false };
        }
      } else if (option.kind === 'AssumeEmpty') {
        return { loaded: store.empty(), read: false };
      }
      return { loaded: await cache.singleFlight(stream, () => reload(stream, cached?.value)), read: true };
    },
    async sync(stream, current, append) {
      const synced = await store.sync(stream, current, append);
      if (synced.kind === 'written') {
        cache.forgetInflight(stream);
        remember(stream, synced.loaded);
      }
      return synced;
    },
  };
}
