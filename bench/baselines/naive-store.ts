import type { Container, Database, JSONObject, OperationInput } from '@azure/cosmos';

/**
 * The baseline event store a team writes with the plain SDK and no design: one document per event (id = version),
 * load = query every event of the stream in order, optimistic concurrency = create-if-absent on the next version id
 * (a 409 means someone else appended first). Multi-event appends use one transactional batch of creates so the
 * baseline stays atomic, as a careful naive implementation would.
 */
export interface NaiveEvent {
  readonly type: string;
  readonly data: unknown;
}

interface NaiveEventDocument {
  id: string;
  p: string;
  v: number;
  type: string;
  data: unknown;
}

export class NaiveConflict extends Error {
  constructor(
    readonly stream: string,
    readonly version: number,
  ) {
    super(`Naive store: stream ${stream} already has an event at version ${version}`);
  }
}

export interface NaiveStore {
  readonly container: Container;
  append(stream: string, expectedVersion: number, events: readonly NaiveEvent[]): Promise<number>;
  load(stream: string): Promise<{ events: NaiveEvent[]; version: number }>;
  transact<S>(
    stream: string,
    fold: { initial: S; evolve: (state: S, event: NaiveEvent) => S },
    decide: (state: S) => readonly NaiveEvent[],
    maxAttempts?: number,
  ): Promise<number>;
}

export async function createNaiveStore(database: Database, containerId = 'naive-events'): Promise<NaiveStore> {
  const { container } = await database.containers.createIfNotExists({
    id: containerId,
    partitionKey: { paths: ['/p'] },
  });

  const append: NaiveStore['append'] = async (stream, expectedVersion, events) => {
    const documents: NaiveEventDocument[] = events.map((event, i) => ({
      id: String(expectedVersion + i),
      p: stream,
      v: expectedVersion + i,
      type: event.type,
      data: event.data,
    }));
    if (documents.length === 1) {
      try {
        await container.items.create(documents[0]!);
      } catch (error) {
        if (statusOf(error) === 409) throw new NaiveConflict(stream, expectedVersion);
        throw error;
      }
    } else {
      const response = await container.items.batch(
        documents.map((d): OperationInput => ({ operationType: 'Create', resourceBody: d as unknown as JSONObject })),
        stream,
      );
      const statuses = response.result?.map((r) => r.statusCode) ?? [];
      if (statuses.includes(409)) throw new NaiveConflict(stream, expectedVersion);
      const failed = statuses.find((s) => s >= 400 && s !== 424);
      if (failed !== undefined) throw new Error(`Naive store: batch append to ${stream} failed with ${failed}`);
    }
    return expectedVersion + events.length;
  };

  const load: NaiveStore['load'] = async (stream) => {
    const { resources } = await container.items
      .query<NaiveEventDocument>(
        { query: 'SELECT * FROM c WHERE c.p = @p ORDER BY c.v', parameters: [{ name: '@p', value: stream }] },
        { partitionKey: stream },
      )
      .fetchAll();
    return { events: resources.map((d) => ({ type: d.type, data: d.data })), version: resources.length };
  };

  const transact: NaiveStore['transact'] = async (stream, fold, decide, maxAttempts = 10) => {
    for (let attempt = 1; ; attempt++) {
      const { events, version } = await load(stream);
      const state = events.reduce(fold.evolve, fold.initial);
      const decided = decide(state);
      if (decided.length === 0) return version;
      try {
        return await append(stream, version, decided);
      } catch (error) {
        if (!(error instanceof NaiveConflict) || attempt >= maxAttempts) throw error;
      }
    }
  };

  return { container, append, load, transact };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}
