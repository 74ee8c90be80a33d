import type { CosmosStore } from '../store/index.ts';
import type { StreamView } from './dashboard-model.ts';

/** A stream as the dashboard's stream browser shows it; `state` comes from the app when it knows the category. */
export async function streamView(store: CosmosStore, stream: string, state: unknown): Promise<StreamView> {
  const dump = await store.dumpStream(stream);
  return {
    stream: dump.stream,
    version: dump.version,
    events: dump.events.map((event) => ({
      index: event.index,
      type: event.type,
      timestamp: event.timestamp.toISOString(),
      data: event.data,
      meta: event.meta ?? null,
    })),
    unfolds: dump.unfolds.map((unfold) => ({ type: unfold.type, version: Number(unfold.index), data: unfold.data })),
    state,
  };
}
